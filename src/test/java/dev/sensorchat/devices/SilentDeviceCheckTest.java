package dev.sensorchat.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.Patch;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.StoreMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SilentDeviceCheckTest {

    private final SilentFleet fleet = new SilentFleet();

    private static String id(int i) {
        return String.format(Locale.ROOT, "dev-%03d", i);
    }

    @Test
    void aBacklogOverTheBudgetIsWorkedOffLongestSilentFirstAcrossRunsWithOneAlertEach() {
        for (int i = 0; i < 25; i++) {
            fleet.silentFor(id(i), 60 + i); // dev-024 has been silent longest
        }
        SilentDeviceCheck check = fleet.check(10, 3);

        SilentDeviceCheck.Result first = check.run();
        assertEquals(25, first.silent());
        assertEquals(IntStream.range(15, 25).map(i -> 39 - i).mapToObj(SilentDeviceCheckTest::id).toList(),
                first.opened().stream().map(AlertDocument::deviceId).toList(), "the longest silent first, in order");
        assertEquals(15, first.pending());
        assertTrue(first.summary(10).endsWith("; 15 more pending (at most 10 a run)"), first.summary(10));
        assertTrue(first.summary(10).contains("devices=[dev-024, dev-023, dev-022, dev-021, dev-020, dev-019, dev-018, dev-017, dev-016, dev-015]"),
                first.summary(10));

        SilentDeviceCheck.Result second = check.run();
        assertEquals(10, second.opened().size());
        assertEquals(5, second.pending());
        SilentDeviceCheck.Result third = check.run();
        assertEquals(5, third.opened().size());
        assertEquals(0, third.pending());
        assertEquals("silent=25 opened=0", check.run().summary(10));

        for (int i = 0; i < 25; i++) {
            List<AlertDocument> alerts = fleet.offlineAlerts(id(i));
            assertEquals(1, alerts.size(), id(i));
            DeviceDocument device = fleet.find(id(i));
            assertEquals(alerts.get(0).id(), device.offline().alertId());
            assertEquals(device.lastSeen(), device.offline().since());
            assertEquals(device.lastSeen(), device.silenceHandled());
            assertEquals(1, device.activeAlerts());
        }
    }

    @Test
    void perDeviceItIsTwoWritesAndNoReadAndDevicesAlreadyOfflineCostNothing() {
        int silent = 40;
        for (int i = 0; i < silent; i++) {
            fleet.silentFor(id(i), 60);
        }
        SilentDeviceCheck check = fleet.check(1000, 4);
        Map<String, StoreUsage.Counts> before = fleet.snapshot();
        assertEquals(silent, check.run().opened().size());
        StoreUsage.Counts devices = fleet.since(Containers.DEVICES.name(), before);
        StoreUsage.Counts alerts = fleet.since(Containers.ALERTS.name(), before);
        assertEquals(silent, alerts.requests(), "one create per device");
        assertEquals(silent, alerts.writes());
        // one page of candidates and one count of the silent, then one patch per device
        assertEquals(2 + silent, devices.requests());
        assertEquals(silent, devices.writes());

        Map<String, StoreUsage.Counts> again = fleet.snapshot();
        assertEquals("silent=40 opened=0", check.run().summary(1000));
        assertEquals(0, fleet.since(Containers.ALERTS.name(), again).requests(), "devices already offline are not looked at");
        assertEquals(2, fleet.since(Containers.DEVICES.name(), again).requests(), "an empty page and the count");
        assertEquals(1, fleet.since(Containers.DEVICES.name(), again).reads(), "nor read: the one result is the count");
    }

    @Test
    void twoInstancesAtOnceOpenEachAlertOnceAndCountItOnce() throws Exception {
        int silent = 60;
        for (int i = 0; i < silent; i++) {
            fleet.silentFor(id(i), 60 + i % 7);
        }
        SilentDeviceCheck one = fleet.check(1000, 4);
        SilentDeviceCheck other = fleet.check(1000, 4);
        List<CompletableFuture<SilentDeviceCheck.Result>> runs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            runs.add(CompletableFuture.supplyAsync(one::run));
            runs.add(CompletableFuture.supplyAsync(other::run));
        }
        int opened = 0;
        for (CompletableFuture<SilentDeviceCheck.Result> run : runs) {
            opened += run.get().opened().size();
        }
        opened += one.run().opened().size();
        assertEquals(silent, opened, "each alert opened by exactly one run");
        for (int i = 0; i < silent; i++) {
            assertEquals(1, fleet.offlineAlerts(id(i)).size(), id(i));
            assertEquals(1, fleet.find(id(i)).activeAlerts(), "told once: " + id(i));
        }
    }

    @Test
    void aRunThatStoppedAfterTheAlertTellsTheDeviceNextTimeWithoutASecondAlert() {
        DeviceDocument device = fleet.silentFor("halfway", 60);
        AlertDocument earlier = AlertDocument.offline("halfway", device.lastSeen(), SilentFleet.NOW.minusSeconds(60), Severity.WARNING);
        fleet.alertStore.create(earlier); // the alert, but the run died before the device was patched

        assertEquals("silent=1 opened=0", fleet.check(10, 1).run().summary(10));
        assertEquals(List.of(earlier.id()), fleet.offlineAlerts("halfway").stream().map(AlertDocument::id).toList());
        assertEquals(earlier.id(), fleet.find("halfway").offline().alertId());
        assertEquals(1, fleet.find("halfway").activeAlerts());
    }

    @Test
    void anAlertResolvedByHandIsNotReopenedAndItsDeviceIsNotLookedAtAgain() {
        fleet.silentFor("manual", 60);
        SilentDeviceCheck check = fleet.check(10, 1);
        AlertDocument alert = check.run().opened().get(0);
        fleet.ledger.resolve(alert.id(), "ana", "battery swap");
        assertNull(fleet.find("manual").offline());

        fleet.clock.advance(Duration.ofMinutes(10));
        Map<String, StoreUsage.Counts> before = fleet.snapshot();
        assertEquals("silent=1 opened=0", check.run().summary(10));
        assertEquals(0, fleet.since(Containers.ALERTS.name(), before).requests(), "this silence is dealt with");
        assertEquals(1, fleet.offlineAlerts("manual").size());
        assertEquals(AlertState.RESOLVED, fleet.offlineAlerts("manual").get(0).state());

        // It reports, then falls silent again: a new silence, a new alert.
        Instant back = SilentFleet.NOW.plus(Duration.ofMinutes(5));
        fleet.deviceStore.patch("manual", "manual", Patch.create().set("/lastSeen", back)
                .set("/silentAfter", fleet.policy.silentAfter("manual", List.of(), back, 60_000L)));
        fleet.clock.advance(Duration.ofMinutes(10));
        assertEquals(1, check.run().opened().size());
        assertEquals(2, fleet.offlineAlerts("manual").size());
    }

    @Test
    void aDeviceThatReportsBetweenTheQueryAndItsPatchIsNotMarkedAndItsAlertIsResolvedAtThatReading() {
        fleet.silentFor("flaky", 60);
        Instant reading = SilentFleet.NOW.minusSeconds(2);
        AtomicBoolean once = new AtomicBoolean();
        fleet.alertsContainer.beforeCreate = alert -> {
            if (once.compareAndSet(false, true)) { // its stream writes the device just now
                fleet.deviceStore.patch("flaky", "flaky", Patch.create().set("/lastSeen", reading)
                        .set("/silentAfter", fleet.policy.silentAfter("flaky", List.of(), reading, 60_000L)));
            }
        };
        SilentDeviceCheck.Result result = fleet.check(10, 1).run();

        assertEquals(1, result.opened().size());
        AlertDocument alert = fleet.ledger.find(result.opened().get(0).id()).orElseThrow();
        assertEquals(AlertState.RESOLVED, alert.state());
        assertEquals(reading, alert.resolvedAt());
        DeviceDocument device = fleet.find("flaky");
        assertNull(device.offline(), "nothing for its stream to resolve");
        assertEquals(0, device.activeAlerts());
        assertEquals("silent=0 opened=0", fleet.check(10, 1).run().summary(10));
    }

    @Test
    void aDeviceWithAnOfflineAlertOrNotSilentByTheCurrentPolicyGetsNone() {
        fleet.silentFor("quiet", 60);
        fleet.device("patient", SilentFleet.NOW.minus(Duration.ofMinutes(60)), List.of("battery")); // 100 × a minute
        DeviceDocument retagged = fleet.silentFor("retagged", 30);
        fleet.deviceStore.upsert(retagged.withProfile(null, null, List.of("battery"))); // its stored deadline predates the tag
        fleet.device("fresh", SilentFleet.NOW.minusSeconds(30), List.of());
        DeviceDocument offline = fleet.silentFor("offline", 60);
        AlertDocument open = fleet.ledger.openOffline("offline", offline.lastSeen(), Severity.WARNING).orElseThrow();

        SilentDeviceCheck.Result result = fleet.check(10, 2).run();
        assertEquals(List.of("quiet"), result.opened().stream().map(AlertDocument::deviceId).toList());
        assertEquals(2, result.silent(), "quiet and offline; retagged is not silent by its new tag");
        assertEquals(0, result.pending());
        assertTrue(fleet.offlineAlerts("patient").isEmpty() && fleet.offlineAlerts("retagged").isEmpty()
                && fleet.offlineAlerts("fresh").isEmpty());
        assertEquals(List.of(open.id()), fleet.offlineAlerts("offline").stream().map(AlertDocument::id).toList());
        assertEquals(1, fleet.find("offline").activeAlerts());
    }

    @Test
    void aDeviceWhoseWritesFailIsCountedAndRetriedByTheNextRunWhileTheOthersAreDone() {
        for (int i = 0; i < 5; i++) {
            fleet.silentFor(id(i), 60);
        }
        AtomicBoolean failing = new AtomicBoolean(true);
        fleet.devicesContainer.beforePatch = id -> {
            if (id.equals(id(2)) && failing.get()) {
                throw new StoreException.Unavailable("Cosmos DB", null);
            }
        };
        SilentDeviceCheck check = fleet.check(10, 2);
        SilentDeviceCheck.Result result = check.run();
        assertEquals(4, result.opened().size());
        assertEquals(1, result.failed());
        assertEquals(1, result.pending());
        assertNotNull(result.firstFailure());
        assertTrue(result.summary(10).contains("1 more pending") && result.summary(10).contains("1 failed"), result.summary(10));

        failing.set(false);
        SilentDeviceCheck.Result next = check.run();
        assertEquals(List.of(), next.opened(), "its alert was opened by the first run");
        assertEquals(0, next.failed());
        assertEquals(fleet.offlineAlerts(id(2)).get(0).id(), fleet.find(id(2)).offline().alertId(), "and now its device knows");
        assertEquals(1, fleet.offlineAlerts(id(2)).size());
    }

    @Test
    void theOldEntryPointStillOpensOnceAndMarksTheSilence() {
        DeviceDocument device = fleet.silentFor("single", 60);
        assertTrue(fleet.ledger.openOffline("single", device.lastSeen(), Severity.CRITICAL).isPresent());
        assertTrue(fleet.ledger.openOffline("single", device.lastSeen(), Severity.CRITICAL).isEmpty());
        assertEquals(device.lastSeen(), fleet.find("single").silenceHandled());
        assertEquals(1, fleet.find("single").activeAlerts());
        assertEquals("silent=1 opened=0", fleet.check(10, 1).run().summary(10));
    }
}
