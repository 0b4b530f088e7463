package dev.sensorchat.chat;

import dev.sensorchat.chat.ConversationDocument.Subscription;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.SqlQuery;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Every conversation's alert subscriptions, for an admin: who is told what, on which channel, and a
 * way to stop a conversation's notifications (a chat nobody reads any more, a channel left behind).
 * Conversations subscribe themselves in chat; this is how they are seen and undone from outside.
 */
public final class SubscriptionAdmin {

    /**
     * A conversation that is told about alerts: its document id (what {@link #clear} takes), its
     * channel and its id there, and what it asked for.
     */
    public record Subscriber(String id, String channel, String conversationId, List<Subscription> subscriptions, Instant updatedAt) {
        static Subscriber of(ConversationDocument conversation) {
            String key = conversation.conversationId(); // <channel>:<the platform's conversation id>
            String prefix = conversation.channel() + ":";
            return new Subscriber(conversation.id(), conversation.channel(), key.startsWith(prefix) ? key.substring(prefix.length()) : key,
                    conversation.subscriptions(), conversation.updatedAt());
        }
    }

    private final CosmosStore<ConversationDocument> conversations;

    public SubscriptionAdmin(CosmosStore<ConversationDocument> conversations) {
        this.conversations = conversations;
    }

    /** Conversations with at least one subscription, by channel and conversation. */
    public List<Subscriber> list() {
        return conversations.query(SqlQuery.of("SELECT * FROM c WHERE IS_ARRAY(c.subscriptions) AND ARRAY_LENGTH(c.subscriptions) > @none")
                        .with("@none", 0)).stream()
                .map(Subscriber::of)
                .sorted(Comparator.comparing(Subscriber::channel).thenComparing(Subscriber::conversationId))
                .toList();
    }

    /** Ends every subscription of the conversation; the rest of its state stays. 404 if it has none. */
    public Subscriber clear(String id) {
        if (conversations.find(id, id).map(found -> found.value().subscriptions()).filter(list -> list != null && !list.isEmpty()).isEmpty()) {
            throw new NotFoundException("subscribed conversation", id);
        }
        return Subscriber.of(conversations.compute(id, id,
                current -> current.orElseThrow(() -> new NotFoundException("subscribed conversation", id)).withSubscriptions(List.of())).value());
    }
}
