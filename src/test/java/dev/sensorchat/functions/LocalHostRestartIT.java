package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    private final HttpClient http = HttpClient.newHttpClient();
    private dev.sensorchat.AppContext app;
    private Path dir;
    private Path settingsFile;
    private Path state;
    private Process host;
    private int port;
    private int starts;

    @BeforeAll
    void setUp(LocalAzure azure) throws Exception {
        dir = Files.createTempDirectory("localhost-restart-it");
        state = dir.resolve("state");
        Map<String, String> values = new HashMap<>(azure.appSettings());
        values.putAll(Map.of("FUNCTIONS_WORKER_RUNTIME", "java", "REPORT_SCHEDULE", "0 15 0 * * *",
                "SILENT_DEVICES_SCHEDULE", "0 */5 * * * *", "RETENTION_SCHEDULE", "0 45 0 * * *", "LOCALHOST_MASTER_KEY", MASTER_KEY,
                "TELEMETRY_HUB", "telemetry", "TELEMETRY_CONSUMER_GROUP", "$Default", "TelemetryEventHub", "local",
                // Small log segments, so the run also rolls and deletes consumed ones.
                "LOCALHOST_EVENTHUB_SEGMENT_BYTES", "65536"));
        values.put(dev.sensorchat.config.BlobContainerNames.UPLOADS_CONTAINER, "lhr-uploads-" + Long.toString(System.nanoTime(), 36));
        values.put("COSMOS_EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true");
        app = azure.newAppContext(Map.of(dev.sensorchat.AppContext.COSMOS_DATABASE, values.get(dev.sensorchat.AppContext.COSMOS_DATABASE),
                dev.sensorchat.config.BlobContainerNames.UPLOADS_CONTAINER, values.get(dev.sensorchat.config.BlobContainerNames.UPLOADS_CONTAINER)));
        ObjectNode file = Json.MAPPER.createObjectNode();
        file.put("IsEncrypted", false);
        ObjectNode json = file.putObject("Values");
        values.forEach(json::put);
        settingsFile = dir.resolve("local.settings.json");
        Files.writeString(settingsFile, file.toString());
    }

    @AfterAll
    void tearDown() throws Exception {
        if (host != null) {
            kill(host);
        }
        if (app != null) {
            app.close();
        }
    }

    /** Starts the host (a new process, on a new port) on the same state folder, and waits until it serves. */
    private void startHost() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("host-" + ++starts + ".log");
        host = new ProcessBuilder(LocalHostIT.hostCommand(settingsFile, state, port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(log).contains("SENSORCHAT_LOCALHOST_READY")) {
            assertTrue(host.isAlive() && System.nanoTime() < deadline, "the host started: " + Files.readString(log));
            Thread.sleep(200);
        }
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly); // the worker JVM first: no chance to close anything
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void stopGracefully() throws Exception {
        host.destroy(); // SIGTERM: the launcher stops its worker, which closes the host
        assertTrue(host.waitFor(60, TimeUnit.SECONDS), "the host stopped");
        for (ProcessHandle worker : host.descendants().toList()) {
            worker.onExit().get(60, TimeUnit.SECONDS);
        }
    }

    private JsonNode telemetryStatus() throws Exception {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/status"))
                .header("x-functions-key", MASTER_KEY).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode(), status.body());
        return Json.MAPPER.readTree(status.body()).get("functions").get("telemetry");
    }

    private void awaitCaughtUp() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (telemetryStatus().path("eventHub").path("backlog").asLong(-1) != 0) {
            assertTrue(System.nanoTime() < deadline, "the hub's consumer caught up: " + telemetryStatus());
            Thread.sleep(250);
        }
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
        args.addAll(List.of("--target", "http", "--url", "http://127.0.0.1:" + port + "/admin/eventhubs/telemetry?code=" + MASTER_KEY,
                "--ground-truth", truth.toString()));
        JsonNode summary = dev.sensorchat.testing.Simulators.run(dir, args);
        assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong(), summary::toString);
        assertEquals(0, summary.get("failed").asLong(), summary::toString);
        return truth;
    }

    @Test
    void eventsAcknowledgedBeforeARestartAreDeliveredAfterItAndAggregatesEndAtTheGroundTruth() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        // Two consecutive, minute-aligned spans for the same devices (within the app's 10 minutes of allowed lateness).
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(8, ChronoUnit.MINUTES);

        startHost();
        Path first = simulate("first", run, start, 4);
        Path firstTail = tail("ta", run, start.plus(3, ChronoUnit.MINUTES));
        long backlog = telemetryStatus().path("eventHub").path("backlog").asLong();
        kill(host);
        assertTrue(backlog > 0, "the host was killed before it consumed all it acknowledged (backlog " + backlog + ")");

        startHost();
        awaitCaughtUp();
        JsonNode afterCrash = telemetryStatus();
        assertTrue(afterCrash.path("eventHub").path("deliveredEvents").asLong() > 0,
                "the restarted host delivered what the killed one had acknowledged: " + afterCrash);
        assertEquals(0, afterCrash.path("eventHub").path("expiredEvents").asLong(), afterCrash::toString);

        Path second = simulate("second", run, start.plus(4, ChronoUnit.MINUTES), 4);
        Path secondTail = tail("tb", run, start.plus(7, ChronoUnit.MINUTES));
        backlog = telemetryStatus().path("eventHub").path("backlog").asLong();
        stopGracefully();
        assertTrue(backlog > 0, "the host was stopped before it consumed all it acknowledged (backlog " + backlog + ")");

        startHost();
        awaitCaughtUp();
        JsonNode afterStop = telemetryStatus();
        assertTrue(afterStop.path("eventHub").path("deliveredEvents").asLong() > 0,
                "the restarted host delivered what the stopped one had acknowledged: " + afterStop);
        assertEquals(0, afterStop.path("failures").asLong(), afterStop::toString);

        for (Path truth : List.of(first, firstTail, second, secondTail)) {
            SimulatorPipelineIT.assertMinuteWindowsEqual(app, truth);
        }

        // The log kept only what was still needed: consumed segments were deleted as the consumer moved on.
        try (var partitions = Files.list(state.resolve("eventhubs/telemetry"))) {
            for (Path partition : partitions.toList()) {
                try (var segments = Files.list(partition)) {
                    long count = segments.count();
                    assertTrue(count >= 1 && count <= 2, partition + " holds " + count + " segments");
                }
            }
        }
    }
}
