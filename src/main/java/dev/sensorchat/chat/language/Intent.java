package dev.sensorchat.chat.language;

import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;

/**
 * A message understood: what is asked, and the entities found in it (null when absent).
 *
 * @param device     a device id (known, or a word that looks like one)
 * @param metric     a metric name, synonyms already resolved
 * @param range      a time range
 * @param tag        a tag (for device lists)
 * @param location   a location (for device lists)
 * @param severity   a severity (alert filter, subscription minimum)
 * @param alertId    an alert id
 * @param ruleId     a rule id
 * @param rule       a rule to create
 * @param scope      what to (un)subscribe to
 * @param suggestion for UNKNOWN: what the person may have meant
 * @param problem    for UNUSABLE: what makes the message unusable as written, in the user's terms
 */
public record Intent(IntentType type, String device, String metric, TimeRange range, String tag, String location,
                     Severity severity, String alertId, String ruleId, RuleDraft rule, RuleScope scope, String suggestion,
                     String problem) {

    public static Intent of(IntentType type) {
        return new Intent(type, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A message that cannot be answered as written, and why: never guessed at, never answered as something else. */
    public static Intent unusable(String problem) {
        return new Intent(IntentType.UNUSABLE, null, null, null, null, null, null, null, null, null, null, null, problem);
    }

    public Intent withDevice(String value) {
        return new Intent(type, value, metric, range, tag, location, severity, alertId, ruleId, rule, scope, suggestion, problem);
    }

    public Intent withMetric(String value) {
        return new Intent(type, device, value, range, tag, location, severity, alertId, ruleId, rule, scope, suggestion, problem);
    }

    public Intent withRange(TimeRange value) {
        return new Intent(type, device, metric, value, tag, location, severity, alertId, ruleId, rule, scope, suggestion, problem);
    }

    public Intent withTag(String value) {
        return new Intent(type, device, metric, range, value, location, severity, alertId, ruleId, rule, scope, suggestion, problem);
    }

    public Intent withLocation(String value) {
        return new Intent(type, device, metric, range, tag, value, severity, alertId, ruleId, rule, scope, suggestion, problem);
    }

    public Intent withSeverity(Severity value) {
        return new Intent(type, device, metric, range, tag, location, value, alertId, ruleId, rule, scope, suggestion, problem);
    }

    public Intent withAlertId(String value) {
        return new Intent(type, device, metric, range, tag, location, severity, value, ruleId, rule, scope, suggestion, problem);
    }

    public Intent withRuleId(String value) {
        return new Intent(type, device, metric, range, tag, location, severity, alertId, value, rule, scope, suggestion, problem);
    }

    public Intent withRule(RuleDraft value) {
        return new Intent(type, device, metric, range, tag, location, severity, alertId, ruleId, value, scope, suggestion, problem);
    }

    public Intent withScope(RuleScope value) {
        return new Intent(type, device, metric, range, tag, location, severity, alertId, ruleId, rule, value, suggestion, problem);
    }

    public Intent withSuggestion(String value) {
        return new Intent(type, device, metric, range, tag, location, severity, alertId, ruleId, rule, scope, value, problem);
    }
}
