package dev.sensorchat.chat;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.ConversationDocument.DeleteRule;
import dev.sensorchat.chat.ConversationDocument.PendingAction;
import dev.sensorchat.chat.ConversationDocument.Subscription;
import dev.sensorchat.chat.channels.Reply;
import dev.sensorchat.common.Numbers;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.reports.FleetReport;
import dev.sensorchat.telemetry.MetricStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything the chat says, and how numbers and times are written wherever people read them (chat
 * replies, alert notifications, reports). Handlers decide what to answer; the words are here, so
 * they stay consistent and can be reviewed in one file. Replies are small Markdown.
 */
public final class Texts {

    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    static final int SPARKLINE_WIDTH = 24;
    /** Longer lists are cut here, saying how many more there are. */
    public static final int MAX_LISTED = 20;

    public static final List<Reply.Choice> CONFIRM = List.of(new Reply.Choice("Yes", "yes"), new Reply.Choice("No", "no"));

    public static final String HELP = String.join("\n",
            "I know your devices, their readings and alerts. Try:",
            "• `devices` (or `devices with tag greenhouse`, `devices in plant 2`)",
            "• `status boiler-1`",
            "• `temperature of boiler-1 last hour` (also: today, yesterday, last 24h, since 10:00, 2026-11-20)",
            "• then `and humidity?` or `what about boiler-2?`",
            "• `alerts`, `alerts critical`, `ack al-…`, `resolve al-…`",
            "• `rules`, `alert me when temperature > 30 on boiler-1 for 5 minutes`, `delete rule <id>`",
            "• `subscribe boiler-1`, `subscribe tag greenhouse critical`, `unsubscribe`, `subscriptions`",
            "• `report yesterday`, `report for boiler-1 last week`, `report tag greenhouse today`");

    public static final String WHICH_DEVICE = "Which device? For example `status boiler-1`; `devices` lists them.";
    public static final String NO_RULES = "No rules yet. Try `alert me when temperature > 30 on boiler-1 for 5 minutes`.";
    public static final String NOTHING_PENDING = "There's nothing waiting for a yes.";

    /** A signed-in writer (the web chat) asked for what their role does not allow; the API says the same. */
    public static String notAllowed(String role, String needed) {
        return "Your role (" + role + ") cannot do that; it needs " + needed + ". Ask an admin for the role.";
    }
    public static final String NOTHING_TO_CANCEL = "OK.";
    public static final String EXPIRED = "That request expired; please ask again.";
    public static final String NO_SUBSCRIPTIONS = "No subscriptions. Try `subscribe boiler-1` or `subscribe all critical`.";

    private Texts() {
    }

    // ---- numbers and times ---------------------------------------------------------------------

    /** At most two decimals, no trailing zeros: 21.4, 1000, -0.05. */
    public static String number(double value) {
        return Numbers.number(value);
    }

    /** Thousands separated by commas, whatever the default locale: 12,345. */
    public static String count(long value) {
        return Numbers.count(value);
    }

    public static String ago(Instant then, Instant now) {
        Duration age = Duration.between(then, now);
        if (age.isNegative() || age.toSeconds() < 60) {
            return "just now";
        }
        if (age.toMinutes() < 60) {
            return age.toMinutes() + " min ago";
        }
        if (age.toHours() < 48) {
            return age.toHours() + " h ago";
        }
        return age.toDays() + " days ago";
    }

    /** {@code 09:55 UTC} today, else {@code Nov 19 09:55 UTC}. */
    public static String time(Instant instant, Instant now) {
        return instant.truncatedTo(ChronoUnit.DAYS).equals(now.truncatedTo(ChronoUnit.DAYS)) ? TIME.format(instant) : DATE_TIME.format(instant);
    }

