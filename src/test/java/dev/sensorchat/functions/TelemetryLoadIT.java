package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.LocalHostProcess;
import dev.sensorchat.testing.Simulators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R6, telemetry under sustained load: a simulated fleet sends in real time, for several minutes,
 * through the run command's stack (the simulators' http target, the local host's Event Hub and its
 * telemetry function, the local Cosmos DB server). Every event the host acknowledged ends in the
 * aggregates, which equal the simulators' ground truth; nothing fails; and the host's heap after a
 * full collection stays flat once warm: the streams hold a bounded state per device, so a heap that
 * grows with the events sent is a leak.
 *
 * <p>The rate and the heap are reported (stdout and {@code target/telemetry-load.txt}), not asserted
 * against a figure: the machine sets those. {@code -Dsensorchat.telemetryLoad.minutes} and
 * {@code .devices} make the run longer or heavier (defaults: 3 minutes, 400 devices at 1 Hz), and
 * {@code .httpFormat=batch} sends Event Hubs' REST batches (many devices a request) instead of a request
 * per device;
 * {@code -Dsensorchat.telemetryLoad.histograms=true} keeps a class histogram of the host's heap at each
 * sample, to find what grows.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryLoadIT {

    private static final String MASTER_KEY = "local-master-key-load-0123456789";
    private static final int MINUTES = Integer.getInteger("sensorchat.telemetryLoad.minutes", 3);
    private static final int DEVICES = Integer.getInteger("sensorchat.telemetryLoad.devices", 400);
    /** How the simulators send: ndjson (a request per device and send) or batch (Event Hubs' REST batches). */
    private static final String HTTP_FORMAT = System.getProperty("sensorchat.telemetryLoad.httpFormat", "ndjson");
    /** The first minute warms the JIT and fills each device's state; the heap is judged after it. */
    private static final long WARM_UP_SECONDS = 60;
    /**
     * A stream holds each device's minutes for the allowed lateness plus the open minute, so its state is
     * still filling until then; the trend from here on tells a leak from that filling (runs of 20 minutes
     * or more have enough samples).
     */
    private static final long STATE_FULL_SECONDS = dev.sensorchat.telemetry.TelemetryLimits.DEFAULT_ALLOWED_LATENESS.plusMinutes(2).toSeconds();
    private static final long SAMPLE_SECONDS = 15;

    private AppContext app;
    private Path dir;
    private LocalHostProcess host;

    @BeforeAll
    void setUp(LocalAzure azure) throws Exception {
        dir = Files.createTempDirectory("telemetry-load-it");
        Map<String, String> values = LocalHostProcess.settings(azure, Map.of());
        app = LocalHostProcess.readerOf(azure, values);
        host = new LocalHostProcess(dir, values, MASTER_KEY);
        host.start();
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

    /** One look at the host: its heap after a forced full collection, and how far its consumer got. */
    record Sample(long seconds, long heapAfterGc, long delivered, long backlog, double cpuSeconds) {
    }

    @Test
    void aSustainedStreamEndsAtTheGroundTruthWithAFlatHeap() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        Path truth = dir.resolve("truth.json");
        List<String> args = List.of("devices", "--devices", Integer.toString(DEVICES), "--interval", "1s", "--duration", MINUTES + "m",
                "--speed", "1", "--seed", "23", "--start", "now",
                "--prefix", "thermostat=lt" + run + ",air-quality=la" + run + ",machine=lm" + run,
                "--duplicate-rate", "0.01", "--out-of-order-rate", "0.01", "--malformed-rate", "0.001",
                "--target", "http", "--http-format", HTTP_FORMAT, "--url", host.eventHubUrl("telemetry"), "--ground-truth", truth.toString());
        ProcessHandle worker = host.worker();
        long started = System.nanoTime();
        double cpuBefore = cpuSeconds(worker);
        CompletableFuture<JsonNode> fleet = CompletableFuture.supplyAsync(() -> {
            try {
                return Simulators.run(dir, args, Duration.ofMinutes(MINUTES + 3L));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        List<Sample> samples = new ArrayList<>();
        while (!fleet.isDone()) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(SAMPLE_SECONDS));
            samples.add(sample(worker, started, cpuBefore));
        }
        JsonNode summary = fleet.join();
        double sendingSeconds = (System.nanoTime() - started) / 1e9;
        assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong(), summary::toString);
        assertEquals(0, summary.get("failed").asLong(), summary::toString);

        host.awaitCaughtUp("telemetry", Duration.ofMinutes(2));
        double caughtUpSeconds = (System.nanoTime() - started) / 1e9;
        Sample last = sample(worker, started, cpuBefore);
        samples.add(last);
        JsonNode telemetry = host.functionStatus("telemetry");
        assertEquals(0, telemetry.path("failures").asLong(), telemetry::toString);
        assertEquals(0, telemetry.path("eventHub").path("expiredEvents").asLong(), telemetry::toString);
        SimulatorPipelineIT.assertMinuteWindowsEqual(app, truth);
        // The app's own account of the run (its metrics, as /admin/status shows them) agrees with the hub's.
        JsonNode counted = host.status().get("telemetry");
        assertEquals(telemetry.path("eventHub").path("deliveredEvents").asLong(), counted.get("events").get("received").asLong(), counted::toString);

        List<Sample> warm = samples.stream().filter(s -> s.seconds() >= WARM_UP_SECONDS).toList();
        assertTrue(warm.size() >= 3, "enough samples after the warm-up: " + samples);
        long firstWarm = warm.get(0).heapAfterGc();
        long peakWarm = warm.stream().mapToLong(Sample::heapAfterGc).max().orElseThrow();
        double slopeMbPerMinute = slope(warm) * 60 / (1 << 20);
        String report = report(summary, samples, sendingSeconds, caughtUpSeconds, last, firstWarm, peakWarm, slopeMbPerMinute, counted);
        System.out.print(report);
        Files.writeString(Path.of("target", "telemetry-load.txt"), report);

        // Flat: once warm, the live heap trends up by less than 1 MB a minute (at 400 events a second, a
        // leak of 42 bytes an event) and never grows by 8 MB. Keeping consumed events in the local hub
        // was 7 MB a minute; what is left, within the samples' noise, is a few windows per device.
        assertTrue(slopeMbPerMinute < 1.0 && peakWarm - firstWarm < 8L << 20, "the heap after GC stayed flat once warm:\n" + report);
    }

    private Sample sample(ProcessHandle worker, long started, double cpuBefore) throws Exception {
        fullCollection(worker);
        if (Boolean.getBoolean("sensorchat.telemetryLoad.histograms")) {
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(worker.pid()), "GC.class_histogram")
                    .redirectOutput(dir.resolve("histogram-" + (System.nanoTime() - started) / 1_000_000_000L + ".txt").toFile()).start().waitFor();
        }
        JsonNode status = host.status();
        JsonNode hub = status.get("functions").get("telemetry").path("eventHub");
        return new Sample((System.nanoTime() - started) / 1_000_000_000L, status.get("process").get("heapAfterLastGcBytes").asLong(),
                hub.path("deliveredEvents").asLong(), hub.path("backlog").asLong(), cpuSeconds(worker) - cpuBefore);
    }

    /** A full collection in the worker, with the JDK's own tool, so the heap it leaves is the live set. */
    private static void fullCollection(ProcessHandle worker) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assertTrue(Files.isExecutable(jcmd), "JDK 17's jcmd is at " + jcmd);
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(worker.pid()), "GC.run").redirectErrorStream(true).start();
        String output = new String(gc.getInputStream().readAllBytes());
        assertTrue(gc.waitFor(60, TimeUnit.SECONDS) && gc.exitValue() == 0, "jcmd GC.run: " + output);
    }

    private static double cpuSeconds(ProcessHandle worker) {
        return worker.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }

    /** Least squares, bytes per second. */
    private static double slope(List<Sample> samples) {
        double n = samples.size();
        double meanX = samples.stream().mapToDouble(Sample::seconds).average().orElseThrow();
        double meanY = samples.stream().mapToDouble(Sample::heapAfterGc).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (Sample s : samples) {
            covariance += (s.seconds() - meanX) * (s.heapAfterGc() - meanY);
            variance += (s.seconds() - meanX) * (s.seconds() - meanX);
        }
        return n < 2 || variance == 0 ? 0 : covariance / variance;
    }

    private static String report(JsonNode summary, List<Sample> samples, double sendingSeconds, double caughtUpSeconds, Sample last,
            long firstWarm, long peakWarm, double slopeMbPerMinute, JsonNode counted) {
        StringBuilder out = new StringBuilder();
        long acknowledged = summary.get("acknowledged").asLong();
        out.append(String.format(Locale.ROOT, "TelemetryLoadIT: %d devices at 1 Hz for %d min through the local host (http, %s)%n", DEVICES, MINUTES,
                HTTP_FORMAT));
        out.append(String.format(Locale.ROOT, "  %,d events acknowledged in %.0f s (%.0f events/s), all consumed %.1f s after the last was sent%n",
                acknowledged, sendingSeconds, acknowledged / sendingSeconds, caughtUpSeconds - sendingSeconds));
        out.append(String.format(Locale.ROOT, "  host worker CPU %.1f s in all, %.2f ms per event%n", last.cpuSeconds(),
                1000 * last.cpuSeconds() / Math.max(1, last.delivered())));
        long received = counted.get("events").get("received").asLong();
        long batches = counted.get("batches").asLong();
        out.append(String.format(Locale.ROOT, "  %,d batches (%.0f events each), %.2f ms of function time per event (the batches' durations), "
                        + "%.3f RU per event modelled%n", batches, (double) received / Math.max(1, batches),
                counted.get("batchDurationMs").get("total").asDouble() / Math.max(1, received),
                counted.get("cosmos").get("modelledRuPerEvent").asDouble()));
        out.append(String.format(Locale.ROOT, "  heap after full GC once warm: first %.1f MB, peak %.1f MB, trend %+.2f MB/min%n",
                mb(firstWarm), mb(peakWarm), slopeMbPerMinute));
        List<Sample> full = samples.stream().filter(s -> s.seconds() >= STATE_FULL_SECONDS && s != last).toList();
        if (full.size() >= 8) {
            out.append(String.format(Locale.ROOT, "  once the held minutes are full (from %d s, %d samples): %.1f to %.1f MB, trend %+.3f MB/min%n",
                    STATE_FULL_SECONDS, full.size(), mb(full.stream().mapToLong(Sample::heapAfterGc).min().orElseThrow()),
                    mb(full.stream().mapToLong(Sample::heapAfterGc).max().orElseThrow()), slope(full) * 60 / (1 << 20)));
        }
        out.append("  samples (s, heap after GC MB, delivered, backlog):");
        for (Sample s : samples) {
            out.append(String.format(Locale.ROOT, " %d/%.1f/%d/%d", s.seconds(), mb(s.heapAfterGc()), s.delivered(), s.backlog()));
        }
        return out.append(System.lineSeparator()).toString();
    }

    private static double mb(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
