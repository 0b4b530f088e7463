package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.BlobContainerNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local host (the run command's function host) as a separate process over the test's servers,
 * started as {@code mvn -B -Prun package} starts it: a launcher JVM and its worker. Restartable on
 * the same state folder, on a new port each time.
 */
public final class LocalHostProcess implements AutoCloseable {

    private final HttpClient http = HttpClient.newHttpClient();
    private final Path dir;
    private final Path settingsFile;
    private final Path state;
    private final String masterKey;
    private final Path app;
    private Process process;
    private int port;
    private int starts;

    /** Writes {@code local.settings.json} with these values into {@code dir}; starts nothing yet. */
    public LocalHostProcess(Path dir, Map<String, String> values, String masterKey) throws IOException {
        this(dir, values, masterKey, Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat")));
    }

    /** The same, for the packaged app in {@code app} (another app than this project's, for a benchmark's peer). */
    public LocalHostProcess(Path dir, Map<String, String> values, String masterKey, Path app) throws IOException {
        this.app = app;
        this.dir = dir;
        this.state = dir.resolve("state");
        this.masterKey = masterKey;
        ObjectNode file = Json.MAPPER.createObjectNode();
        file.put("IsEncrypted", false);
        ObjectNode json = file.putObject("Values");
        values.forEach(json::put);
        json.put("LOCALHOST_MASTER_KEY", masterKey);
        settingsFile = dir.resolve("local.settings.json");
        Files.writeString(settingsFile, file.toString());
    }

    /**
     * App settings for a host over the test's servers: the Event Hub trigger on the host's local hub,
     * the daily timers at 00:15 (report) and 00:45 UTC (retention), the silent-device check every 5 minutes,
     * an uploads container of its own; {@code more} on top.
     */
    public static Map<String, String> settings(LocalAzure azure, Map<String, String> more) {
        Map<String, String> values = new java.util.HashMap<>(azure.appSettings());
        values.putAll(Map.of("FUNCTIONS_WORKER_RUNTIME", "java", "REPORT_SCHEDULE", "0 15 0 * * *",
                "SILENT_DEVICES_SCHEDULE", "0 */5 * * * *", "RETENTION_SCHEDULE", "0 45 0 * * *",
                "TELEMETRY_HUB", "telemetry", "TELEMETRY_CONSUMER_GROUP", "$Default", "TelemetryEventHub", "local",
                "COSMOS_EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true")); // the local server's self-signed certificate
        values.put(BlobContainerNames.UPLOADS_CONTAINER, "host-uploads-" + Long.toString(System.nanoTime(), 36));
        values.putAll(more);
        return values;
    }

    /** An app context in the test's process over the host's database and uploads container: to read what the host wrote. */
    public static AppContext readerOf(LocalAzure azure, Map<String, String> settings) {
        return azure.newAppContext(Map.of(AppContext.COSMOS_DATABASE, settings.get(AppContext.COSMOS_DATABASE),
                BlobContainerNames.UPLOADS_CONTAINER, settings.get(BlobContainerNames.UPLOADS_CONTAINER)));
    }

    /** The command that starts the host; the localhost module's classpath comes from its build. */
    public static List<String> command(Path settings, Path state, int port) throws IOException {
        return command(Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat")), settings, state, port);
    }

    /** The command that starts the host on the packaged app in {@code app}. */
    public static List<String> command(Path app, Path settings, Path state, int port) throws IOException {
        Path localhost = Path.of(System.getProperty("sensorchat.localhost.dir", "localhost"));
        String classpath = localhost.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(localhost.resolve("target/classpath.txt")).strip();
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "dev.sensorchat.localhost.LocalHostCli", "--app", app.toString(),
                "--settings", settings.toString(), "--state", state.toString(), "--port", Integer.toString(port));
    }

    /** Starts the host on a free port and waits until it serves. */
    public void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("host-" + ++starts + ".log");
        process = new ProcessBuilder(command(app, settingsFile, state, port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(log).contains("SENSORCHAT_LOCALHOST_READY")) {
            assertTrue(process.isAlive() && System.nanoTime() < deadline, "the host started: " + Files.readString(log));
            Thread.sleep(200);
        }
    }

    public Path settingsFile() {
        return settingsFile;
    }

    public Path state() {
        return state;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Where the simulators' http target posts: the host's Event Hub, with the master key. */
    public String eventHubUrl(String hub) {
        return baseUrl() + "/admin/eventhubs/" + hub + "?code=" + masterKey;
    }

    /** {@code GET /admin/status}. */
    public JsonNode status() throws Exception {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/status"))
                .header("x-functions-key", masterKey).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode(), status.body());
        return Json.MAPPER.readTree(status.body());
    }

    public JsonNode functionStatus(String function) throws Exception {
        return status().get("functions").get(function);
    }

    /** Waits until the function's Event Hub consumer has nothing left to deliver. */
    public void awaitCaughtUp(String function, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (functionStatus(function).path("eventHub").path("backlog").asLong(-1) != 0) {
            assertTrue(System.nanoTime() < deadline, "the hub's consumer caught up: " + functionStatus(function));
            Thread.sleep(250);
        }
    }

    /** The worker JVM, which runs the functions (the launcher only starts and stops it). */
    public ProcessHandle worker() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst()
                .orElseThrow(() -> new AssertionError("the host's worker JVM runs"));
    }

    /** A crash: the worker first, with no chance to close anything, then the launcher. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the launcher stops its worker, which closes the host. */
    public void stop() throws Exception {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the host stopped");
        for (ProcessHandle worker : workers) {
            worker.onExit().get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
