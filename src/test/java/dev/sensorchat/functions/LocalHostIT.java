package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.ReadModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The project's local Functions host (localhost/) over the packaged app, as a separate process, as
 * the run command starts it: HTTP routes with keys, limits and errors, and the admin endpoints.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalHostIT {

    static final String FUNCTION_KEY = "local-function-key-0123456789";
    static final String MASTER_KEY = "local-master-key-0123456789";

    private Process host;
    private Path settingsFile;
    private dev.sensorchat.AppContext app;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path dir;

    static List<String> hostCommand(Path settings, Path state, int port) throws IOException {
        return dev.sensorchat.testing.LocalHostProcess.command(settings, state, port);
    }

    private Path settings(Map<String, String> values) throws IOException {
        values = new HashMap<>(values);
        values.put("COSMOS_EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true"); // the local server's self-signed certificate
        ObjectNode file = Json.MAPPER.createObjectNode();
        file.put("IsEncrypted", false);
        ObjectNode json = file.putObject("Values");
        values.forEach(json::put);
        Path path = dir.resolve("local.settings-" + values.hashCode() + ".json");
        Files.writeString(path, file.toString());
        return path;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** What the host printed after it was ready. */
    private final List<String> hostLog = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void start(LocalAzure azure) throws Exception {
        dir = Files.createTempDirectory("localhost-it");
        Map<String, String> values = new HashMap<>(azure.appSettings());
        // The daily report at Jan 1 00:00:00 only, not 00:15 every day: in a run over 00:15 UTC that firing would be
        // counted too, and adminInvokesTimersAndReportsEachFunction expects only the one invocation it makes.
        values.putAll(Map.of("FUNCTIONS_WORKER_RUNTIME", "java", "REPORT_SCHEDULE", "0 0 0 1 1 *",
                "SILENT_DEVICES_SCHEDULE", "0 */5 * * * *", "RETENTION_SCHEDULE", "0 45 0 * * *",
                "LOCALHOST_FUNCTION_KEY", FUNCTION_KEY, "LOCALHOST_MASTER_KEY", MASTER_KEY, "LOCALHOST_MAX_REQUEST_BYTES", "65536"));
        values.putAll(Map.of("TELEMETRY_HUB", "telemetry", "TELEMETRY_CONSUMER_GROUP", "$Default", "TelemetryEventHub", "local"));
        values.put(dev.sensorchat.config.BlobContainerNames.UPLOADS_CONTAINER, "lh-uploads-" + Long.toString(System.nanoTime(), 36));
        app = azure.newAppContext(Map.of(dev.sensorchat.AppContext.COSMOS_DATABASE, values.get(dev.sensorchat.AppContext.COSMOS_DATABASE),
                dev.sensorchat.config.BlobContainerNames.UPLOADS_CONTAINER, values.get(dev.sensorchat.config.BlobContainerNames.UPLOADS_CONTAINER)));
        port = freePort();
        settingsFile = settings(values);
        host = new ProcessBuilder(hostCommand(settingsFile, dir.resolve("state"), port)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            lines.add(line);
            if (line.startsWith("SENSORCHAT_LOCALHOST_READY")) {
                break;
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("SENSORCHAT_LOCALHOST_READY")), String.join("\n", lines));
        Thread drain = new Thread(() -> out.lines().forEach(hostLog::add));
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (host != null) {
            host.destroy();
            host.waitFor(10, TimeUnit.SECONDS);
            host.destroyForcibly();
        }
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-functions-key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpRoutesServeTheAppWithKeysMethodsAndLimits() throws Exception {
        HttpResponse<String> health = send("GET", "/api/health", null, null);
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("healthy", Json.MAPPER.readTree(health.body()).get("status").asText());
        assertEquals("no-store", health.headers().firstValue("Cache-Control").orElseThrow());

        assertEquals(401, send("GET", "/api/devices", null, null).statusCode());
        assertEquals(401, send("GET", "/api/devices", "wrong", null).statusCode());
        assertEquals(200, send("GET", "/api/devices", FUNCTION_KEY, null).statusCode());
        assertEquals(200, send("GET", "/api/devices?code=" + FUNCTION_KEY, null, null).statusCode());
        assertEquals(200, send("GET", "/api/devices", MASTER_KEY, null).statusCode());

        HttpResponse<String> missing = send("GET", "/api/devices/no-such-device", FUNCTION_KEY, null);
        assertEquals(404, missing.statusCode(), "the route parameter reaches the function");
        assertTrue(missing.body().contains("no-such-device"));
        HttpResponse<String> notAllowed = send("DELETE", "/api/devices", FUNCTION_KEY, null);
        assertEquals(405, notAllowed.statusCode());
        assertEquals("GET, HEAD", notAllowed.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> head = send("HEAD", "/api/devices", FUNCTION_KEY, null);
        assertEquals(200, head.statusCode(), "HEAD on a GET route, once 405");
        assertEquals("application/json; charset=utf-8", head.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("", head.body(), "headers only");
        assertEquals(200, send("HEAD", "/api/health", null, null).statusCode());
        assertEquals(404, send("GET", "/api/nothing-here", FUNCTION_KEY, null).statusCode());
        assertEquals(413, send("POST", "/api/rules", FUNCTION_KEY, "x".repeat(70_000)).statusCode());
        HttpResponse<String> invalid = send("POST", "/api/rules", FUNCTION_KEY, "{\"metric\": 5}");
        assertEquals(400, invalid.statusCode(), "the function's own problem document");
        assertEquals("application/problem+json; charset=utf-8", invalid.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void adminInvokesTimersAndReportsEachFunction() throws Exception {
        assertEquals(401, send("GET", "/admin/status", FUNCTION_KEY, null).statusCode(), "admin needs the master key");
        assertEquals(202, send("POST", "/admin/functions/dailyReport", MASTER_KEY, "{\"input\": \"\"}").statusCode());
        assertEquals(400, send("POST", "/admin/functions/health", MASTER_KEY, "{}").statusCode());
        assertEquals(404, send("POST", "/admin/functions/nope", MASTER_KEY, "{}").statusCode());
        JsonNode status = Json.MAPPER.readTree(send("GET", "/admin/status", MASTER_KEY, null).body()).get("functions");
        assertEquals(1, status.get("dailyReport").get("invocations").asLong());
        assertEquals("Succeeded", status.get("dailyReport").get("lastOutcome").asText());
        assertEquals("timerTrigger", status.get("dailyReport").get("trigger").asText());
        assertTrue(status.get("health").get("invocations").asLong() >= 0);
        assertEquals("blobTrigger", status.get("uploads").get("trigger").asText());
        assertEquals("eventHubTrigger", status.get("telemetry").get("trigger").asText());
    }

    private JsonNode status(String function) throws Exception {
        return Json.MAPPER.readTree(send("GET", "/admin/status", MASTER_KEY, null).body()).get("functions").get(function);
    }

    private void awaitInvocations(String function, long count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status(function).get("invocations").asLong() < count) {
            assertTrue(System.nanoTime() < deadline, function + " was not invoked: " + status(function));
            Thread.sleep(200);
        }
    }

    @Test
    void blobTriggersRunOncePerBlobVersionAndChangeFeedsReachTheirFunction() throws Exception {
        String name = "localhost-" + System.nanoTime() + ".ndjson";
        String device = "lh-" + System.nanoTime();
        dev.sensorchat.blob.BlobStore uploads = app.blobStore(app.blobContainers().uploads());
        long before = status("uploads").get("invocations").asLong();
        uploads.put(name, ("{\"deviceId\":\"" + device + "\",\"ts\":\"" + java.time.Instant.now().minusSeconds(60)
                + "\",\"metrics\":{\"t\":1}}\n").getBytes(StandardCharsets.UTF_8), "application/x-ndjson", Map.of());
        awaitInvocations("uploads", before + 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (uploads.get(name + ".receipt.json").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the uploads function ran and wrote its receipt");
            Thread.sleep(200);
        }
        assertEquals(1, Json.MAPPER.readTree(uploads.get(name + ".receipt.json").orElseThrow()).get("accepted").asLong());
        Thread.sleep(5_000); // two more scans: the same version does not run again
        long afterFirst = status("uploads").get("invocations").asLong();
        assertEquals(afterFirst, status("uploads").get("invocations").asLong());

        // A restarted host (another process, a fresh state folder) finds the receipt in storage: the blob does not run again.
        int secondPort = freePort();
        Process second = new ProcessBuilder(hostCommand(settingsFile, dir.resolve("state-restarted"), secondPort)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("second.log").toFile()).start();
        try {
            long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(dir.resolve("second.log")).contains("SENSORCHAT_LOCALHOST_READY")) {
                assertTrue(System.nanoTime() < ready, Files.readString(dir.resolve("second.log")));
                Thread.sleep(200);
            }
            Thread.sleep(5_000);
            HttpResponse<String> secondStatus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + secondPort + "/admin/status"))
                    .header("x-functions-key", MASTER_KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(0, Json.MAPPER.readTree(secondStatus.body()).get("functions").get("uploads").get("invocations").asLong());
        } finally {
            second.destroy();
            second.waitFor(10, TimeUnit.SECONDS);
        }

        // An alert written to Cosmos DB reaches alertNotifications through the change feed.
        long notified = status("alertNotifications").get("invocations").asLong();
        java.time.Instant lastSeen = app.devices().find(device).map(d -> d.lastSeen()).orElse(java.time.Instant.now().minusSeconds(3600));
        app.alerts().openOffline(device, lastSeen, dev.sensorchat.alerts.Severity.WARNING).orElseThrow();
        awaitInvocations("alertNotifications", notified + 1);
        assertEquals("Succeeded", status("alertNotifications").get("lastOutcome").asText());
    }

    @Test
    void simulatedDevicesStreamThroughTheLocalEventHubIntoExactAggregates() throws Exception {
        Path truth = dir.resolve("truth.json");
        String run = Long.toString(System.nanoTime(), 36);
        JsonNode summary = dev.sensorchat.testing.Simulators.run(dir, List.of("devices", "--devices", "12", "--interval", "5s",
                "--duration", "5m", "--speed", "0", "--start", java.time.Instant.now().minusSeconds(420).toString(), "--seed", "5",
                "--prefix", "thermostat=lt" + run + ",air-quality=la" + run + ",machine=lm" + run,
                "--duplicate-rate", "0.02", "--out-of-order-rate", "0.02", "--malformed-rate", "0.02",
                "--target", "http", "--url", "http://127.0.0.1:" + port + "/admin/eventhubs/telemetry?code=" + MASTER_KEY,
                "--ground-truth", truth.toString()));
        assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (status("telemetry").path("eventHub").path("backlog").asLong(-1) != 0) {
            assertTrue(System.nanoTime() < deadline, "the hub's consumer caught up: " + status("telemetry"));
            Thread.sleep(250);
        }
        SimulatorPipelineIT.assertMinuteWindowsEqual(app, truth);
        assertEquals(0, status("telemetry").get("failures").asLong());

        // The malformed events can be read back locally, counted by reason.
        HttpResponse<String> deadLetters = send("GET", "/admin/deadletters?limit=3", MASTER_KEY, null);
        assertEquals(200, deadLetters.statusCode(), deadLetters.body());
        JsonNode letters = Json.MAPPER.readTree(deadLetters.body());
        long malformed = summary.get("malformed").asLong();
        assertTrue(malformed > 0 && letters.get("total").asLong() >= malformed, "every malformed event is there: " + letters.get("reasons"));
        long counted = 0;
        for (var reason : (Iterable<java.util.Map.Entry<String, JsonNode>>) letters.get("reasons")::fields) {
            counted += reason.getValue().asLong();
        }
        assertEquals(letters.get("scanned").asLong(), counted, "each scanned letter is counted under its reason");
        assertEquals(3, letters.get("latest").size());
        assertTrue(letters.get("latest").get(0).has("reason") && letters.get("latest").get(0).has("body"), letters.get("latest").get(0)::toString);
        assertEquals(401, send("GET", "/admin/deadletters", FUNCTION_KEY, null).statusCode(), "admin needs the master key");
    }

    /**
     * Telemetry reports itself: each batch a log line of fields tied to its invocation, and
     * /admin/status, from the app's metrics, answers how far behind each partition is, how many
     * events were rejected and why, and what an event costs in request units.
     */
    @Test
    void telemetryBatchesAreLoggedWithTheirInvocationAndCountedInTheStatus() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        String good = "{\"deviceId\":\"obs-" + run + "\",\"ts\":\"" + java.time.Instant.now().minusSeconds(5) + "\",\"metrics\":{\"temperature\":21.5}}";
        String events = good + "\n{\"deviceId\":\"obs-" + run + "\",\"metrics\":{}}\nnot json at all\n";
        JsonNode before = Json.MAPPER.readTree(send("GET", "/admin/status", MASTER_KEY, null).body()).get("telemetry");
        HttpResponse<String> published = send("POST", "/admin/eventhubs/telemetry?partitionKey=obs-" + run, MASTER_KEY, events);
        assertEquals(202, published.statusCode(), published.body());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode status;
        while ((status = Json.MAPPER.readTree(send("GET", "/admin/status", MASTER_KEY, null).body())).get("telemetry").get("events")
                .get("received").asLong() < before.get("events").get("received").asLong() + 3) {
            assertTrue(System.nanoTime() < deadline, "the batch was counted: " + status.get("telemetry"));
            Thread.sleep(100);
        }
        JsonNode telemetry = status.get("telemetry");
        assertEquals(before.get("events").get("accepted").asLong() + 1, telemetry.get("events").get("accepted").asLong(), telemetry::toString);
        assertEquals(before.get("events").get("deadLettered").asLong() + 2, telemetry.get("events").get("deadLettered").asLong());
        assertEquals(before.path("rejectedByReason").path("invalid_json").asLong() + 1, telemetry.get("rejectedByReason").get("invalid_json").asLong(),
                telemetry::toString);
        long byReason = 0;
        for (JsonNode count : telemetry.get("rejectedByReason")) {
            byReason += count.asLong();
        }
        assertEquals(telemetry.get("events").get("deadLettered").asLong(), byReason, "every rejection has its reason");
        assertTrue(telemetry.get("cosmos").get("modelledRuPerEvent").asDouble() > 0, telemetry::toString);
        assertTrue(telemetry.get("cosmos").get("chargedRuPerEvent").asDouble() > 0, "the server's charge, nominal here: " + telemetry);
        assertTrue(telemetry.get("partitions").size() > 0 && telemetry.get("partitions").elements().next().get("batches").asLong() > 0,
                telemetry::toString);
        JsonNode hubPartitions = status.get("functions").get("telemetry").get("eventHub").get("partitions");
        assertEquals(4, hubPartitions.size(), hubPartitions::toString);
        hubPartitions.forEach(partition -> assertTrue(partition.has("backlog") && partition.has("oldestWaitingMs"), partition::toString));

        // The batch's line: its fields, and the invocation the host ran it as.
        String line = awaitLogLine(l -> l.contains("telemetry batch ") && l.contains("received=3 ") && l.contains("rejected.invalid_json=1"));
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("invocationId=([0-9a-f-]{36})").matcher(line);
        assertTrue(id.find(), line);
        assertTrue(line.contains(" accepted=1 ") && line.contains(" deadLettered=2 ") && line.contains(" lagMs=") && line.contains(" cosmosRuCharged="), line);
        awaitLogLine(l -> l.contains("Executed 'Functions.telemetry' (Succeeded, Id=" + id.group(1)));
    }

    /** Event Hubs' REST batch, as a gateway sends it: many devices a request, each message keyed by its device. */
    @Test
    void anEventHubsRestBatchFeedsEachDeviceToItsPartition() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        java.time.Instant minute = java.time.Instant.now().minusSeconds(180).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        List<String> devices = List.of("gw-a-" + run, "gw-b-" + run, "gw-c-" + run);
        com.fasterxml.jackson.databind.node.ArrayNode batch = Json.MAPPER.createArrayNode();
        for (int second = 0; second < 2; second++) {
            for (String device : devices) {
                String reading = "{\"deviceId\":\"" + device + "\",\"ts\":\"" + minute.plusSeconds(10 + second) + "\",\"metrics\":{\"temperature\":"
                        + (20 + second) + "}}";
                batch.addObject().put("Body", reading).putObject("BrokerProperties").put("PartitionKey", device);
            }
        }
        batch.addObject().put("Body", "not json").putObject("UserProperties").put("Alert", "ignored");
        HttpResponse<String> published = sendTyped("/admin/eventhubs/telemetry", batch.toString(), "application/vnd.microsoft.servicebus.json");
        assertEquals(202, published.statusCode(), published.body());
        JsonNode answer = Json.MAPPER.readTree(published.body());
        assertEquals(7, answer.get("events").asLong(), answer::toString);
        for (String device : devices) {
            ReadModel.eventually(60, () -> {
                AggregateReader.Window window = ReadModel.windows(app, device, "temperature", Resolution.MINUTE, minute, minute.plusSeconds(60))
                        .get(minute.toEpochMilli());
                assertTrue(window != null && window.count() == 2 && window.sum() == 41, device + ": " + window);
            });
        }

        // A message without a Body is refused whole, naming it.
        HttpResponse<String> refused = sendTyped("/admin/eventhubs/telemetry", "[{\"Body\": \"x\"}, {\"BrokerProperties\": {\"PartitionKey\": \"k\"}}]",
                "application/vnd.microsoft.servicebus.json");
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(Json.MAPPER.readTree(refused.body()).get("detail").asText().contains("message 1 has no Body"), refused.body());
    }

    private HttpResponse<String> sendTyped(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("x-functions-key", MASTER_KEY).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aProblemDocumentNamesTheInvocationTheHostLogged() throws Exception {
        HttpResponse<String> missing = send("GET", "/api/devices/no-such-device-" + System.nanoTime(), FUNCTION_KEY, null);
        assertEquals(404, missing.statusCode(), missing.body());
        String invocationId = Json.MAPPER.readTree(missing.body()).path("invocationId").asText();
        assertTrue(invocationId.matches("[0-9a-f-]{36}"), missing.body());
        awaitLogLine(l -> l.contains("Id=" + invocationId));
    }

    private String awaitLogLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : hostLog) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such line in the host's log; its last lines:\n"
                + String.join("\n", hostLog.subList(Math.max(0, hostLog.size() - 30), hostLog.size())));
    }

    @Test
    void aBindingTheHostCannotServeIsAStartupErrorThatNamesIt() throws Exception {
        // An app with one queue-triggered function: no queue trigger here.
        Path app = Files.createDirectories(dir.resolve("queue-app/onQueue"));
        Path packaged = Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat"));
        Files.copy(packaged.resolve("host.json"), app.getParent().resolve("host.json"));
        Files.writeString(app.resolve("function.json"), """
                {"scriptFile": "%s", "entryPoint": "dev.sensorchat.functions.HealthFunction.run",
                 "bindings": [{"type": "queueTrigger", "direction": "in", "name": "message", "queueName": "q"}]}"""
                .formatted(packaged.toAbsolutePath().resolve(Files.list(packaged).filter(p -> p.toString().endsWith(".jar")).findFirst()
                        .orElseThrow().getFileName()).toString().replace("\\", "/")));
        List<String> command = new ArrayList<>(hostCommand(settings(Map.of()), dir.resolve("state-2"), freePort()));
        command.set(command.indexOf("--app") + 1, app.getParent().toString());
        Process failing = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(failing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(failing.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, failing.exitValue());
        assertTrue(output.contains("function 'onQueue' declares a 'queueTrigger' binding ('message'), which this host cannot serve"), output);
    }
}
