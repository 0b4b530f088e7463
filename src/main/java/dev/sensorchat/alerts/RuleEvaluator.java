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
}
