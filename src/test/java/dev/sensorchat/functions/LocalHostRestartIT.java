package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.LocalHostProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local host restarted mid-stream on the same state folder: events it acknowledged (202) and had
 * not consumed when it stopped are delivered after the restart, and the aggregates end exactly at
 * the simulators' ground truth. Once killed (SIGKILL, as a crash), once stopped (SIGTERM), each time
 * with a few events it is still waiting to batch (host.json's minEventBatchSize); the second fleet
 * run goes to the same devices, so a hub that numbered from 0 again would have its events skipped as
 * already applied by the app's exactly-once bookkeeping.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalHostRestartIT {

    private static final String MASTER_KEY = "local-master-key-restart-0123456789";

    private dev.sensorchat.AppContext app;
    private Path dir;
    private LocalHostProcess host;

    @BeforeAll
    void setUp(LocalAzure azure) throws Exception {
        dir = Files.createTempDirectory("localhost-restart-it");
        // Small log segments, so the run also rolls and deletes consumed ones.
        Map<String, String> values = LocalHostProcess.settings(azure, Map.of("LOCALHOST_EVENTHUB_SEGMENT_BYTES", "65536"));
        app = LocalHostProcess.readerOf(azure, values);
        host = new LocalHostProcess(dir, values, MASTER_KEY);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private JsonNode telemetryStatus() throws Exception {
        return host.functionStatus("telemetry");
    }

    private void awaitCaughtUp() throws Exception {
        host.awaitCaughtUp("telemetry", Duration.ofSeconds(120));
    }

    /** A fleet's events for {@code minutes} from {@code start}, all acknowledged; returns its ground truth. */
    private Path simulate(String name, String run, Instant start, int minutes) throws Exception {
        return simulate(name, List.of("--devices", "30", "--duration", minutes + "m", "--start", start.toString(),
                "--prefix", "thermostat=rt" + run + ",air-quality=ra" + run + ",machine=rm" + run,
                "--duplicate-rate", "0.02", "--out-of-order-rate", "0.02", "--malformed-rate", "0.02"));
    }

    /**
     * A few events (fewer than host.json's minEventBatchSize of 50 per partition) to a host that has
     * caught up: its consumer waits up to maxWaitTime (5 s) for more before it delivers them, so a stop
     * right after is a stop before they are consumed. Other devices than the fleet's; returns its ground truth.
     */
    private Path tail(String name, String run, Instant start) throws Exception {
        awaitCaughtUp();
        return simulate(name, List.of("--devices", "8", "--events", "8", "--start", start.toString(),
                "--prefix", "thermostat=" + name + run + ",air-quality=" + name + "a" + run + ",machine=" + name + "m" + run));
    }

    private Path simulate(String name, List<String> fleet) throws Exception {
        Path truth = dir.resolve("truth-" + name + ".json");
        List<String> args = new java.util.ArrayList<>(List.of("devices", "--interval", "5s", "--speed", "0", "--seed", "11"));
        args.addAll(fleet);
        args.addAll(List.of("--target", "http", "--url", host.eventHubUrl("telemetry"),
                "--ground-truth", truth.toString()));
        JsonNode summary = dev.sensorchat.testing.Simulators.run(dir, args);
        assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong(), summary::toString);
        assertEquals(0, summary.get("failed").asLong(), summary::toString);
        return truth;
    }

    @Test
    void eventsAcknowledgedBeforeARestartAreDeliveredAfterItAndAggregatesEndAtTheGroundTruth() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        // Two consecutive, minute-aligned spans for the same devices (within the app's 10 minutes of allowed lateness:
        // the first readings are up to 7 minutes 59 old at the start, and the test takes about a minute and a half;
        // the last are up to a minute ahead, within the 5 minutes of future skew allowed).
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(7, ChronoUnit.MINUTES);

        host.start();
        Path first = simulate("first", run, start, 4);
        Path firstTail = tail("ta", run, start.plus(3, ChronoUnit.MINUTES));
        long backlog = telemetryStatus().path("eventHub").path("backlog").asLong();
        host.kill();
        assertTrue(backlog > 0, "the host was killed before it consumed all it acknowledged (backlog " + backlog + ")");

        host.start();
        awaitCaughtUp();
        JsonNode afterCrash = telemetryStatus();
        assertTrue(afterCrash.path("eventHub").path("deliveredEvents").asLong() > 0,
                "the restarted host delivered what the killed one had acknowledged: " + afterCrash);
        assertEquals(0, afterCrash.path("eventHub").path("expiredEvents").asLong(), afterCrash::toString);

        Path second = simulate("second", run, start.plus(4, ChronoUnit.MINUTES), 4);
        Path secondTail = tail("tb", run, start.plus(7, ChronoUnit.MINUTES));
        backlog = telemetryStatus().path("eventHub").path("backlog").asLong();
        host.stop();
        assertTrue(backlog > 0, "the host was stopped before it consumed all it acknowledged (backlog " + backlog + ")");

        host.start();
        awaitCaughtUp();
        JsonNode afterStop = telemetryStatus();
        assertTrue(afterStop.path("eventHub").path("deliveredEvents").asLong() > 0,
                "the restarted host delivered what the stopped one had acknowledged: " + afterStop);
        assertEquals(0, afterStop.path("failures").asLong(), afterStop::toString);

        for (Path truth : List.of(first, firstTail, second, secondTail)) {
            SimulatorPipelineIT.assertMinuteWindowsEqual(app, truth);
        }

        // The log kept only what was still needed: consumed segments were deleted as the consumer moved on.
        try (var partitions = Files.list(host.state().resolve("eventhubs/telemetry"))) {
            for (Path partition : partitions.toList()) {
                try (var segments = Files.list(partition)) {
                    long count = segments.count();
                    assertTrue(count >= 1 && count <= 2, partition + " holds " + count + " segments");
                }
            }
        }
    }
    /**
     * As in Azure, an Event Hub outlives its function being switched off: events sent while the
     * telemetry function is disabled (AzureWebJobs.telemetry.Disabled) are taken, kept, and consumed
     * once a host runs it again, into aggregates equal to the ground truth.
     */
    @Test
    void eventsSentWhileTheFunctionIsDisabledWaitInItsHubUntilItRuns(LocalAzure azure) throws Exception {
        Path idleDir = Files.createTempDirectory("localhost-disabled-it");
        String run = Long.toString(System.nanoTime(), 36);
        Path truth = idleDir.resolve("truth.json");
        // A database of its own: its hub numbers from 0, which the other test's streams have applied already.
        Map<String, String> own = LocalHostProcess.settings(azure, Map.of());
        Map<String, String> disabled = new java.util.HashMap<>(own);
        disabled.put("AzureWebJobs.telemetry.Disabled", "true");
        try (LocalHostProcess idle = new LocalHostProcess(idleDir, disabled, MASTER_KEY)) {
            idle.start();
            JsonNode summary = dev.sensorchat.testing.Simulators.run(idleDir, List.of("devices", "--devices", "6", "--interval", "5s",
                    "--duration", "2m", "--speed", "0", "--seed", "12", "--start", Instant.now().minusSeconds(240).toString(),
                    "--prefix", "thermostat=dt" + run + ",air-quality=da" + run + ",machine=dm" + run,
                    "--target", "http", "--http-format", "batch", "--url", idle.eventHubUrl("telemetry"), "--ground-truth", truth.toString()));
            assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong(), summary::toString);
            assertTrue(summary.get("sent").asLong() > 100, summary::toString);
            idle.stop();
        }
        try (LocalHostProcess running = new LocalHostProcess(idleDir, own, MASTER_KEY);
             dev.sensorchat.AppContext reader = LocalHostProcess.readerOf(azure, own)) {
            running.start();
            running.awaitCaughtUp("telemetry", Duration.ofSeconds(120));
            SimulatorPipelineIT.assertMinuteWindowsEqual(reader, truth);
            assertEquals(0, running.functionStatus("telemetry").path("failures").asLong());
        }
    }
}
