package dev.sensorchat.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.RuleService;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.ConversationDocument.PendingAction;
import dev.sensorchat.chat.ConversationDocument.Subscription;
import dev.sensorchat.chat.channels.IncomingMessage;
import dev.sensorchat.chat.channels.Reply;
import dev.sensorchat.chat.language.Fuzzy;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentParser;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.chat.language.RuleDraft;
import dev.sensorchat.chat.language.TimeRange;
import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.Json;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.reports.FleetReport;
import dev.sensorchat.reports.ReportPeriod;
import dev.sensorchat.reports.ReportService;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.Resolution;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The bot: understands a message ({@link IntentParser}), answers from Cosmos DB, acts (rules,
 * alerts, subscriptions), and remembers the conversation. Replies are small Markdown that each
 * channel renders its own way.
 */
public final class ChatBot {

    static final Duration CONFIRMATION_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration MINUTE_RESOLUTION_UP_TO = Duration.ofHours(6);
    private static final int MAX_LISTED = 20;
    private static final int MAX_WINDOWS = 2_000;

    /**
     * A reply, how the conversation changes with it, and how its audience changes (the document
     * that holds subscriptions: the conversation itself, or a Teams thread's channel), or null
     * when it does not.
     */
    private record Turn(Reply reply, UnaryOperator<ConversationDocument> update, UnaryOperator<ConversationDocument> audienceUpdate) {
        Turn(String reply, UnaryOperator<ConversationDocument> update) {
            this(Reply.of(reply), update, null);
        }

        static Turn say(String reply) {
            return new Turn(reply, UnaryOperator.identity());
        }

        static Turn forAudience(String reply, UnaryOperator<ConversationDocument> audienceUpdate) {
            return new Turn(Reply.of(reply), UnaryOperator.identity(), audienceUpdate);
        }

        Turn offering(List<Reply.Choice> choices) {
            return new Turn(reply.withChoices(choices), update, audienceUpdate);
        }
    }

    private static final List<Reply.Choice> CONFIRM = List.of(new Reply.Choice("Yes", "yes"), new Reply.Choice("No", "no"));

    private static final int MAX_RECENT_ALERTS = 5;

    private final IntentParser parser = new IntentParser();
    private final ChatDirectory directory;
    private final AggregateReader aggregates;
    private final AlertLedger alerts;
    private final RuleService rules;
    private final CosmosStore<ConversationDocument> conversations;
    private final Predicate<String> canNotify;
    private final Clock clock;
    private final Duration silentAfter;
    private final ReportService reports;

    /**
     * @param canNotify   whether a channel is configured to send notifications
     * @param silentAfter a device not seen for this long is "silent"
     */
    public ChatBot(ChatDirectory directory, AggregateReader aggregates, AlertLedger alerts, RuleService rules,
                   CosmosStore<ConversationDocument> conversations, Predicate<String> canNotify, Clock clock,
                   Duration silentAfter, ReportService reports) {
        this.directory = directory;
        this.aggregates = aggregates;
        this.alerts = alerts;
        this.rules = rules;
        this.conversations = conversations;
        this.canNotify = canNotify;
        this.clock = clock;
        this.silentAfter = silentAfter;
        this.reports = reports;
    }

    /** Answers one message and records what the conversation (and its audience) now knows. */
    public Reply reply(IncomingMessage message) {
        String key = conversationKey(message);
        String audienceKey = audienceKey(message);
        ConversationDocument state = load(key, message);
        ConversationDocument audience = audienceKey.equals(key) ? state : load(audienceKey, message);
        Intent intent = parser.parse(message.text(), directory.vocabulary(), clock.instant());
        Turn turn = handle(intent, state, audience, message);
        Instant now = clock.instant();
        UnaryOperator<ConversationDocument> update = audienceKey.equals(key) && turn.audienceUpdate() != null
                ? document -> turn.audienceUpdate().apply(turn.update().apply(document))
                : turn.update();
        conversations.compute(key, key, current -> update
                .apply(current.orElseGet(() -> ConversationDocument.start(key, message.channel(), message.address())))
                .touched(message.address(), now));
        if (!audienceKey.equals(key) && turn.audienceUpdate() != null) {
            conversations.compute(audienceKey, audienceKey, current -> turn.audienceUpdate()
                    .apply(current.orElseGet(() -> ConversationDocument.start(audienceKey, message.channel(), message.address())))
                    .touched(message.address(), now));
        }
        return turn.reply();
    }

