package dev.sensorchat.chat.channels;

/**
 * A chat message in neutral form, whatever the platform.
 *
 * @param channel        generic, telegram, teams or slack
 * @param messageId      the platform's id for this delivery; retries repeat it
 * @param conversationId the platform's conversation (chat, channel) id
 * @param userId         who wrote it
 * @param userName       a display name, when the platform gives one
 * @param text           what they wrote
 * @param address        how to reach the conversation later
 * @param sentAt         when the platform says it was sent, in epoch seconds (0 when unknown)
 */
public record IncomingMessage(String channel, String messageId, String conversationId, String userId, String userName,
                              String text, ReplyAddress address, long sentAt) {

    /** The conversation's key across channels: {@code <channel>:<conversationId>}. */
    public String conversationKey() {
        return channel + ":" + conversationId;
    }
}
