package dev.sensorchat.alerts;

import dev.sensorchat.telemetry.AppliedPositions;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.SourcedReading;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a device's rules over its new readings: pure, deterministic, no I/O.
 *
 * <p>Readings are taken in position order (arrival), and each rule skips readings that are not
 * newer than the last one it evaluated, so every rule sees the device's readings in event-time
 * order and the outcome does not depend on how a stream was cut into batches. A late reading
 * still counts in the aggregates; it just cannot raise or clear an alert after the fact.
 *
 * <p>Semantics per rule (one alert at most per device and rule):
 * <ul>
 *   <li>no open alert: a reading that meets the raise condition extends the current run; the
 *       alert opens when the run is long enough: at once (simple), after {@code consecutive}
 *       readings (repeating) or once the run has lasted {@code holdSeconds} (duration). A reading
 *       that does not meet it ends the run;</li>
 *   <li>open alert: a reading that meets the clear condition resolves it. Between the raise and
 *       clear thresholds nothing changes (hysteresis).</li>
 * </ul>
 */
public final class RuleEvaluator {

    /** A rule-state document plus alert documents must fit in one transactional batch. */
    public static final int MAX_ALERT_CHANGES = 98;

    private RuleEvaluator() {
    }

    /**
     * What evaluating a batch changed.
     *
     * @param state          the new rule-state document (the input one when nothing was new)
     * @param openedAlerts   alerts opened by this evaluation (some may already be resolved again)
     * @param resolvedAlerts alerts opened earlier that this evaluation resolved: id → resolving reading
     * @param changed        whether anything new was evaluated (and the state must be written)
     * @param complete       false when it stopped early to keep the change set small; evaluate again
     */
    public record Outcome(RuleStateDocument state, Map<String, AlertDocument> openedAlerts,
                          Map<String, SourcedReading> resolvedAlerts, boolean changed, boolean complete) {
    }

    /**
     * What one reading did to one rule on one device.
     *
     * @param next     the rule's state afterwards
     * @param opened   the alert it opened, if any
     * @param resolved the open alert it resolved, if any
     */
    public record Step(RuleState next, AlertDocument opened, String resolved) {
    }

    /**
     * Evaluates one reading ({@code value} of the rule's metric at {@code ts}) against one rule;
     * null when the reading is not newer than what the rule already evaluated, so it changes
     * nothing. The building block of the stream processor, with the semantics described above.
     */
    public static Step step(Rule rule, String deviceId, RuleState state, long ts, double value) {
        if (state.lastTs() != null && ts <= state.lastTs().toEpochMilli()) {
            return null;
        }
        Instant at = Instant.ofEpochMilli(ts);
        if (state.openAlertId() != null) {
            if (rule.clearCondition().test(value)) {
                return new Step(new RuleState(0, null, at, null), null, state.openAlertId());
            }
            return new Step(new RuleState(0, null, at, state.openAlertId()), null, null);
        }
        if (!rule.raise().test(value)) {
            return new Step(new RuleState(0, null, at, null), null, null);
        }
        int run = state.consecutive() + 1;
        Instant since = state.matchingSince() != null ? state.matchingSince() : at;
        if (run >= rule.requiredConsecutive() && ts - since.toEpochMilli() >= rule.hold().toMillis()) {
            AlertDocument alert = AlertDocument.open(rule, deviceId, ts, value);
            return new Step(new RuleState(0, null, at, alert.id()), alert, null);
        }
        return new Step(new RuleState(run, since, at, null), null, null);
    }

    public static Outcome evaluate(RuleStateDocument document, String source, List<SourcedReading> readings,
                                   List<Rule> rules) {
        long applied = AppliedPositions.applied(document.applied(), source);
        Map<String, RuleState> states = new HashMap<>(document.rules());
        Map<String, AlertDocument> opened = new LinkedHashMap<>();
        Map<String, SourcedReading> resolved = new LinkedHashMap<>();
        long lastPosition = applied;
        boolean complete = true;
        int i = 0;
        while (i < readings.size()) {
            long position = readings.get(i).position();
            if (position <= applied) {
                i++;
                continue;
            }
            if (opened.size() + resolved.size() >= MAX_ALERT_CHANGES) {
                complete = false;
                break;
            }
            // All readings of one event share a position and are applied together.
            for (; i < readings.size() && readings.get(i).position() == position; i++) {
                backOnline(readings.get(i), states, opened, resolved);
                for (Rule rule : rules) {
                    step(rule, document.deviceId(), readings.get(i), states, opened, resolved);
                }
            }
            lastPosition = position;
        }
        if (lastPosition == applied) {
            return new Outcome(document, Map.of(), Map.of(), false, true);
        }
        RuleStateDocument next = new RuleStateDocument(document.id(), document.type(), document.deviceId(),
                Map.copyOf(states), AppliedPositions.advance(document.applied(), source, lastPosition));
        return new Outcome(next, opened, resolved, true, complete);
    }

    /** Any reading newer than the silence an offline alert was opened for resolves that alert. */
    private static void backOnline(SourcedReading sourced, Map<String, RuleState> states, Map<String, AlertDocument> opened,
                                   Map<String, SourcedReading> resolved) {
        RuleState offline = states.get(AlertDocument.OFFLINE);
        long ts = sourced.reading().timestampMs();
        if (offline == null || offline.openAlertId() == null || ts <= offline.lastTs().toEpochMilli()) {
            return;
        }
        resolved.put(offline.openAlertId(), sourced);
        states.put(AlertDocument.OFFLINE, new RuleState(0, null, Instant.ofEpochMilli(ts), null));
    }

    private static void step(Rule rule, String deviceId, SourcedReading sourced, Map<String, RuleState> states,
                             Map<String, AlertDocument> opened, Map<String, SourcedReading> resolved) {
        Reading reading = sourced.reading();
        double value = reading.valueOf(rule.metric());
        if (Double.isNaN(value)) {
            return; // this reading does not carry the rule's metric
        }
        RuleState state = states.getOrDefault(rule.id(), RuleState.INITIAL);
        long ts = reading.timestampMs();
        if (state.lastTs() != null && ts <= state.lastTs().toEpochMilli()) {
            return; // not newer than what this rule already evaluated
        }
        Instant at = Instant.ofEpochMilli(ts);
        if (state.openAlertId() != null) {
            if (rule.clearCondition().test(value)) {
                AlertDocument sameBatch = opened.get(state.openAlertId());
                if (sameBatch != null) {
                    opened.put(sameBatch.id(), sameBatch.resolvedByRule(ts, value));
                } else {
                    resolved.put(state.openAlertId(), sourced);
                }
                states.put(rule.id(), new RuleState(0, null, at, null));
            } else {
                states.put(rule.id(), new RuleState(0, null, at, state.openAlertId()));
            }
            return;
        }
        if (!rule.raise().test(value)) {
            states.put(rule.id(), new RuleState(0, null, at, null));
            return;
        }
        int run = state.consecutive() + 1;
        Instant since = state.matchingSince() != null ? state.matchingSince() : at;
        boolean fires = run >= rule.requiredConsecutive()
                && ts - since.toEpochMilli() >= rule.hold().toMillis();
        if (fires) {
            AlertDocument alert = AlertDocument.open(rule, deviceId, ts, value);
            opened.put(alert.id(), alert);
            states.put(rule.id(), new RuleState(0, null, at, alert.id()));
        } else {
            states.put(rule.id(), new RuleState(run, since, at, null));
        }
    }
}
