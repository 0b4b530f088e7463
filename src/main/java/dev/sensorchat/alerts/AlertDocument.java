package dev.sensorchat.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An alert, as stored in the {@code alerts} container (partition key {@code deviceId}).
 *
 * @param id          deterministic, see {@link AlertIds}
 * @param type        always {@value #TYPE}: the container also holds each device's rule state
 * @param condition   the raise condition at the time the alert opened
 * @param transitions every change of state, with its time, who made it, and the reading behind it
 */
public record AlertDocument(String id, String type, String deviceId, String ruleId, String ruleName, String metric,
                            Condition condition, Severity severity, AlertState state, Instant openedAt,
                            Instant acknowledgedAt, Instant resolvedAt, List<Transition> transitions) {

    public static final String TYPE = "alert";
    public static final String BY_RULE = "rule";
    /** The rule id of offline alerts, raised by the silent-device check rather than a rule. */
    public static final String OFFLINE = "offline";

    /**
     * One change of state.
     *
     * @param by        {@value #BY_RULE} for automatic changes, else who made it through the API or chat
     * @param readingTs the reading that caused it (automatic changes only)
     * @param value     that reading's value
     */
    public record Transition(AlertState state, Instant at, String by, Instant readingTs, Double value, String note) {
    }

    /** Thrown when a change is not allowed in the alert's current state. */
    public static final class IllegalTransition extends RuntimeException {
        public IllegalTransition(String message) {
            super(message);
        }
    }

    static AlertDocument open(Rule rule, String deviceId, long readingTs, double value) {
        Instant at = Instant.ofEpochMilli(readingTs);
        return new AlertDocument(AlertIds.of(deviceId, rule.id(), readingTs), TYPE, deviceId, rule.id(), rule.name(),
                rule.metric(), rule.raise(), rule.severity(), AlertState.OPEN, at, null, null,
                List.of(new Transition(AlertState.OPEN, at, BY_RULE, at, value, null)));
    }

    /**
     * A device that has not reported for longer than it should: opened at {@code at}, when that was
     * noticed; {@code lastSeen} (part of the id) makes a second check of the same silence a no-op.
     */
    public static AlertDocument offline(String deviceId, Instant lastSeen, Instant at, Severity severity) {
        String note = "not seen since " + lastSeen;
        return new AlertDocument(AlertIds.of(deviceId, OFFLINE, lastSeen.toEpochMilli()), TYPE, deviceId, OFFLINE, OFFLINE,
                null, null, severity, AlertState.OPEN, at, null, null,
                List.of(new Transition(AlertState.OPEN, at, BY_RULE, lastSeen, null, note)));
    }

    public boolean isOffline() {
        return OFFLINE.equals(ruleId);
    }

    /** Resolved by the rule's clear condition, or for an offline alert by the next reading (value null). */
    public AlertDocument resolvedByRule(long readingTs, Double value) {
        Instant at = Instant.ofEpochMilli(readingTs);
        return with(AlertState.RESOLVED, at, new Transition(AlertState.RESOLVED, at, BY_RULE, at, value, null));
    }

    public AlertDocument acknowledged(Instant at, String by, String note) {
        if (state != AlertState.OPEN) {
            throw new IllegalTransition("alert " + id + " is " + state.label() + "; only open alerts can be acknowledged");
        }
        return with(AlertState.ACKNOWLEDGED, at, new Transition(AlertState.ACKNOWLEDGED, at, by, null, null, note));
    }

    public AlertDocument resolved(Instant at, String by, String note) {
        if (state == AlertState.RESOLVED) {
            throw new IllegalTransition("alert " + id + " is already resolved");
        }
        return with(AlertState.RESOLVED, at, new Transition(AlertState.RESOLVED, at, by, null, null, note));
    }

    public boolean isActive() {
        return state != AlertState.RESOLVED;
    }

    private AlertDocument with(AlertState next, Instant at, Transition transition) {
        List<Transition> history = new ArrayList<>(transitions);
        history.add(transition);
        return new AlertDocument(id, type, deviceId, ruleId, ruleName, metric, condition, severity, next, openedAt,
                next == AlertState.ACKNOWLEDGED ? at : acknowledgedAt,
                next == AlertState.RESOLVED ? at : resolvedAt,
                List.copyOf(history));
    }
}
