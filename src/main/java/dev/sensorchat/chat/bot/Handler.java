package dev.sensorchat.chat.bot;

import dev.sensorchat.chat.language.Intent;

/**
 * One capability of the bot. The bot asks its handlers in order and the first that can handle a
 * message answers it, so adding a capability means adding a handler. Handlers read and act through
 * the feature services; the bot loads and saves the conversation around them.
 */
public interface Handler {

    /** Whether this handler answers {@code intent}, given what the conversation knows. */
    boolean canHandle(Intent intent, Conversation conversation);

    /** The answer, and how the conversation (and its audience) change with it. */
    Turn handle(Intent intent, Conversation conversation);
}
