package dev.sensorchat.chat.bot;

import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;

/** "help", and what the bot did not understand (with a guess, when the parser has one). */
public final class HelpHandler implements Handler {

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        return intent.type() == IntentType.HELP || intent.type() == IntentType.UNKNOWN;
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        return Turn.say(intent.type() == IntentType.HELP ? Texts.HELP : Texts.notUnderstood(intent.suggestion()));
    }
}
