package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestClock;
import dev.sensorchat.testing.TestExecutionContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The silentDevices timer over telemetry written by the pipeline, with the clock moved by hand. */
@ExtendWith(LocalAzureExtension.class)
class SilentDevicesFunctionIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private AppContext app;
    private TestClock clock;
    private TelemetryFunction telemetry;
    private SilentDevicesFunction silentDevices;
    private long sequence;

    @BeforeEach
    void open(LocalAzure azure) {
        Map<String, String> settings = new HashMap<>(azure.appSettings());
        settings.put(AppContext.DEVICE_SILENT_FACTOR_OVERRIDES, "tag:battery=100");
        settings.put(AppContext.SILENT_DEVICES_MAX_PER_RUN, "2"); // small, so a backlog takes several runs
        clock = new TestClock(NOW);
        app = new AppContext(new AppSettings(settings), clock);
        telemetry = new TelemetryFunction(app::eventHubBatches, app::ingestMetrics);
        silentDevices = new SilentDevicesFunction(app::telemetryStreams, app::silentDeviceCheck);
    }

    @AfterEach
    void close() {
        app.close();
    }

    /** One event per reading time, as the Event Hub trigger delivers them, enqueued when read. */
    @SuppressWarnings("unchecked")
    private void readings(String deviceId, Instant... times) {
        String[] bodies = new String[times.length];
        Map<String, Object>[] properties = new Map[times.length];
        for (int i = 0; i < times.length; i++) {
            bodies[i] = "{\"deviceId\":\"" + deviceId + "\",\"ts\":\"" + times[i] + "\",\"metrics\":{\"temperature\":21.5}}";
            properties[i] = Map.of("SequenceNumber", ++sequence, "EnqueuedTimeUtc", times[i].plusMillis(20).toString(),
                    "Offset", String.valueOf(sequence * 100), "PartitionKey", deviceId);
        }
        telemetry.run(bodies, Map.of("PartitionId", "0", "EventHubName", "telemetry"), properties, new TestExecutionContext("telemetry"));
    }

    private static Instant[] every(Duration interval, Instant from, int count) {
        Instant[] times = new Instant[count];
        for (int i = 0; i < count; i++) {
            times[i] = from.plus(interval.multipliedBy(i));
        }
        return times;
    }

    private String check() {
        TestExecutionContext context = new TestExecutionContext("silentDevices");
        silentDevices.run("{\"isPastDue\":false}", context);
        return context.loggedMessages().stream().filter(line -> line.startsWith("silentDevices ") && !line.startsWith("silentDevices settled"))
                .findFirst().orElseThrow(() -> new AssertionError(context.loggedMessages().toString()));
    }

    private List<AlertDocument> offlineAlerts(String deviceId) {
        return app.alerts().list(null, deviceId, null, 50, null).items().stream().filter(AlertDocument::isOffline).toList();
    }

    @Test
    void aSilentDeviceOpensOneOfflineAlertWhichItsNextReadingResolves() throws Exception {
        String quiet = "quiet-" + sequenceSuffix();
        String patient = "patient-" + sequenceSuffix();
        String once = "once-" + sequenceSuffix();
        Instant start = NOW.minus(Duration.ofMinutes(9));
        readings(quiet, every(Duration.ofSeconds(30), start, 12));    // last seen start + 5m30s
        readings(patient, every(Duration.ofSeconds(30), start, 12));
        app.devices().updateProfile(patient, null, null, List.of("battery")); // 100 × its interval
        readings(once, start);                                          // no interval yet: 15 minutes
        readings(patient, start.plus(Duration.ofMinutes(6)));           // a reading after the tag, to take it up
        DeviceDocument quietDevice = app.devices().find(quiet).orElseThrow();
        assertEquals(30_000L, quietDevice.intervalMs());
        assertEquals(start.plusSeconds(330 + 90 + 60), quietDevice.silentAfter(), "3 × 30 s, and the reporting lag");

        assertTrue(check().startsWith("silentDevices silent=1 opened=1 devices=[" + quiet + "]"));
        List<AlertDocument> alerts = offlineAlerts(quiet);
        assertEquals(1, alerts.size());
        AlertDocument alert = alerts.get(0);
        assertEquals(AlertState.OPEN, alert.state());
        assertEquals(quietDevice.lastSeen(), alert.transitions().get(0).readingTs());
        assertEquals(1, app.devices().find(quiet).orElseThrow().activeAlerts());
        assertTrue(offlineAlerts(patient).isEmpty() && offlineAlerts(once).isEmpty());

        // Again, and twice at once: nothing new.
        assertEquals("silentDevices silent=1 opened=0", check());
        CompletableFuture<String> a = CompletableFuture.supplyAsync(this::check);
        CompletableFuture<String> b = CompletableFuture.supplyAsync(this::check);
        assertEquals("silentDevices silent=1 opened=0", a.get());
        assertEquals("silentDevices silent=1 opened=0", b.get());
        assertEquals(1, offlineAlerts(quiet).size());

        // The device is back: its next reading resolves the alert, by the rule, with that reading's time.
        Instant back = NOW.minusSeconds(30);
        readings(quiet, back);
        AlertDocument resolved = app.alerts().find(alert.id()).orElseThrow();
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertEquals(back, resolved.resolvedAt());
        assertEquals(AlertDocument.BY_RULE, resolved.transitions().get(1).by());
        assertEquals(0, app.devices().find(quiet).orElseThrow().activeAlerts());
        assertEquals("silentDevices silent=0 opened=0", check());

        // Silent again later: a new alert, for the new silence.
        clock.advance(Duration.ofMinutes(5));
        assertTrue(check().contains("opened=1"));
        List<AlertDocument> now = offlineAlerts(quiet);
        assertEquals(2, now.size());
        assertNotEquals(now.get(0).id(), now.get(1).id());
    }

    @Test
    void anOfflineAlertResolvedByHandIsNotReopenedForTheSameSilence() {
        String device = "manual-" + sequenceSuffix();
        readings(device, every(Duration.ofSeconds(30), NOW.minus(Duration.ofMinutes(8)), 4));
        assertTrue(check().contains("opened=1"));
        AlertDocument alert = offlineAlerts(device).get(0);
        app.alerts().resolve(alert.id(), "ana", "known: battery swap");

        clock.advance(Duration.ofMinutes(10));
        assertEquals("silentDevices silent=1 opened=0", check());
        assertEquals(1, offlineAlerts(device).size());
    }

    @Test
    void aBacklogOverTheBudgetIsLoggedAsPendingAndTheNextRunsWorkItOffLongestSilentFirst() {
        String suffix = sequenceSuffix();
        List<String> devices = List.of("b1-" + suffix, "b2-" + suffix, "b3-" + suffix, "b4-" + suffix, "b5-" + suffix);
        for (int i = 0; i < devices.size(); i++) { // b1 fell silent first
            readings(devices.get(i), every(Duration.ofSeconds(30), NOW.minus(Duration.ofMinutes(20 - i)), 4));
        }
        assertEquals("silentDevices silent=5 opened=2 devices=[" + devices.get(0) + ", " + devices.get(1) + "]; 3 more pending (at most 2 a run)",
                check());
        assertEquals("silentDevices silent=5 opened=2 devices=[" + devices.get(2) + ", " + devices.get(3) + "]; 1 more pending (at most 2 a run)",
                check());
        assertEquals("silentDevices silent=5 opened=1 devices=[" + devices.get(4) + "]", check());
        assertEquals("silentDevices silent=5 opened=0", check());
        for (String device : devices) {
            assertEquals(1, offlineAlerts(device).size(), device);
            assertEquals(1, app.devices().find(device).orElseThrow().activeAlerts(), device);
        }
    }

    private String sequenceSuffix() {
        return Long.toString(System.nanoTime(), 36);
    }
}
