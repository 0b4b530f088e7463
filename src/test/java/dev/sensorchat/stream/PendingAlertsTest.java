package dev.sensorchat.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleEvaluator;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.RuleState;
import dev.sensorchat.alerts.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingAlertsTest {

    private static final Rule HOT = new Rule("hot", "Hot", RuleScope.all(), "temperature", Operator.GT, 30, null, null, null,
            Severity.WARNING, true, null, null, null);

    private static AlertDocument opened(String deviceId, long ts) {
        return RuleEvaluator.step(HOT, deviceId, RuleState.INITIAL, ts, 35).opened();
    }

    @Test
    void anAlertClearedBeforeItIsWrittenIsCreatedResolvedInOneWrite() {
        PendingAlerts pending = new PendingAlerts();
        AlertDocument alert = opened("dev-1", 1_000);
        pending.open(alert);

        assertTrue(pending.resolveBeforeWritten(alert.id(), 2_000, 29));

        assertEquals(1, pending.size());
        AlertWrites.Open open = assertInstanceOf(AlertWrites.Open.class, pending.effects().get(0));
        assertEquals(AlertState.RESOLVED, open.alert().state());
        assertEquals(Instant.ofEpochMilli(2_000), open.alert().resolvedAt());
    }

    @Test
    void anAlertWrittenBeforeNeedsItsOwnResolve() {
        PendingAlerts pending = new PendingAlerts();
        AlertDocument alert = opened("dev-1", 1_000);
        pending.open(alert);
        pending.removeFirst(1); // written by the batch that opened it

        assertFalse(pending.resolveBeforeWritten(alert.id(), 2_000, 29));
        pending.resolve("dev-1", alert.id(), 2_000, 29.0);

        AlertWrites.Resolve resolve = assertInstanceOf(AlertWrites.Resolve.class, pending.effects().get(0));
        assertEquals(alert.id(), resolve.alertId());
    }

    @Test
    void aDrainCutShortKeepsFindingTheAlertsStillToBeWritten() {
        PendingAlerts pending = new PendingAlerts();
        AlertDocument first = opened("dev-1", 1_000);
        AlertDocument second = opened("dev-2", 1_000);
        pending.open(first);
        pending.resolve("dev-3", "al-older", 1_000, null);
        pending.open(second);

        pending.removeFirst(2); // the third write failed: the second is still to be created

        assertFalse(pending.resolveBeforeWritten(first.id(), 2_000, 29));
        assertTrue(pending.resolveBeforeWritten(second.id(), 2_000, 29));
        AlertWrites.Open open = assertInstanceOf(AlertWrites.Open.class, pending.effects().get(0));
        assertEquals(second.id(), open.alertId());
        assertEquals(AlertState.RESOLVED, open.alert().state());
    }

    @Test
    void aBatchWhereEveryDeviceCrossesAndClearsLeavesOneWriteEach() {
        PendingAlerts pending = new PendingAlerts();
        int devices = 5_000; // a site-wide heat spike: every alert of the batch is still pending when it clears
        for (int d = 0; d < devices; d++) {
            pending.open(opened("dev-" + d, 1_000));
        }
        for (int d = 0; d < devices; d++) {
            assertTrue(pending.resolveBeforeWritten(opened("dev-" + d, 1_000).id(), 2_000, 29));
        }
        assertEquals(devices, pending.size());
        assertTrue(pending.effects().stream().allMatch(e -> ((AlertWrites.Open) e).alert().state() == AlertState.RESOLVED));
    }
}