    private ConversationDocument load(String key, IncomingMessage message) {
        return conversations.find(key, key).map(stored -> stored.value())
                .orElseGet(() -> ConversationDocument.start(key, message.channel(), message.address()));
    }

    /** Cosmos DB ids cannot hold / \ ? #; platform ids rarely do, but never trust them. */
    static String conversationKey(IncomingMessage message) {
        return documentId(message.channel(), message.conversationKey());
    }

    static String audienceKey(IncomingMessage message) {
        return documentId(message.channel(), message.audienceKey());
    }

    private static String documentId(String channel, String conversationKey) {
        String key = conversationKey.replaceAll("[/\\\\?#]", "_");
        return key.length() <= 200 ? key : channel + ":" + sha256(key).substring(0, 40);
    }

    private Turn handle(Intent intent, ConversationDocument state, ConversationDocument audience, IncomingMessage message) {
        return switch (intent.type()) {
            case HELP -> Turn.say(help());
            case DEVICES -> devices(intent);
            case STATUS -> status(intent.device() != null ? intent.device() : state.lastDevice());
            case METRIC -> metric(intent, state);
            case OTHER_DEVICE -> "METRIC".equals(state.lastIntent()) && state.lastMetric() != null
                    ? metric(intent.withMetric(state.lastMetric()).withRange(intent.range() != null ? intent.range() : state.lastRange()), state)
                    : status(intent.device());
            case ALERTS -> alertList(intent);
            case ACK -> acknowledge(intent.alertId(), who(message));
            case RESOLVE -> resolve(intent.alertId(), who(message));
            case RULES -> ruleList();
            case CREATE_RULE -> proposeRule(intent.rule(), message);
            case DELETE_RULE -> proposeDeletion(intent.ruleId());
            case YES -> confirm(state);
            case NO -> state.pending() == null ? Turn.say("OK.")
                    : new Turn("Cancelled: " + state.pending().description() + ".", s -> s.withPending(null));
            case SUBSCRIBE -> subscribe(intent, message);
            case UNSUBSCRIBE -> unsubscribe(intent, audience);
            case SUBSCRIPTIONS -> Turn.say(subscriptionList(audience));
            case REPORT -> report(intent);
            case UNKNOWN -> Turn.say("Sorry, I didn't get that." + (intent.suggestion() == null ? ""
                    : " Did you mean " + intent.suggestion() + "?") + " Say `help` for what I can do.");
        };
    }

    private static String help() {
        return String.join("\n",
                "I know your devices, their readings and alerts. Try:",
                "• `devices` (or `devices with tag greenhouse`, `devices in plant 2`)",
                "• `status boiler-1`",
                "• `temperature of boiler-1 last hour` (also: today, yesterday, last 24h, since 10:00, 2026-11-20)",
                "• then `and humidity?` or `what about boiler-2?`",
                "• `alerts`, `alerts critical`, `ack al-…`, `resolve al-…`",
                "• `rules`, `alert me when temperature > 30 on boiler-1 for 5 minutes`, `delete rule <id>`",
                "• `subscribe boiler-1`, `subscribe tag greenhouse critical`, `unsubscribe`, `subscriptions`",
                "• `report yesterday`, `report for boiler-1 last week`, `report tag greenhouse today`");
    }

    // ---- reports -----------------------------------------------------------------------------

