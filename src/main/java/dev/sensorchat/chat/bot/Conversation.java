package dev.sensorchat.chat.bot;

import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.channels.IncomingMessage;

/**
 * What a handler knows of a message: the message, the conversation's state, and its audience's
 * (where subscriptions live: the same document, or a Teams thread's channel).
 *
 * @param key the conversation's document id
 */
public record Conversation(IncomingMessage message, String key, ConversationDocument state, ConversationDocument audience) {

    /** Who wrote the message, as alert transitions record it: {@code <channel>:<name>}. */
    public String who() {
        String name = message.userName() != null ? message.userName() : message.userId();
        return message.channel() + ":" + (name == null || name.isBlank() ? "unknown" : name);
    }
}