    /** ▁▂▃▅▇ over the values, averaged down to at most {@value #SPARKLINE_WIDTH} bars. */
    public static String sparkline(List<Double> values) {
        if (values.isEmpty()) {
            return "";
        }
        List<Double> points = new ArrayList<>();
        int buckets = Math.min(SPARKLINE_WIDTH, values.size());
        for (int b = 0; b < buckets; b++) {
            int from = b * values.size() / buckets;
            int to = (b + 1) * values.size() / buckets;
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += values.get(i);
            }
            points.add(sum / (to - from));
        }
        double min = points.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = points.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder line = new StringBuilder();
        for (double point : points) {
            int level = max == min ? 3 : (int) Math.round((point - min) / (max - min) * (BARS.length - 1));
            line.append(BARS[level]);
        }
        return line.toString();
    }

    private static String duration(long seconds) {
        return seconds % 3600 == 0 ? seconds / 3600 + " h" : seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private static String plural(long count, String one) {
        return count + " " + one + (count == 1 ? "" : "s");
    }

    // ---- the fleet's nouns ---------------------------------------------------------------------

    private static String device(DeviceDocument device) {
        return device.name() != null && !device.name().equals(device.deviceId())
                ? "**" + device.name() + "** (`" + device.deviceId() + "`)"
                : "`" + device.deviceId() + "`";
    }

    /** " on all devices", " on `boiler-1`", " on devices tagged `greenhouse`". */
    private static String scope(RuleScope scope) {
        return switch (scope.kind()) {
            case ALL -> " on all devices";
            case DEVICE -> " on `" + scope.value() + "`";
            case TAG -> " on devices tagged `" + scope.value() + "`";
        };
    }

    static String rule(Rule rule) {
        StringBuilder text = new StringBuilder("**" + rule.metric() + " " + rule.operator().symbol() + " " + number(rule.threshold()) + "**")
                .append(scope(rule.scope()));
        if (rule.holdSeconds() != null) {
            text.append(", held ").append(duration(rule.holdSeconds()));
        }
        if (rule.consecutive() != null) {
            text.append(", ").append(rule.consecutive()).append(" readings in a row");
        }
        if (rule.clear() != null) {
            text.append(", clears at ").append(rule.clear().operator().symbol()).append(" ").append(number(rule.clear().threshold()));
        }
        return text.append(", ").append(rule.severity().label()).toString();
    }

    /** The name a rule made in the chat gets: its condition. */
    public static String ruleName(String metric, String operatorSymbol, double threshold) {
        return metric + " " + operatorSymbol + " " + number(threshold);
    }

    private static String alertLine(AlertDocument alert, Instant now) {
        return "`" + alert.id() + "` " + alert.ruleName() + " on `" + alert.deviceId() + "` — " + alert.severity().label()
                + ", " + alert.state().label() + " since " + time(alert.openedAt(), now);
    }

    public static String unknownDevice(String deviceId, Optional<String> closest) {
        return "I don't know a device `" + deviceId + "`." + closest.map(id -> " Did you mean `" + id + "`?").orElse(" `devices` lists them.");
    }

    // ---- deliveries ----------------------------------------------------------------------------

    public static final String STILL_WORKING = "Still working on that message; the answer will follow.";
    /** A message older than this was held up (a platform retrying through an outage): say so. */
    static final Duration LATE_AFTER = Duration.ofMinutes(5);

    /** A line that opens the answer to a message that arrived late, or empty. */
    public static Optional<String> late(long sentAtEpochSeconds, Instant now) {
        if (sentAtEpochSeconds <= 0) {
            return Optional.empty();
        }
        Instant sent = Instant.ofEpochSecond(sentAtEpochSeconds);
        if (Duration.between(sent, now).compareTo(LATE_AFTER) <= 0) {
            return Optional.empty();
        }
        return Optional.of("(Your message from " + time(sent, now) + " reached me only now, " + ago(sent, now)
                + ". This answer is as of now.)\n");
    }

    public static String unusable(String problem) {
        return "I can't answer that as written: " + problem + ". Say `help` for what I can do.";
    }

    public static String notUnderstood(String suggestion) {
        return "Sorry, I didn't get that." + (suggestion == null ? "" : " Did you mean " + suggestion + "?") + " Say `help` for what I can do.";
    }

    // ---- devices, status and metrics -----------------------------------------------------------

    /** The filter as it reads after "devices": " with tag `x`", " in plant 2", or nothing. */
    public static String deviceFilter(String tag, String location) {
        return tag != null ? " with tag `" + tag + "`" : location != null ? " in " + location : "";
    }

    public static String devices(List<DeviceDocument> matching, String filter, Predicate<DeviceDocument> online) {
        if (matching.isEmpty()) {
            return "No devices" + filter + ".";
        }
        StringBuilder text = new StringBuilder("**" + plural(matching.size(), "device") + filter + "**");
        matching.stream().limit(MAX_LISTED).forEach(device -> text.append("\n• ").append(device(device)).append(" — ")
                .append(online.test(device) ? "online" : "silent").append(latest(device, 3)));
        if (matching.size() > MAX_LISTED) {
            text.append("\n…and ").append(matching.size() - MAX_LISTED).append(" more");
        }
        return text.toString();
    }

    private static String latest(DeviceDocument device, int metrics) {
        StringBuilder text = new StringBuilder();
        device.latest().entrySet().stream().limit(metrics).forEach(entry -> text.append(" · ").append(entry.getKey()).append(" ")
                .append(number(entry.getValue().value())));
        return text.toString();
    }

    /** A device's state, latest values, open alerts and those resolved recently. */
    public static String status(DeviceDocument device, boolean online, List<AlertDocument> active, List<AlertDocument> resolved, Instant now) {
        StringBuilder text = new StringBuilder(device(device));
        if (device.lastSeen() == null) {
            text.append(" has not reported yet.");
        } else {
            text.append(" is ").append(online ? "online" : "**silent**").append(", last seen ")
                    .append(ago(device.lastSeen(), now)).append(" (").append(time(device.lastSeen(), now)).append(").");
        }
        device.latest().forEach((metric, latest) -> text.append("\n• ").append(metric).append(": **")
                .append(number(latest.value())).append("** (").append(time(latest.ts(), now)).append(")"));
        text.append(active.isEmpty() ? "\nNo open alerts." : "\nOpen alerts:");
        active.forEach(alert -> text.append("\n• ").append(alertLine(alert, now)));
        if (!resolved.isEmpty()) {
            text.append("\nResolved in the last 24 h:");
            resolved.forEach(alert -> text.append("\n• `").append(alert.id()).append("` ").append(alert.ruleName()).append(" — ")
                    .append(alert.severity().label()).append(", ").append(time(alert.openedAt(), now)).append(" to ")
                    .append(time(alert.resolvedAt(), now)));
        }
        return text.toString();
    }

    public static String whichDeviceFor(String metric) {
        return "Which device? For example `" + (metric == null ? "temperature" : metric) + " of boiler-1 last hour`.";
    }

    public static String whichMetricOf(String deviceId) {
        return "Which metric of `" + deviceId + "`? For example `temperature of " + deviceId + " last hour`.";
    }

    public static String noReadings(String metric, DeviceDocument device, String range) {
        return "No " + metric + " readings from " + device(device) + " " + range + ".";
    }

    /** @param averages the windows' averages in time order, for the sparkline */
    public static String metric(String metric, DeviceDocument device, String range, MetricStats stats, List<Double> averages, Instant now) {
        return "**" + metric + "** of " + device(device) + ", " + range + ":\n"
                + "min **" + number(stats.min()) + "** · avg **" + number(stats.average()) + "** · max **" + number(stats.max())
                + "** · latest **" + number(stats.last()) + "** (" + time(stats.lastTs(), now) + ")\n"
                + sparkline(averages) + "  " + stats.count() + " readings";
    }

    // ---- alerts --------------------------------------------------------------------------------

    /** " critical on `boiler-1`": the filter of an alert list, as it reads after "open". */
    public static String alertFilter(Severity severity, String deviceId) {
        return (severity != null ? " " + severity.label() : "") + (deviceId != null ? " on `" + deviceId + "`" : "");
    }

    public static String alerts(List<AlertDocument> active, String filter, Instant now) {
        if (active.isEmpty()) {
            return "No open" + filter + " alerts.";
        }
        StringBuilder text = new StringBuilder("**" + active.size() + " open" + filter + " alert" + (active.size() == 1 ? "" : "s") + "**");
        active.stream().limit(MAX_LISTED).forEach(alert -> text.append("\n• ").append(alertLine(alert, now)));
        return text.append("\nSay `ack <id>` or `resolve <id>`.").toString();
    }

    public static String acknowledged(AlertDocument alert) {
        return "Acknowledged `" + alert.id() + "`: " + alert.ruleName() + " on `" + alert.deviceId() + "`.";
    }

    public static String resolved(AlertDocument alert) {
        return "Resolved `" + alert.id() + "`: " + alert.ruleName() + " on `" + alert.deviceId() + "`.";
    }

    public static String noSuchAlert(String alertId) {
        return "There is no alert `" + alertId + "`. `alerts` lists the open ones.";
    }

    /** @param action "acknowledge" or "resolve" */
    public static String cannot(String action, String alertId, String reason) {
        return "Can't " + action + " `" + alertId + "`: " + reason + ".";
    }

    /** A notification of one alert change: opened, resolved, offline or back online. */
    public static String alertChange(AlertDocument alert, AlertDocument.Transition transition, Instant now) {
        if (alert.isOffline()) {
            return transition.state() == AlertState.OPEN
                    ? "📴 `" + alert.deviceId() + "` is **offline** (" + alert.severity().label() + "): not seen since "
                            + time(transition.readingTs(), now) + ". Say `ack " + alert.id() + "`."
                    : "✅ `" + alert.deviceId() + "` is back online (`" + alert.id() + "`).";
        }
        String reading = transition.value() == null ? ""
                : ": " + alert.metric() + " " + number(transition.value()) + " at " + time(transition.readingTs(), now);
        if (transition.state() == AlertState.OPEN) {
            return "🔔 **" + alert.ruleName() + "** on `" + alert.deviceId() + "` (" + alert.severity().label() + ")" + reading
                    + ". Say `ack " + alert.id() + "`.";
        }
        return "✅ Resolved: **" + alert.ruleName() + "** on `" + alert.deviceId() + "`" + reading + " (`" + alert.id() + "`).";
    }

    /** Many alert changes at once, in one message. @param perDevice changes per device, in the order to list them */
    public static String alertChanges(int changes, long opened, Map<String, Integer> perDevice) {
        StringBuilder devices = new StringBuilder();
        perDevice.forEach((device, count) -> devices.append(devices.length() == 0 ? "" : ", ")
                .append('`').append(device).append("` (").append(count).append(')'));
        return "🔔 **" + changes + " alert changes**: " + opened + " opened, " + (changes - opened) + " resolved, on " + devices
                + ". Say `alerts` for the open ones.";
    }

    // ---- rules ---------------------------------------------------------------------------------

    public static String rules(List<Rule> all) {
        if (all.isEmpty()) {
            return NO_RULES;
        }
        StringBuilder text = new StringBuilder("**" + plural(all.size(), "rule") + "**");
        all.forEach(rule -> text.append("\n• `").append(rule.id()).append("` ").append(rule(rule))
                .append(rule.enabled() ? "" : " (disabled)"));
        return text.toString();
    }

    public static String invalidRule(String problem) {
        return "I can't make that rule: " + problem + ".";
    }

    public static String noSuchRule(String ruleId) {
        return "There is no rule `" + ruleId + "`. `rules` lists them.";
    }

    public static String proposal(PendingAction action) {
        return action instanceof DeleteRule
                ? "Delete rule `" + action.rule().id() + "`: " + rule(action.rule()) + "?\nReply **yes** to delete it or **no** to keep it."
                : "I'll create " + pending(action) + ".\nReply **yes** to save it or **no** to cancel.";
    }

    public static String done(PendingAction action) {
        return action instanceof DeleteRule ? "Deleted rule `" + action.rule().id() + "`." : "Saved " + pending(action) + ".";
    }

    public static String cancelled(PendingAction action) {
        return "Cancelled: " + pending(action) + ".";
    }

    private static String pending(PendingAction action) {
        return action instanceof DeleteRule
                ? "deleting rule `" + action.rule().id() + "` (" + rule(action.rule()) + ")"
                : "rule `" + action.rule().id() + "`: " + rule(action.rule());
    }

    // ---- subscriptions -------------------------------------------------------------------------

    /** @param unconfiguredChannel named when notifications to it are not configured yet, else null */
    public static String subscribed(Subscription subscription, String unconfiguredChannel) {
        Severity minimum = subscription.minSeverity();
        String text = "Subscribed to " + (minimum == Severity.INFO ? "all" : minimum.label() + " and higher") + " alerts"
                + scope(subscription.scope()) + ". I'll write here when one opens or resolves.";
        return unconfiguredChannel == null ? text
                : text + "\n(Notifications for " + unconfiguredChannel + " are not configured yet, so none will arrive until they are.)";
    }

    public static String unsubscribedFromAll(boolean hadAny) {
        return hadAny ? "Unsubscribed from everything." : "You have no subscriptions.";
    }

    public static String unsubscribed(RuleScope scope) {
        return "Unsubscribed from alerts" + scope(scope) + ".";
    }

    public static String notSubscribed(RuleScope scope, List<Subscription> current) {
        return "You weren't subscribed to alerts" + scope(scope) + ". " + subscriptions(current);
    }

    public static String subscriptions(List<Subscription> subscriptions) {
        if (subscriptions.isEmpty()) {
            return NO_SUBSCRIPTIONS;
        }
        StringBuilder text = new StringBuilder("Subscriptions:");
        subscriptions.forEach(s -> text.append("\n• alerts").append(scope(s.scope()))
                .append(s.minSeverity() == Severity.INFO ? "" : ", " + s.minSeverity().label() + " and higher"));
        return text.toString();
    }

    // ---- reports -------------------------------------------------------------------------------

    public static String cannotReport(String reason) {
        return "I can't make that report: " + reason + ".";
    }

    /** A report's headline numbers, its metrics when it covers one device, its most unusual hour, and the link. */
    public static String report(FleetReport report, String range, RuleScope scope, String htmlLink) {
        FleetReport.Fleet fleet = report.fleet();
        StringBuilder text = new StringBuilder("**Report: " + range + "** (" + report.from() + " to " + report.to() + ")" + scope(scope));
        text.append("\n• ").append(plural(fleet.devices(), "device")).append(", ")
                .append(fleet.reporting()).append(" reporting, availability ").append(number(fleet.availability() * 100)).append(" %");
        text.append("\n• ").append(count(fleet.readings())).append(" readings");
        text.append("\n• alerts: ").append(fleet.alertsOpened()).append(" opened, ").append(fleet.alertsResolved()).append(" resolved, ")
                .append(fleet.alertsOpenAtEnd()).append(" open at the end");
        if (report.devices().size() == 1) {
            report.devices().get(0).metrics().forEach(metric -> text.append("\n• ").append(metric.metric()).append(": min ")
                    .append(number(metric.min())).append(", avg ").append(number(metric.avg())).append(", max ")
                    .append(number(metric.max())));
        }
        if (!report.topAnomalies().isEmpty()) {
            FleetReport.Anomaly top = report.topAnomalies().get(0);
            text.append("\n• most unusual: `").append(top.deviceId()).append("` ").append(top.metric()).append(' ')
                    .append(number(top.value())).append(" in the hour from ").append(top.hour()).append(" (usually ")
                    .append(number(top.average())).append(')');
        }
        return text.append("\nFull report (HTML, for one hour): ").append(htmlLink).toString();
    }
}