    private Turn report(Intent intent) {
        Instant now = clock.instant();
        TimeRange range = intent.range() != null ? intent.range() : TimeRange.find("yesterday", now).orElseThrow().range();
        long hour = 3_600_000L;
        Instant from = Instant.ofEpochMilli(Math.floorDiv(range.from().toEpochMilli(), hour) * hour);
        Instant to = Instant.ofEpochMilli(-Math.floorDiv(-range.to().toEpochMilli(), hour) * hour);
        ReportPeriod period;
        try {
            period = new ReportPeriod(from, to);
        } catch (IllegalArgumentException e) {
            return Turn.say("I can't make that report: " + e.getMessage() + ".");
        }
        RuleScope scope = RuleScope.all();
        if (intent.device() != null) {
            if (directory.registry().find(intent.device()).isEmpty()) {
                return Turn.say(unknownDevice(intent.device()));
            }
            scope = RuleScope.device(intent.device());
        } else if (intent.scope() != null && intent.scope().kind() == RuleScope.Kind.TAG) {
            scope = intent.scope();
        }
        ReportService.StoredReport stored = reports.storeOnDemand(reports.build(period, scope));
        return new Turn(reportSummary(stored, range.label(), scope), s -> s);
    }

    private String reportSummary(ReportService.StoredReport stored, String label, RuleScope scope) {
        FleetReport report = stored.report();
        FleetReport.Fleet fleet = report.fleet();
        StringBuilder text = new StringBuilder("**Report: " + label + "** (" + report.from() + " to " + report.to() + ")" + scopeText(scope));
        text.append("\n• ").append(fleet.devices()).append(fleet.devices() == 1 ? " device" : " devices").append(", ")
                .append(fleet.reporting()).append(" reporting, availability ").append(Texts.number(fleet.availability() * 100)).append(" %");
        text.append("\n• ").append(String.format(Locale.ROOT, "%,d", fleet.readings())).append(" readings");
        text.append("\n• alerts: ").append(fleet.alertsOpened()).append(" opened, ").append(fleet.alertsResolved()).append(" resolved, ")
                .append(fleet.alertsOpenAtEnd()).append(" open at the end");
        if (report.devices().size() == 1) {
            report.devices().get(0).metrics().forEach(metric -> text.append("\n• ").append(metric.metric()).append(": min ")
                    .append(Texts.number(metric.min())).append(", avg ").append(Texts.number(metric.avg())).append(", max ")
                    .append(Texts.number(metric.max())));
        }
        if (!report.topAnomalies().isEmpty()) {
            FleetReport.Anomaly top = report.topAnomalies().get(0);
            text.append("\n• most unusual: `").append(top.deviceId()).append("` ").append(top.metric()).append(' ')
                    .append(Texts.number(top.value())).append(" in the hour from ").append(top.hour()).append(" (usually ")
                    .append(Texts.number(top.average())).append(')');
        }
        return text.append("\nFull report (HTML, for one hour): ").append(stored.htmlLink()).toString();
    }

    // ---- devices -----------------------------------------------------------------------------

    private Turn devices(Intent intent) {
        List<DeviceDocument> matching = directory.devices().stream()
                .filter(device -> intent.tag() == null || device.tags().stream().anyMatch(tag -> tag.equalsIgnoreCase(intent.tag())))
                .filter(device -> intent.location() == null || (device.location() != null
                        && device.location().toLowerCase(Locale.ROOT).contains(intent.location())))
                .toList();
        String filter = intent.tag() != null ? " with tag `" + intent.tag() + "`" : intent.location() != null ? " in " + intent.location() : "";
        if (matching.isEmpty()) {
            return Turn.say("No devices" + filter + ".");
        }
        Instant now = clock.instant();
        StringBuilder text = new StringBuilder("**" + matching.size() + " device" + (matching.size() == 1 ? "" : "s") + filter + "**");
        matching.stream().limit(MAX_LISTED).forEach(device -> text.append("\n• ").append(label(device)).append(" — ")
                .append(online(device, now) ? "online" : "silent").append(latestSummary(device, 3)));
        if (matching.size() > MAX_LISTED) {
            text.append("\n…and ").append(matching.size() - MAX_LISTED).append(" more");
        }
        return Turn.say(text.toString());
    }

