package dev.sensorchat.chat;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.chat.ConversationDocument.NotificationBudget;
import dev.sensorchat.chat.ConversationDocument.Subscription;
import dev.sensorchat.chat.channels.ChannelAdapter;
import dev.sensorchat.chat.channels.OutboundMessage;
import dev.sensorchat.chat.channels.Reply;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.SqlQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tells subscribed conversations when alerts open or resolve. Driven by the alerts container's
 * change feed: each changed alert document carries its transitions, and every transition not yet
 * delivered to a matching conversation is sent once.
 *
 * <p>Exactly once, as far as a remote API allows: each (conversation, transition) gets a delivery
 * record, claimed before sending and completed after, so a replayed change-feed batch sends
 * nothing again. Rate limited: more than {@value #INDIVIDUAL_LIMIT} changes for one conversation in
 * one batch, or more than {@value #MESSAGES_PER_MINUTE} messages in a minute, become one summary.
 */
public final class AlertNotifier {

    static final int INDIVIDUAL_LIMIT = 3;
    static final int MESSAGES_PER_MINUTE = 10;

    /** What a change-feed batch led to. */
    public record Summary(int transitions, int messagesSent, int alreadyDelivered) {
    }

    /** A message and the changes it announces. */
    private record Announcement(Reply reply, List<Change> covers) {
    }

    /** One transition of one alert: what is announced. */
    private record Change(AlertDocument alert, int index) {
        String key() {
            return alert.id() + "#" + index;
        }

        AlertDocument.Transition transition() {
            return alert.transitions().get(index);
        }
    }

    private final CosmosStore<ConversationDocument> conversations;
    private final DeliveryLedger ledger;
    private final DeviceRegistry devices;
    private final Map<String, ChannelAdapter> channels;
    private final OutboundSender sender;
    private final Clock clock;

    public AlertNotifier(CosmosStore<ConversationDocument> conversations, DeliveryLedger ledger,
                         DeviceRegistry devices, Map<String, ChannelAdapter> channels, OutboundSender sender, Clock clock) {
        this.conversations = conversations;
        this.ledger = ledger;
        this.devices = devices;
        this.channels = Map.copyOf(channels);
        this.sender = sender;
        this.clock = clock;
    }

    public Summary process(List<AlertDocument> changedAlerts) {
        List<Change> changes = new ArrayList<>();
        for (AlertDocument alert : changedAlerts) {
            for (int i = 0; i < alert.transitions().size(); i++) {
                AlertState state = alert.transitions().get(i).state();
                if (state == AlertState.OPEN || state == AlertState.RESOLVED) {
                    changes.add(new Change(alert, i));
                }
            }
        }
        if (changes.isEmpty()) {
            return new Summary(0, 0, 0);
        }
        Map<String, List<String>> tagsByDevice = new HashMap<>();
        int sent = 0;
        int alreadyDelivered = 0;
        for (ConversationDocument conversation : subscribers()) {
            ChannelAdapter channel = channels.get(conversation.channel());
            if (channel == null || !channel.canNotify()) {
                continue;
            }
            List<Change> matching = changes.stream().filter(change -> matches(conversation, change, tagsByDevice)).toList();
            List<Change> claimed = new ArrayList<>();
            for (Change change : matching) {
                if (claim(conversation, change)) {
                    claimed.add(change);
                } else {
                    alreadyDelivered++;
                }
            }
            if (claimed.isEmpty()) {
                continue;
            }
            List<Announcement> announcements = compose(claimed, spendBudget(conversation, claimed.size()));
            for (int i = 0; i < announcements.size(); i++) {
                Announcement announcement = announcements.get(i);
                Optional<OutboundMessage> outbound = channel.outbound(conversation.address(), announcement.reply());
                try {
                    if (outbound.isPresent()) {
                        sender.send(outbound.get());
                        sent++;
                    }
                } catch (RuntimeException failure) {
                    // Release what was not sent, so the retried batch sends exactly that.
                    announcements.subList(i, announcements.size()).forEach(unsent -> unsent.covers()
                            .forEach(change -> ledger.release(recordId(conversation, change))));
                    throw failure;
                }
                announcement.covers().forEach(change -> ledger.recordDone(recordId(conversation, change), "notification"));
            }
        }
        return new Summary(changes.size(), sent, alreadyDelivered);
    }

    private List<ConversationDocument> subscribers() {
        return conversations.query(SqlQuery.of("SELECT * FROM c WHERE IS_ARRAY(c.subscriptions) AND ARRAY_LENGTH(c.subscriptions) > @none")
                .with("@none", 0));
    }

    private boolean matches(ConversationDocument conversation, Change change, Map<String, List<String>> tagsByDevice) {
        AlertDocument alert = change.alert();
        List<String> tags = tagsByDevice.computeIfAbsent(alert.deviceId(),
                id -> devices.find(id).map(DeviceDocument::tags).orElse(List.of()));
        for (Subscription subscription : conversation.subscriptions()) {
            if (subscription.scope().appliesTo(alert.deviceId(), tags)
                    && alert.severity().ordinal() >= subscription.minSeverity().ordinal()) {
                return true;
            }
        }
        return false;
    }

    /** True if this run should deliver the change to the conversation (nobody has, or is doing so now). */
    private boolean claim(ConversationDocument conversation, Change change) {
        // A crashed attempt's claim is taken over: sent again, at least once.
        return ledger.claim(recordId(conversation, change), "notification", Duration.ZERO) instanceof DeliveryLedger.Claim.Granted;
    }

    private static String recordId(ConversationDocument conversation, Change change) {
        return "notify-" + ChatBot.sha256(conversation.id() + "\n" + change.key());
    }

    /** Counts the messages about to go out against the conversation's minute; false if over budget. */
    private boolean spendBudget(ConversationDocument conversation, int changes) {
        Instant now = clock.instant();
        boolean[] withinBudget = {true};
        conversations.compute(conversation.id(), conversation.id(), current -> {
            ConversationDocument document = current.orElse(conversation);
            NotificationBudget budget = document.budget();
            if (budget == null || now.isAfter(budget.windowStart().plus(Duration.ofMinutes(1)))) {
                budget = new NotificationBudget(now, 0);
            }
            int wanted = changes > INDIVIDUAL_LIMIT ? 1 : changes;
            withinBudget[0] = budget.sent() + wanted <= MESSAGES_PER_MINUTE;
            int spent = withinBudget[0] ? wanted : 1;
            return document.withBudget(new NotificationBudget(budget.windowStart(), budget.sent() + spent));
        });
        return withinBudget[0];
    }

    private List<Announcement> compose(List<Change> changes, boolean withinBudget) {
        Instant now = clock.instant();
        if (withinBudget && changes.size() <= INDIVIDUAL_LIMIT) {
            return changes.stream().map(change -> new Announcement(
                    new Reply(Texts.alertChange(change.alert(), change.transition(), now), actions(change)), List.of(change))).toList();
        }
        long opened = changes.stream().filter(change -> change.transition().state() == AlertState.OPEN).count();
        Map<String, Integer> perDevice = new TreeMap<>();
        changes.forEach(change -> perDevice.merge(change.alert().deviceId(), 1, Integer::sum));
        return List.of(new Announcement(Reply.of(Texts.alertChanges(changes.size(), opened, perDevice)), changes));
    }

    /** An alert that opened can be acknowledged or resolved from the notification (as buttons where the platform has them). */
    private static List<Reply.Choice> actions(Change change) {
        if (change.transition().state() != AlertState.OPEN) {
            return List.of();
        }
        String id = change.alert().id();
        return List.of(new Reply.Choice("Acknowledge", "ack " + id), new Reply.Choice("Resolve", "resolve " + id));
    }
}
