package dev.sensorchat.chat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.channels.ReplyAddress;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.chat.language.TimeRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One conversation's state, in the {@code conversations} container (partition key
 * {@code conversationId}): function instances come and go, so everything the bot remembers
 * between messages lives here. Changed with ETag-checked writes, so two messages arriving together
 * never lose an update.
 *
 * @param id             = conversationId: {@code <channel>:<platform conversation id>}
 * @param address        how to reach the conversation for notifications
 * @param lastIntent     what was asked last (STATUS or METRIC), for follow-ups ("what about boiler-2?")
 * @param lastDevice     the device talked about last ("and humidity?")
 * @param lastMetric     the metric asked about last
 * @param lastRange      the time range asked about last
 * @param pending        an action awaiting "yes" or "no"
 * @param subscriptions  which alerts to send here
 * @param budget         notifications sent in the current minute, for rate limiting
 */
public record ConversationDocument(String id, String conversationId, String channel, ReplyAddress address,
                                   IntentType lastIntent, String lastDevice, String lastMetric, TimeRange lastRange,
                                   PendingAction pending, List<Subscription> subscriptions, NotificationBudget budget,
                                   Instant updatedAt) {

    /**
     * An action that waits for "yes" or "no"; after {@code expiresAt}, "yes" no longer confirms it.
     * The type names differ from the untyped form stored before ({@code create_rule} with the rule
     * as a JSON string): such an action reads as none, as it would have expired by now anyway.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action", defaultImpl = Void.class)
    @JsonSubTypes({@JsonSubTypes.Type(value = CreateRule.class, name = "create-rule"),
            @JsonSubTypes.Type(value = DeleteRule.class, name = "delete-rule")})
    public sealed interface PendingAction permits CreateRule, DeleteRule {
        /** The rule to create, or the one to delete (as it was when proposed). */
        Rule rule();

        Instant expiresAt();
    }

    /** @param rule validated, to be saved as it is */
    public record CreateRule(Rule rule, Instant expiresAt) implements PendingAction {
    }

    public record DeleteRule(Rule rule, Instant expiresAt) implements PendingAction {
    }

    /** Alerts of devices in {@code scope} with at least {@code minSeverity}. */
    public record Subscription(RuleScope scope, Severity minSeverity) {
    }

    /** @param windowStart the minute being counted; @param sent messages sent in it */
    public record NotificationBudget(Instant windowStart, int sent) {
    }

    public static ConversationDocument start(String key, String channel, ReplyAddress address) {
        return new ConversationDocument(key, key, channel, address, null, null, null, null, null, List.of(), null, null);
    }

    public ConversationDocument withContext(IntentType intent, String device, String metric, TimeRange range) {
        return new ConversationDocument(id, conversationId, channel, address, intent, device, metric, range, pending,
                subscriptions, budget, updatedAt);
    }

    public ConversationDocument withPending(PendingAction action) {
        return new ConversationDocument(id, conversationId, channel, address, lastIntent, lastDevice, lastMetric, lastRange,
                action, subscriptions, budget, updatedAt);
    }

    public ConversationDocument withSubscriptions(List<Subscription> list) {
        return new ConversationDocument(id, conversationId, channel, address, lastIntent, lastDevice, lastMetric, lastRange,
                pending, List.copyOf(list), budget, updatedAt);
    }

    public ConversationDocument withBudget(NotificationBudget value) {
        return new ConversationDocument(id, conversationId, channel, address, lastIntent, lastDevice, lastMetric, lastRange,
                pending, subscriptions, value, updatedAt);
    }

    public ConversationDocument touched(ReplyAddress latestAddress, Instant at) {
        return new ConversationDocument(id, conversationId, channel, latestAddress, lastIntent, lastDevice, lastMetric, lastRange,
                pending, subscriptions, budget, at);
    }

    /** Subscriptions with {@code subscription}'s scope replaced by it. */
    public List<Subscription> subscribing(Subscription subscription) {
        List<Subscription> list = new ArrayList<>(subscriptions == null ? List.of() : subscriptions);
        list.removeIf(existing -> existing.scope().equals(subscription.scope()));
        list.add(subscription);
        return list;
    }
}