    private Turn status(String deviceId) {
        if (deviceId == null) {
            return Turn.say("Which device? For example `status boiler-1`; `devices` lists them.");
        }
        Optional<DeviceDocument> found = directory.registry().find(deviceId);
        if (found.isEmpty()) {
            return Turn.say(unknownDevice(deviceId));
        }
        DeviceDocument device = found.get();
        Instant now = clock.instant();
        StringBuilder text = new StringBuilder(label(device));
        if (device.lastSeen() == null) {
            text.append(" has not reported yet.");
        } else {
            text.append(" is ").append(online(device, now) ? "online" : "**silent**").append(", last seen ")
                    .append(Texts.ago(device.lastSeen(), now)).append(" (").append(Texts.time(device.lastSeen(), now)).append(").");
        }
        device.latest().forEach((metric, latest) -> text.append("\n• ").append(metric).append(": **")
                .append(Texts.number(latest.value())).append("** (").append(Texts.time(latest.ts(), now)).append(")"));
        List<AlertDocument> active = activeAlerts(device.deviceId(), null);
        text.append(active.isEmpty() ? "\nNo open alerts." : "\nOpen alerts:");
        active.forEach(alert -> text.append("\n• ").append(alertLine(alert, now)));
        List<AlertDocument> resolved = alerts.list(AlertState.RESOLVED, device.deviceId(), null, MAX_RECENT_ALERTS, null).items().stream()
                .filter(alert -> alert.resolvedAt() != null && alert.resolvedAt().isAfter(now.minus(Duration.ofDays(1)))).toList();
        if (!resolved.isEmpty()) {
            text.append("\nResolved in the last 24 h:");
            resolved.forEach(alert -> text.append("\n• `").append(alert.id()).append("` ").append(alert.ruleName()).append(" — ")
                    .append(alert.severity().label()).append(", ").append(Texts.time(alert.openedAt(), now)).append(" to ")
                    .append(Texts.time(alert.resolvedAt(), now)));
        }
        String id = device.deviceId();
        return new Turn(text.toString(), s -> s.withContext("STATUS", id, s.lastMetric(), s.lastRange()));
    }

    private Turn metric(Intent intent, ConversationDocument state) {
        boolean followUp = intent.device() == null || intent.metric() == null;
        String deviceId = intent.device() != null ? intent.device() : state.lastDevice();
        String metric = intent.metric() != null ? intent.metric() : state.lastMetric();
        TimeRange range = intent.range() != null ? intent.range() : followUp && state.lastRange() != null ? state.lastRange() : null;
        if (deviceId == null) {
            return Turn.say("Which device? For example `" + (metric == null ? "temperature" : metric) + " of boiler-1 last hour`.");
        }
        if (metric == null) {
            return Turn.say("Which metric of `" + deviceId + "`? For example `temperature of " + deviceId + " last hour`.");
        }
        Optional<DeviceDocument> device = directory.registry().find(deviceId);
        if (device.isEmpty()) {
            return Turn.say(unknownDevice(deviceId));
        }
        Instant now = clock.instant();
        TimeRange window = range != null ? range : new TimeRange(now.minus(Duration.ofHours(1)), now, "last hour");
        Resolution resolution = window.length().compareTo(MINUTE_RESOLUTION_UP_TO) <= 0 ? Resolution.MINUTE : Resolution.HOUR;
        List<AggregateReader.Window> windows = new ArrayList<>();
        String continuation = null;
        do {
            Page<AggregateReader.Window> page = aggregates.read(deviceId, metric, resolution, window.from(), window.to(), 500, continuation);
            windows.addAll(page.items());
            continuation = page.continuation();
        } while (continuation != null && windows.size() < MAX_WINDOWS);
        String id = device.get().deviceId();
        UnaryOperator<ConversationDocument> remember = s -> s.withContext("METRIC", id, metric, window);
        if (windows.isEmpty()) {
            return new Turn("No " + metric + " readings from " + label(device.get()) + " " + window.label() + ".", remember);
        }
        long count = 0;
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        AggregateReader.Window latest = windows.get(0);
        List<Double> averages = new ArrayList<>();
        for (AggregateReader.Window w : windows) {
            count += w.count();
            sum += w.sum();
            min = Math.min(min, w.min());
            max = Math.max(max, w.max());
            averages.add(w.avg());
            if (!w.lastTs().isBefore(latest.lastTs())) {
                latest = w;
            }
        }
        String text = "**" + metric + "** of " + label(device.get()) + ", " + window.label() + ":\n"
                + "min **" + Texts.number(min) + "** · avg **" + Texts.number(sum / count) + "** · max **" + Texts.number(max)
                + "** · latest **" + Texts.number(latest.last()) + "** (" + Texts.time(latest.lastTs(), now) + ")\n"
                + Texts.sparkline(averages) + "  " + count + " readings";
        return new Turn(text, remember);
    }

