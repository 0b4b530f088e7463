package dev.sensorchat.chat.bot;

import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;

/** "help", what the bot did not understand (with a guess, when the parser has one), and what it cannot use as written. */
public final class HelpHandler implements Handler {

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        return intent.type() == IntentType.HELP || intent.type() == IntentType.UNKNOWN || intent.type() == IntentType.UNUSABLE;
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        return Turn.say(switch (intent.type()) {
            case HELP -> Texts.HELP;
            case UNUSABLE -> Texts.unusable(intent.problem());
            default -> Texts.notUnderstood(intent.suggestion());
        });
    }
}
