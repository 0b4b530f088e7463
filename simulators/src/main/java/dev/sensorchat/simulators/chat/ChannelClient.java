package dev.sensorchat.simulators.chat;

import java.time.Instant;
import java.util.Optional;

/**
 * One platform's side of the webhook: the request it sends for a message, signed the way that
 * platform signs it, and where the bot's words are in its reply. Written from the platforms'
 * documentation, not from the backend's code, so that the backend's verifiers are really tested.
 */
sealed interface ChannelClient permits GenericClient, TelegramClient, TeamsClient, SlackClient {

    /** The request for one message, sent at {@code now}, with a message id never used before. */
    Delivery delivery(String text, Instant now);

    /** The bot's words in a successful response, as plain text; empty when there are none. */
    Optional<String> replyText(String responseBody);

    /**
     * @param conversation the platform's conversation id, or null for the channel's default
     * @throws IllegalArgumentException when the secret or the conversation cannot be used on this platform
     */
    static ChannelClient of(Channel channel, String secret, String conversation, String user) {
        return switch (channel) {
            case GENERIC -> new GenericClient(secret, conversation == null ? "cli" : conversation, user);
            case TELEGRAM -> new TelegramClient(secret, conversation, user);
            case TEAMS -> new TeamsClient(secret, conversation == null ? "19:cli@thread.skype" : conversation, user);
            case SLACK -> new SlackClient(secret, conversation == null ? "C0CLI" : conversation, user);
        };
    }

    /** A stable positive number for a name, for platforms whose user ids are numbers. */
    static long numericId(String name) {
        return Integer.toUnsignedLong(name.hashCode()) % 1_000_000_000L + 1;
    }
}