    // ---- alerts ------------------------------------------------------------------------------

    private Turn alertList(Intent intent) {
        List<AlertDocument> active = activeAlerts(intent.device(), intent.severity());
        String filter = (intent.severity() != null ? " " + intent.severity().label() : "")
                + (intent.device() != null ? " on `" + intent.device() + "`" : "");
        if (active.isEmpty()) {
            return Turn.say("No open" + filter + " alerts.");
        }
        Instant now = clock.instant();
        StringBuilder text = new StringBuilder("**" + active.size() + " open" + filter + " alert" + (active.size() == 1 ? "" : "s") + "**");
        active.stream().limit(MAX_LISTED).forEach(alert -> text.append("\n• ").append(alertLine(alert, now)));
        text.append("\nSay `ack <id>` or `resolve <id>`.");
        return Turn.say(text.toString());
    }

    private List<AlertDocument> activeAlerts(String deviceId, Severity severity) {
        List<AlertDocument> active = new ArrayList<>();
        for (AlertState state : List.of(AlertState.OPEN, AlertState.ACKNOWLEDGED)) {
            active.addAll(alerts.list(state, deviceId, severity, MAX_LISTED, null).items());
        }
        active.sort((a, b) -> b.openedAt().compareTo(a.openedAt()));
        return active;
    }

    private Turn acknowledge(String alertId, String who) {
        try {
            AlertDocument alert = alerts.acknowledge(alertId, who, null);
            return Turn.say("Acknowledged `" + alertId + "`: " + alert.ruleName() + " on `" + alert.deviceId() + "`.");
        } catch (NotFoundException e) {
            return Turn.say("There is no alert `" + alertId + "`. `alerts` lists the open ones.");
        } catch (ConflictException e) {
            return Turn.say("Can't acknowledge `" + alertId + "`: " + e.getMessage() + ".");
        }
    }

    private Turn resolve(String alertId, String who) {
        try {
            AlertDocument alert = alerts.resolve(alertId, who, null);
            return Turn.say("Resolved `" + alertId + "`: " + alert.ruleName() + " on `" + alert.deviceId() + "`.");
        } catch (NotFoundException e) {
            return Turn.say("There is no alert `" + alertId + "`. `alerts` lists the open ones.");
        } catch (ConflictException e) {
            return Turn.say("Can't resolve `" + alertId + "`: " + e.getMessage() + ".");
        }
    }

    // ---- rules -------------------------------------------------------------------------------

    private Turn ruleList() {
        List<Rule> all = rules.list(100, null).items();
        if (all.isEmpty()) {
            return Turn.say("No rules yet. Try `alert me when temperature > 30 on boiler-1 for 5 minutes`.");
        }
        StringBuilder text = new StringBuilder("**" + all.size() + " rule" + (all.size() == 1 ? "" : "s") + "**");
        all.forEach(rule -> text.append("\n• `").append(rule.id()).append("` ").append(describe(rule)).append(rule.enabled() ? "" : " (disabled)"));
        return Turn.say(text.toString());
    }

