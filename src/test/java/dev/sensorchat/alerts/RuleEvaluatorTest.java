package dev.sensorchat.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.SourcedReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEvaluatorTest {

    private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    private static final String SOURCE = "eh:0";

    private static Rule rule(String id, Long holdSeconds, Integer consecutive, Condition clear) {
        return new Rule(id, "Overheat " + id, RuleScope.all(), "temperature", Operator.GT, 80, holdSeconds, consecutive,
                clear, Severity.CRITICAL, true, null, null, null);
    }

    /** Temperatures one per second, at positions 1, 2, 3, ... */
    private static List<SourcedReading> temperatures(long firstPosition, double... values) {
        List<SourcedReading> readings = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            long position = firstPosition + i;
            readings.add(new SourcedReading(position, new Reading(T0 + position * 1000, new String[] {"temperature"}, new double[] {values[i]})));
        }
        return readings;
    }

    /** Runs the evaluator the way the stream does: reading after reading, rule after rule, keeping every alert. */
    private static final class Device {
        final java.util.Map<String, RuleState> states = new java.util.HashMap<>();
        final java.util.Map<String, AlertDocument> alerts = new java.util.LinkedHashMap<>();

        int feed(List<SourcedReading> readings, Rule... rules) {
            int changes = 0;
            for (SourcedReading sourced : readings) {
                for (Rule rule : rules) {
                    double value = sourced.reading().valueOf(rule.metric());
                    if (Double.isNaN(value)) {
                        continue;
                    }
                    RuleEvaluator.Step step = RuleEvaluator.step(rule, "boiler-1", states.getOrDefault(rule.id(), RuleState.INITIAL),
                            sourced.reading().timestampMs(), value);
                    if (step == null) {
                        continue;
                    }
                    changes++;
                    states.put(rule.id(), step.next());
                    if (step.opened() != null) {
                        alerts.put(step.opened().id(), step.opened());
                    }
                    if (step.resolved() != null) {
                        alerts.put(step.resolved(), alerts.get(step.resolved()).resolvedByRule(sourced.reading().timestampMs(), value));
                    }
                }
            }
            return changes;
        }

        long activeAlerts() {
            return states.values().stream().filter(state -> state.openAlertId() != null).count();
        }

        List<String> states() {
            return alerts.values().stream().map(alert -> alert.state().label()).toList();
        }
    }

    @Test
    void simpleRuleOpensAtOnceAndClearsWithHysteresis() {
        Device device = new Device();
        Rule rule = rule("hot", null, null, new Condition(Operator.LT, 75));

        device.feed(temperatures(1, 70, 81, 79, 76, 74, 85), rule);

        // 81 opens; 79 and 76 sit between the thresholds (no change); 74 clears; 85 opens a second alert.
        assertEquals(List.of("resolved", "open"), device.states());
        AlertDocument first = device.alerts.values().iterator().next();
        assertEquals(Instant.ofEpochMilli(T0 + 2000), first.openedAt());
        assertEquals(Instant.ofEpochMilli(T0 + 5000), first.resolvedAt());
        assertEquals(81.0, first.transitions().get(0).value());
        assertEquals(74.0, first.transitions().get(1).value());
        assertEquals(1, device.activeAlerts());
    }

    @Test
    void withoutAClearConditionTheNegationClears() {
        Device device = new Device();
        device.feed(temperatures(1, 81, 80), rule("hot", null, null, null));
        assertEquals(List.of("resolved"), device.states());
    }

    @Test
    void consecutiveRuleNeedsNReadingsInARow() {
        Device device = new Device();
        Rule rule = rule("hot3", null, 3, null);

        device.feed(temperatures(1, 81, 82, 70, 81, 82), rule);
        assertEquals(List.of(), device.states(), "the run was broken by 70");

        device.feed(temperatures(6, 83), rule);
        assertEquals(List.of("open"), device.states(), "the third in a row, across batches");
        assertEquals(Instant.ofEpochMilli(T0 + 6000), device.alerts.values().iterator().next().openedAt());
    }

    @Test
    void durationRuleNeedsTheConditionToHoldLongEnough() {
        Device device = new Device();
        Rule rule = rule("hot5s", 5L, null, null);

        device.feed(temperatures(1, 81, 82, 83, 84, 85), rule); // 1s..5s: held 4 s
        assertEquals(List.of(), device.states());

        device.feed(temperatures(6, 86), rule); // 6 s: held 5 s since the first match at 1 s
        assertEquals(List.of("open"), device.states());
    }

    @Test
    void atMostOneOpenAlertPerDeviceAndRule() {
        Device device = new Device();
        Rule rule = rule("hot", null, null, new Condition(Operator.LT, 75));
        device.feed(temperatures(1, 81, 90, 95, 99, 100), rule);
        assertEquals(List.of("open"), device.states());
    }

    @Test
    void readingsEvaluatedBeforeChangeNothing() {
        Device device = new Device();
        Rule rule = rule("hot", null, null, new Condition(Operator.LT, 75));
        List<SourcedReading> batch = temperatures(1, 81, 70, 82);
        device.feed(batch, rule);
        java.util.Map<String, RuleState> before = java.util.Map.copyOf(device.states);
        java.util.Map<String, AlertDocument> alertsBefore = java.util.Map.copyOf(device.alerts);

        assertEquals(0, device.feed(batch, rule), "no reading is newer than what the rule evaluated");
        assertEquals(before, device.states);
        assertEquals(alertsBefore, device.alerts);
    }

    @Test
    void theOutcomeDoesNotDependOnBatchBoundaries() {
        Rule rule = rule("hot3", null, 3, new Condition(Operator.LT, 75));
        double[] stream = {81, 82, 83, 79, 74, 81, 82, 83, 84, 70};

        Device whole = new Device();
        whole.feed(temperatures(1, stream), rule);

        Device cut = new Device();
        for (int i = 0; i < stream.length; i += 3) {
            double[] part = java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + 3));
            cut.feed(temperatures(1 + i, part), rule);
        }
        assertEquals(whole.alerts, cut.alerts);
        assertEquals(whole.states, cut.states);
    }

    @Test
    void olderReadingsThanTheLastEvaluatedAreIgnored() {
        Device device = new Device();
        Rule rule = rule("hot", null, null, null);
        device.feed(temperatures(5, 70), rule); // t = 5 s
        // A late reading (t = 2 s) arrives at a later position: it does not raise an alert after the fact.
        device.feed(List.of(new SourcedReading(9, new Reading(T0 + 2000, new String[] {"temperature"}, new double[] {99}))), rule);
        assertEquals(List.of(), device.states());
    }

    @Test
    void readingsWithoutTheRuleMetricAreSkipped() {
        Device device = new Device();
        device.feed(List.of(new SourcedReading(1, new Reading(T0, new String[] {"humidity"}, new double[] {99}))), rule("hot", null, null, null));
        assertEquals(List.of(), device.states());
    }

    @Test
    void alertIdsAreDeterministic() {
        assertEquals(AlertIds.of("boiler-1", "hot", T0), AlertIds.of("boiler-1", "hot", T0));
        assertNotEquals(AlertIds.of("boiler-1", "hot", T0), AlertIds.of("boiler-1", "hot", T0 + 1));
        assertTrue(AlertIds.isAlertId(AlertIds.of("x", "y", 1)));
    }

    @Test
    void lifecycleTransitionsAreChecked() {
        Rule rule = rule("hot", null, null, null);
        AlertDocument open = AlertDocument.open(rule, "boiler-1", T0, 81);
        AlertDocument acknowledged = open.acknowledged(Instant.ofEpochMilli(T0 + 10), "ops@example.com", "on it");
        assertEquals(AlertState.ACKNOWLEDGED, acknowledged.state());
        assertThrows(AlertDocument.IllegalTransition.class, () -> acknowledged.acknowledged(Instant.now(), "x", null));
        AlertDocument resolved = acknowledged.resolved(Instant.ofEpochMilli(T0 + 20), "ops@example.com", null);
        assertEquals(3, resolved.transitions().size());
        assertThrows(AlertDocument.IllegalTransition.class, () -> resolved.resolved(Instant.now(), "x", null));
        assertThrows(AlertDocument.IllegalTransition.class, () -> resolved.acknowledged(Instant.now(), "x", null));
    }
}
