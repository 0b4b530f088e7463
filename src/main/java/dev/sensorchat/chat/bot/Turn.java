package dev.sensorchat.chat.bot;

import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.channels.Reply;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A handler's answer: the reply, how the conversation changes with it, and how its audience
 * changes ({@code audienceUpdate} null when it does not, so no second document is written).
 */
public record Turn(Reply reply, UnaryOperator<ConversationDocument> update, UnaryOperator<ConversationDocument> audienceUpdate) {

    public static Turn say(String text) {
        return new Turn(Reply.of(text), UnaryOperator.identity(), null);
    }

    public static Turn remembering(String text, UnaryOperator<ConversationDocument> update) {
        return new Turn(Reply.of(text), update, null);
    }

    public static Turn forAudience(String text, UnaryOperator<ConversationDocument> audienceUpdate) {
        return new Turn(Reply.of(text), UnaryOperator.identity(), audienceUpdate);
    }

    public Turn offering(List<Reply.Choice> choices) {
        return new Turn(reply.withChoices(choices), update, audienceUpdate);
    }

    public boolean changesAudience() {
        return audienceUpdate != null;
    }
}