    private Turn proposeRule(RuleDraft draft, IncomingMessage message) {
        String id = "r-" + sha256(conversationKey(message) + "\n" + message.messageId()).substring(0, 8);
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", id);
        json.put("name", draft.metric() + " " + draft.operator().symbol() + " " + Texts.number(draft.threshold()));
        ObjectNode scope = json.putObject("scope").put("kind", draft.scope().kind().label());
        if (draft.scope().value() != null) {
            scope.put("value", draft.scope().value());
        }
        json.put("metric", draft.metric());
        json.put("operator", draft.operator().symbol());
        json.put("threshold", draft.threshold());
        if (draft.holdSeconds() != null) {
            json.put("holdSeconds", draft.holdSeconds());
        }
        if (draft.consecutive() != null) {
            json.put("consecutive", draft.consecutive());
        }
        json.put("severity", draft.severity().label());
        Rule rule;
        try {
            rule = rules.parse(id, json);
        } catch (ValidationException e) {
            return Turn.say("I can't make that rule: " + e.getMessage() + ".");
        }
        String description = "rule `" + id + "`: " + describe(rule);
        PendingAction pending = new PendingAction("create_rule", id, json.toString(), description,
                clock.instant().plus(CONFIRMATION_TIMEOUT));
        return new Turn("I'll create " + description + ".\nReply **yes** to save it or **no** to cancel.", s -> s.withPending(pending))
                .offering(CONFIRM);
    }

    private Turn proposeDeletion(String ruleId) {
        Optional<Rule> rule = rules.find(ruleId);
        if (rule.isEmpty()) {
            return Turn.say("There is no rule `" + ruleId + "`. `rules` lists them.");
        }
        String description = "deleting rule `" + ruleId + "` (" + describe(rule.get()) + ")";
        PendingAction pending = new PendingAction("delete_rule", ruleId, null, description, clock.instant().plus(CONFIRMATION_TIMEOUT));
        return new Turn("Delete rule `" + ruleId + "`: " + describe(rule.get()) + "?\nReply **yes** to delete it or **no** to keep it.",
                s -> s.withPending(pending)).offering(CONFIRM);
    }

    private Turn confirm(ConversationDocument state) {
        PendingAction pending = state.pending();
        if (pending == null) {
            return Turn.say("There's nothing waiting for a yes.");
        }
        if (clock.instant().isAfter(pending.expiresAt())) {
            return new Turn("That request expired; please ask again.", s -> s.withPending(null));
        }
        if (pending.action().equals("create_rule")) {
            try {
                rules.create(Json.MAPPER.readTree(pending.ruleJson()));
            } catch (ConflictException alreadySaved) {
                // a retried confirmation: the rule is there, which is what was asked
            } catch (java.io.IOException e) {
                throw new IllegalStateException("pending rule is not JSON", e);
            }
            return new Turn("Saved " + pending.description() + ".", s -> s.withPending(null));
        }
        rules.delete(pending.ruleId());
        return new Turn("Deleted rule `" + pending.ruleId() + "`.", s -> s.withPending(null));
    }

    // ---- subscriptions -----------------------------------------------------------------------

    private Turn subscribe(Intent intent, IncomingMessage message) {
        RuleScope scope = intent.scope() != null ? intent.scope() : RuleScope.all();
        if (scope.kind() == RuleScope.Kind.DEVICE && directory.registry().find(scope.value()).isEmpty()) {
            return Turn.say(unknownDevice(scope.value()));
        }
        Severity minimum = intent.severity() != null ? intent.severity() : Severity.INFO;
        Subscription subscription = new Subscription(scope, minimum);
        String text = "Subscribed to " + (minimum == Severity.INFO ? "all" : minimum.label() + " and higher") + " alerts"
                + scopeText(scope) + ". I'll write here when one opens or resolves.";
        if (!canNotify.test(message.channel())) {
            text += "\n(Notifications for " + message.channel() + " are not configured yet, so none will arrive until they are.)";
        }
        return Turn.forAudience(text, s -> s.withSubscriptions(s.subscribing(subscription)));
    }

