package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.reports.FleetReport;
import dev.sensorchat.reports.ReportService;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.CosmosFaults;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.RecordingServer;
import dev.sensorchat.testing.Simulators;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole system, as the run command starts it: the local host over the packaged app (its own
 * process), the npm servers, and simulated devices streaming through the simulators' http target,
 * while Cosmos DB is made to fail for a while. Everything the issue lists is checked at the end.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String HOT = "eth" + RUN + "-2";
    private static final String SILENT = "emc" + RUN + "-1";

    private final RecordingServer callbacks = new RecordingServer();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process host;
    private int port;
    private AppContext app;
    private Path dir;

    @BeforeAll
    void start(LocalAzure azure) throws Exception {
        dir = Files.createTempDirectory("e2e");
        Map<String, String> values = new HashMap<>(azure.appSettings());
        values.putAll(ChatDeliveries.settings(callbacks.baseUrl()));
        // Report and silent-device timers at Jan 1 00:00:00 only: the test runs them through the admin endpoint. At 00:15
        // every day, a run over 00:15 UTC would have the timer build yesterday's report before the uploads below were in.
        values.putAll(Map.of("REPORT_SCHEDULE", "0 0 0 1 1 *", "SILENT_DEVICES_SCHEDULE", "0 0 0 1 1 *",
                "RETENTION_SCHEDULE", "0 45 0 * * *", "TELEMETRY_HUB", "telemetry", "TELEMETRY_CONSUMER_GROUP", "$Default",
                "TelemetryEventHub", "local", "UPLOAD_MAX_AGE_HOURS", "48", "COSMOS_EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true"));
        values.put(BlobContainerNames.UPLOADS_CONTAINER, "e2e-uploads-" + RUN);
        values.put(BlobContainerNames.DEADLETTER_CONTAINER, "e2e-deadletters-" + RUN);
        values.put(BlobContainerNames.REPORTS_CONTAINER, "e2e-reports-" + RUN);
        values.put(AppContext.TELEMETRY_ALLOWED_LATENESS_MINUTES, "30"); // the stream's late events are up to 8 minutes late
        values.put(AppContext.RULES_REFRESH_SECONDS, "2");
        app = azure.newAppContext(values);

        ObjectNode file = Json.MAPPER.createObjectNode();
        ObjectNode json = file.putObject("Values");
        values.forEach(json::put);
        Path settings = Files.writeString(dir.resolve("local.settings.json"), file.toString());
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        host = new ProcessBuilder(LocalHostIT.hostCommand(settings, dir.resolve("state"), port)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("host.log").toFile()).start();
        await("the host is ready", Duration.ofSeconds(90), () -> {
            try {
                return Files.readString(dir.resolve("host.log")).contains("SENSORCHAT_LOCALHOST_READY");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertEquals(200, send("GET", "/api/health", null, null).statusCode());
    }

    @AfterAll
    void stop() throws Exception {
        if (host != null) {
            host.destroy();
            host.waitFor(15, TimeUnit.SECONDS);
            host.destroyForcibly();
        }
        callbacks.close();
        if (app != null) {
            app.close();
        }
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers != null) {
            headers.forEach(request::header);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A chat message through the host's webhook, signed as the generic channel; returns the bot's text. */
    private String say(String text) throws Exception {
        ChatDeliveries.Delivery delivery = ChatDeliveries.generic(UUID.randomUUID().toString(), "e2e-" + RUN, text,
                ChatDeliveries.Signing.VALID, Instant.now());
        HttpResponse<String> answer = send("POST", "/api/chat/generic", delivery.headers(), delivery.body());
        assertEquals(200, answer.statusCode(), answer.body());
        return Json.MAPPER.readTree(answer.body()).get("text").asText();
    }

    private JsonNode status(String function) throws Exception {
        return Json.MAPPER.readTree(send("GET", "/admin/status", null, null).body()).get("functions").get(function);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(250);
        }
    }

    private boolean caughtUp() {
        try {
            return status("telemetry").path("eventHub").path("backlog").asLong(-1) == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void simulatedDevicesThroughTheWholeSystemUnderCosmosDbFaults(LocalAzure azure) throws Exception {
        assertTrue(say("subscribe all").toLowerCase().contains("subscri"));
        HttpResponse<String> rule = send("POST", "/api/rules", null, """
                {"id": "e2e-hot", "name": "Too hot", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                 "operator": ">", "threshold": 40, "clear": {"operator": "<", "threshold": 35}, "severity": "critical"}""".formatted(HOT));
        assertEquals(201, rule.statusCode(), rule.body());
        Thread.sleep(3_000); // the host's rule cache refreshes every RULES_REFRESH_SECONDS (2 here)

        // The stream: 12 devices, 5 minutes of readings sent at 20x, with every kind of trouble.
        Path truth = dir.resolve("truth.json");
        CompletableFuture<JsonNode> stream = CompletableFuture.supplyAsync(() -> {
            try {
                return Simulators.run(dir, List.of("devices", "--devices", "12", "--interval", "5s", "--duration", "5m", "--speed", "20",
                        "--start", Instant.now().minus(Duration.ofMinutes(6)).toString(), "--seed", "23",
                        "--prefix", "thermostat=eth" + RUN + ",air-quality=eaq" + RUN + ",machine=emc" + RUN,
                        "--duplicate-rate", "0.03", "--out-of-order-rate", "0.03", "--late-rate", "0.03", "--malformed-rate", "0.03",
                        "--fault", HOT + " overheats at +60s for 2m", "--fault", SILENT + " goes silent at +1m",
                        "--target", "http", "--url", "http://127.0.0.1:" + port + "/admin/eventhubs/telemetry",
                        "--ground-truth", truth.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // In the middle of it, Cosmos DB fails: throttled, unavailable, answers lost after the write, then frozen.
        // (The npm Cosmos DB server has the fault switch; with the Docker emulator the stream runs without faults.)
        CosmosFaults faults = azure.cosmosFaults();
        Instant faultsBegan = Instant.now();
        Instant faultsEnded = faultsBegan;
        CosmosFaults.Injected injected = null;
        if (faults.isSupported()) {
            Thread.sleep(3_000);
            faultsBegan = Instant.now();
            faults.throttle(Duration.ofSeconds(3));
            Thread.sleep(3_000);
            faults.unavailable(Duration.ofSeconds(4));
            Thread.sleep(4_000);
            faults.inject(CosmosFaults.Fault.of(CosmosFaults.Mode.DROP, Duration.ofSeconds(3)).afterExecution());
            Thread.sleep(3_000);
            faults.pauseFor(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
            faultsEnded = Instant.now();
            injected = faults.injected();
        } else {
            System.out.println("EndToEndIT: no fault injection with these servers (" + faults + "); run with -Dsensorchat.localServers=npm");
        }

        JsonNode summary = stream.get(3, TimeUnit.MINUTES);
        assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong());
        await("the telemetry consumer caught up", Duration.ofMinutes(5), this::caughtUp);
        Duration recovery = Duration.between(faultsEnded, Instant.now());
        if (injected != null) {
            System.out.printf("EndToEndIT: faults from %s for %d s (%d throttled, %d unavailable, %d dropped, 5 s paused); "
                            + "caught up %d s after they ended; telemetry failures (redelivered): %d%n",
                    faultsBegan, Duration.between(faultsBegan, faultsEnded).toSeconds(), injected.throttled(), injected.unavailable(),
                    injected.dropped(), recovery.toSeconds(), status("telemetry").get("failures").asLong());
            assertTrue(injected.total() > 0, "the faults were felt");
        }

        // Nothing lost, nothing doubled.
        SimulatorPipelineIT.assertMinuteWindowsEqual(app, truth);
        List<String> deadLetters = app.blobStore("e2e-deadletters-" + RUN).list("eventhub/");
        assertEquals(summary.get("malformed").asLong(), deadLetters.size(), "every malformed event, and only those, dead-lettered");

        // The overheat: one alert, opened and resolved; one notification for its opening.
        List<AlertDocument> hot = app.alerts().list(null, HOT, null, 50, null).items().stream()
                .filter(alert -> "e2e-hot".equals(alert.ruleId())).toList();
        assertEquals(1, hot.size(), hot.toString());
        assertEquals(AlertState.RESOLVED, hot.get(0).state());
        await("the notifications were sent", Duration.ofSeconds(60), () -> callbacks.requests().stream()
                .filter(r -> r.body().contains(hot.get(0).id()) || r.body().contains("Resolved")).count() >= 2);
        long opened = callbacks.requests().stream().filter(r -> r.path().equals("/generic") && r.body().contains("Too hot")
                && r.body().contains("ack " + hot.get(0).id())).count();
        assertEquals(1, opened, "exactly one notification for the alert opening");

        // The bot knows the alert's history.
        String status = say("status " + HOT);
        assertTrue(status.contains(hot.get(0).id()) && status.contains("Too hot"), status);

        // The silent device gets an offline alert.
        assertEquals(202, send("POST", "/admin/functions/silentDevices", null, "{}").statusCode());
        await("an offline alert for the silent device", Duration.ofSeconds(30),
                () -> app.alerts().list(null, SILENT, null, 10, null).items().stream().anyMatch(AlertDocument::isOffline));

        // Yesterday's readings, as gateway uploads, then the report timer through the admin endpoint.
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        Path uploadTruth = dir.resolve("upload-truth.json");
        Simulators.run(dir, List.of("devices", "--devices", "6", "--interval", "1m", "--duration", "1d", "--speed", "0",
                "--start", yesterday.atStartOfDay(ZoneOffset.UTC).toInstant().toString(), "--seed", "29",
                "--prefix", "thermostat=rth" + RUN + ",air-quality=raq" + RUN + ",machine=rmc" + RUN,
                "--target", "blob", "--blob-connection-string", azure.storageConnectionString(), "--container", "e2e-uploads-" + RUN,
                "--events-per-file", "2000", "--ground-truth", uploadTruth.toString()));
        await("every uploaded file was processed (its receipt written)", Duration.ofMinutes(3), () -> {
            List<String> names = app.blobStore("e2e-uploads-" + RUN).list("gateway-");
            long receipts = names.stream().filter(name -> name.endsWith(".receipt.json")).count();
            return receipts > 0 && receipts * 2 == names.size();
        });
        assertEquals(202, send("POST", "/admin/functions/dailyReport", null, "{}").statusCode());
        await("yesterday's report", Duration.ofSeconds(120), () -> app.reports().dailyRecord(yesterday).isPresent());
        FleetReport report = Json.MAPPER.readValue(app.reports().daily(yesterday, ReportService.Format.JSON).orElseThrow(), FleetReport.class);
        Map<String, double[]> expected = new TreeMap<>();
        for (JsonNode window : Json.MAPPER.readTree(uploadTruth.toFile()).get("windows")) {
            double[] t = expected.computeIfAbsent(window.get("deviceId").asText() + "|" + window.get("metric").asText(),
                    key -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE});
            t[0] += window.get("count").asDouble();
            t[1] += window.get("sum").asDouble();
            t[2] = Math.min(t[2], window.get("min").asDouble());
            t[3] = Math.max(t[3], window.get("max").asDouble());
        }
        Map<String, FleetReport.Metric> actual = new TreeMap<>();
        report.devices().stream().filter(d -> d.deviceId().startsWith("r")).forEach(d -> d.metrics().forEach(m -> actual.put(d.deviceId() + "|" + m.metric(), m)));
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((key, t) -> {
            assertEquals((long) t[0], actual.get(key).count(), key);
            assertEquals(t[1] / t[0], actual.get(key).avg(), 1e-9 * Math.max(1, Math.abs(t[1] / t[0])), key);
            assertEquals(t[2], actual.get(key).min(), 0, key);
            assertEquals(t[3], actual.get(key).max(), 0, key);
        });
    }

}
