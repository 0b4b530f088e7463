package dev.sensorchat.simulators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real simulator process, stopped by a signal while it streams to a slow endpoint: it exits within
 * the stop timeout plus a few seconds, prints its summary, and its ground truth is exactly what the
 * endpoint acknowledged.
 */
class StopSignalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each request takes this long: 16 queued chunks of 4 requests would take about 19 s to send. */
    private static final long SERVER_DELAY_MS = 300;
    private static final int STOP_TIMEOUT_S = 2;

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
    private Process simulator;

    @BeforeEach
    void startSlowEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(8);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Thread.sleep(SERVER_DELAY_MS);
                exchange.sendResponseHeaders(202, -1);
                // Answered: what the client may count as acknowledged.
                acknowledged.addAll(List.of(new String(body, StandardCharsets.UTF_8).split("\n")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterEach
    void stopAll() {
        if (simulator != null) {
            simulator.destroyForcibly();
        }
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130"})
    void aStopSignalEndsTheRunInBoundedTimeWithItsSummaryAndTheGroundTruthOfWhatWasAcknowledged(String signal, int exitCode)
            throws Exception {
        Path truth = dir.resolve("truth.json");
        Path summary = dir.resolve("summary.json");
        Path err = dir.resolve("stderr.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath(),
                SimulatorsCli.class.getName(), "devices", "--devices", "4", "--interval", "1s", "--duration", "1h", "--speed", "0",
                "--start", "2026-11-22T08:00:00Z", "--batch-size", "40", "--http-streams", "1",
                "--malformed-rate", "0.05", "--duplicate-rate", "0.05", "--out-of-order-rate", "0.05",
                "--target", "http", "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/admin/eventhubs/telemetry",
                "--stop-timeout", STOP_TIMEOUT_S + "s", "--ground-truth", truth.toString(), "--summary-json", summary.toString(),
                "--progress", "never");
        simulator = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < 60) { // mid-stream: several requests answered, the queue full behind them
            assertTrue(simulator.isAlive() && System.nanoTime() < deadline, "the simulator streams: " + Files.readString(err));
            Thread.sleep(50);
        }

        long signalled = System.nanoTime();
        if (signal.equals("TERM")) {
            simulator.destroy(); // SIGTERM
        } else {
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(simulator.pid())).start().waitFor());
        }
        boolean exited = simulator.waitFor(STOP_TIMEOUT_S + Runner.ABANDON_AFTER_MS / 1000 + 6, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - signalled) / 1e9;
        String stderr = Files.readString(err);
        assertTrue(exited, "exited within the stop timeout and a few seconds, not after sending all that was queued: " + stderr);
        assertEquals(exitCode, simulator.exitValue(), stderr);
        assertTrue(seconds >= STOP_TIMEOUT_S - 0.5, "it went on sending what was queued for the stop timeout: " + seconds + " s");

        assertTrue(stderr.contains("interrupted: 4 devices"), stderr);
        for (String line : List.of("sent ", "acknowledged ", "failed ", "not sent ", "ground truth ")) {
            assertTrue(stderr.contains("  " + line), "the summary has '" + line + "': " + stderr);
        }
        JsonNode figures = JSON.readTree(summary.toFile());
        List<String> received = List.copyOf(acknowledged);
        assertTrue(figures.get("interrupted").asBoolean());
        assertEquals(received.size(), figures.get("acknowledged").asLong(), "what the endpoint answered is what was acknowledged: " + figures);
        assertEquals(0, figures.get("unanswered").asLong(), "the requests in flight were answered within the stop timeout: " + figures);
        assertEquals(figures.get("sent").asLong(), figures.get("acknowledged").asLong() + figures.get("failed").asLong(), figures::toString);
        assertTrue(figures.get("unsent").asLong() > 0, "what was still queued was given up on: " + figures);

        JsonNode groundTruth = JSON.readTree(truth.toFile());
        Map<String, double[]> expected = RecomputedTruth.windows(received);
        assertEquals(expected.size() > 0 ? RecomputedTruth.validEvents(received) : 0, groundTruth.get("validEvents").asLong());
        Map<String, double[]> actual = RecomputedTruth.of(groundTruth);
        assertEquals(expected.keySet(), actual.keySet(), "the ground truth covers exactly the acknowledged events");
        expected.forEach((key, stats) -> assertArrayEquals(stats, actual.get(key), 1e-6, key));
    }

    /** This JVM's classpath, as surefire gives it (the classes and every dependency jar). */
    private static String classpath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        assertTrue(classpath.contains("picocli"), classpath);
        return String.join(File.pathSeparator, List.of(classpath.split(File.pathSeparator)));
    }
}