    private Turn unsubscribe(Intent intent, ConversationDocument state) {
        List<Subscription> current = state.subscriptions() == null ? List.of() : state.subscriptions();
        if (intent.scope() == null) {
            return Turn.forAudience(current.isEmpty() ? "You have no subscriptions." : "Unsubscribed from everything.",
                    s -> s.withSubscriptions(List.of()));
        }
        boolean found = current.stream().anyMatch(subscription -> subscription.scope().equals(intent.scope()));
        return Turn.forAudience(found ? "Unsubscribed from alerts" + scopeText(intent.scope()) + "."
                : "You weren't subscribed to alerts" + scopeText(intent.scope()) + ". " + subscriptionList(state),
                s -> s.withSubscriptions(s.subscriptions().stream().filter(sub -> !sub.scope().equals(intent.scope())).toList()));
    }

    private static String subscriptionList(ConversationDocument state) {
        if (state.subscriptions() == null || state.subscriptions().isEmpty()) {
            return "No subscriptions. Try `subscribe boiler-1` or `subscribe all critical`.";
        }
        StringBuilder text = new StringBuilder("Subscriptions:");
        state.subscriptions().forEach(s -> text.append("\n• alerts").append(scopeText(s.scope()))
                .append(s.minSeverity() == Severity.INFO ? "" : ", " + s.minSeverity().label() + " and higher"));
        return text.toString();
    }

    // ---- wording -----------------------------------------------------------------------------

    private boolean online(DeviceDocument device, Instant now) {
        if (device.silentAfter() != null) {
            return !now.isAfter(device.silentAfter()); // the device's own deadline, from its learned interval
        }
        return device.lastSeen() != null && Duration.between(device.lastSeen(), now).compareTo(silentAfter) <= 0;
    }

    private static String label(DeviceDocument device) {
        return device.name() != null && !device.name().equals(device.deviceId())
                ? "**" + device.name() + "** (`" + device.deviceId() + "`)"
                : "`" + device.deviceId() + "`";
    }

    private static String latestSummary(DeviceDocument device, int metrics) {
        StringBuilder text = new StringBuilder();
        device.latest().entrySet().stream().limit(metrics).forEach(entry -> text.append(" · ").append(entry.getKey()).append(" ")
                .append(Texts.number(entry.getValue().value())));
        return text.toString();
    }

    private static String alertLine(AlertDocument alert, Instant now) {
        return "`" + alert.id() + "` " + alert.ruleName() + " on `" + alert.deviceId() + "` — " + alert.severity().label()
                + ", " + alert.state().label() + " since " + Texts.time(alert.openedAt(), now);
    }

    private String unknownDevice(String deviceId) {
        Optional<String> close = Fuzzy.closest(deviceId.toLowerCase(Locale.ROOT),
                directory.devices().stream().map(d -> d.deviceId().toLowerCase(Locale.ROOT)).toList());
        return "I don't know a device `" + deviceId + "`." + close.map(id -> " Did you mean `" + id + "`?").orElse(" `devices` lists them.");
    }

    static String describe(Rule rule) {
        StringBuilder text = new StringBuilder("**" + rule.metric() + " " + rule.operator().symbol() + " " + Texts.number(rule.threshold()) + "**")
                .append(scopeText(rule.scope()));
        if (rule.holdSeconds() != null) {
            text.append(", held ").append(duration(rule.holdSeconds()));
        }
        if (rule.consecutive() != null) {
            text.append(", ").append(rule.consecutive()).append(" readings in a row");
        }
        if (rule.clear() != null) {
            text.append(", clears at ").append(rule.clear().operator().symbol()).append(" ").append(Texts.number(rule.clear().threshold()));
        }
        return text.append(", ").append(rule.severity().label()).toString();
    }

    private static String duration(long seconds) {
        return seconds % 3600 == 0 ? seconds / 3600 + " h" : seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private static String scopeText(RuleScope scope) {
        return switch (scope.kind()) {
            case ALL -> " on all devices";
            case DEVICE -> " on `" + scope.value() + "`";
            case TAG -> " on devices tagged `" + scope.value() + "`";
        };
    }

    private static String who(IncomingMessage message) {
        String name = message.userName() != null ? message.userName() : message.userId();
        return message.channel() + ":" + (name == null || name.isBlank() ? "unknown" : name);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
