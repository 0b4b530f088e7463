package dev.sensorchat.chat.channels;

import dev.sensorchat.auth.Role;

/**
 * A chat message in neutral form, whatever the platform.
 *
 * @param channel        generic, telegram, teams or slack
 * @param messageId      the platform's unique id for this delivery; retries repeat it
 * @param conversationId the platform's conversation id: where the dialogue goes on (a chat, a
 *                       channel, a Teams thread)
 * @param userId         who wrote it
 * @param userName       a display name, when the platform gives one
 * @param text           what they wrote (or the command of the button they pressed)
 * @param address        how to reach the conversation later
 * @param sentAt         when the platform says it was sent, in epoch seconds (0 when unknown)
 * @param audienceId     where notifications for this conversation are read: the conversation
 *                       itself, except a Teams thread, whose notifications go to its channel
 * @param role           the writer's role where the channel knows it (the web channel, from their
 *                       token), which the bot applies; null on the chat platforms, whose members
 *                       are whoever the platform lets write to the bot
 */
public record IncomingMessage(String channel, String messageId, String conversationId, String userId, String userName,
                              String text, ReplyAddress address, long sentAt, String audienceId, Role role) {

    public IncomingMessage(String channel, String messageId, String conversationId, String userId, String userName,
                           String text, ReplyAddress address, long sentAt) {
        this(channel, messageId, conversationId, userId, userName, text, address, sentAt, conversationId);
    }

    public IncomingMessage(String channel, String messageId, String conversationId, String userId, String userName,
                           String text, ReplyAddress address, long sentAt, String audienceId) {
        this(channel, messageId, conversationId, userId, userName, text, address, sentAt, audienceId, null);
    }

    /** The conversation's key across channels: {@code <channel>:<conversationId>}. */
    public String conversationKey() {
        return channel + ":" + conversationId;
    }

    /** The key of the conversation that holds subscriptions: {@code <channel>:<audienceId>}. */
    public String audienceKey() {
        return channel + ":" + audienceId;
    }

    public IncomingMessage withText(String replaced) {
        return new IncomingMessage(channel, messageId, conversationId, userId, userName, replaced, address, sentAt, audienceId, role);
    }
}
