package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.telemetry.TelemetryLimits;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.LocalHostProcess;
import dev.sensorchat.testing.PerEventFunctionApp;
import dev.sensorchat.testing.Simulators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * P3, throughput through the run command's stack (the simulators' http target, the local host's Event
 * Hub and telemetry function, the local Cosmos DB server), two ways:
 * <ul>
 * <li><b>end to end</b>: the simulators send a fleet's events as fast as the stack takes them while the
 *     function consumes; events over the time from the first send until the hub is caught up. Intake and
 *     consumption share the machine's cores (the CPU columns say how), so this is bounded by all of it.</li>
 * <li><b>from a filled hub</b>: the fleet is sent first to a host whose telemetry function is disabled,
 *     then a host that runs it starts on the same hub; events over the time from its readiness until it
 *     is caught up. The store design's own rate, as a backlog (a catch-up after an outage) is consumed.</li>
 * </ul>
 * Caught up, the peer's store is complete (its batches return once their upserts are acknowledged);
 * this app's streams write what they hold at their idle flush, so its "store complete" time, until its
 * read model equals the ground truth (the reading included), is reported too. The peer is the per-event
 * design ({@link PerEventFunctionApp}, one upsert per event) in the same host on the same servers, in the
 * same run, on the same fleet. Both must lose nothing: this app's minute windows equal the ground truth,
 * and the peer holds one document per valid event.
 *
 * <p>A benchmark: {@code -Dsensorchat.benchmarks=true}; {@code -Dsensorchat.throughput.events} (default
 * 300,000: ten minutes of the fleet, so that startup and JIT warm-up are a small part of each run) and {@code .devices} (500) size the fleet; {@code .httpFormat} is how the simulators send
 * ({@code batch}: Event Hubs' REST batches, many devices a request; {@code ndjson}: a request per device
 * and send); {@code .workerOptions} and {@code .simulatorOptions} are JVM options for the hosts and the
 * simulators (a flight recording, say). The report is printed and written to
 * {@code target/throughput.txt}; nothing is asserted against the machine's figure.
 */
@ExtendWith(LocalAzureExtension.class)
class ThroughputBenchmarkIT {

    private static final int EVENTS = Integer.getInteger("sensorchat.throughput.events", 300_000);
    private static final int DEVICES = Integer.getInteger("sensorchat.throughput.devices", 500);
    /** batch (Event Hubs' REST batch, the default) or ndjson (a request per device and send). */
    private static final String HTTP_FORMAT = System.getProperty("sensorchat.throughput.httpFormat", "batch");
    private static final Map<String, String> SIMULATOR_ENVIRONMENT = System.getProperty("sensorchat.throughput.simulatorOptions") == null
            ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", System.getProperty("sensorchat.throughput.simulatorOptions"));

    /**
     * One design's run: {@code seconds} until its hub was caught up (every batch handled and checkpointed),
     * {@code storeSeconds} until its store held everything (the same for the peer, whose batches return once
     * their upserts are acknowledged; later for this app, whose streams write what they hold at their idle flush).
     */
    record Run(String design, String mode, long events, double seconds, double storeSeconds, double workerCpuSeconds,
               double simulatorCpuSeconds, double serverCpuSeconds, long cosmosRequests) {
        double rate() {
            return events / seconds;
        }

        String cpuPerEvent() {
            return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", 1000 * workerCpuSeconds / events, 1000 * simulatorCpuSeconds / events,
                    1000 * serverCpuSeconds / events);
        }
    }

    /** Both ways of driving the stack: end to end (the fleet sends while the function consumes), and from a filled hub. */
    enum Mode { END_TO_END, FILLED_HUB }

    @Test
    void theAppSustainsFiveTimesThePerEventDesign(LocalAzure azure, @TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("sensorchat.benchmarks"), "benchmark: run with -Dsensorchat.benchmarks=true");
        Path app = Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat"));
        Path perEvent = PerEventFunctionApp.writeTo(dir.resolve("per-event-app"), app);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "P3 throughput: %,d events from %d devices, simulators (http, %s) -> local host -> Cosmos DB server, as fast as it takes them%n",
                EVENTS, DEVICES, HTTP_FORMAT));
        report.append(String.format(Locale.ROOT, "  %-11s %-11s %10s %9s %14s %23s %16s%n", "mode", "design", "events/s", "seconds",
                "store complete", "CPU ms/event: host/sim/db", "Cosmos req/event"));
        for (Mode mode : Mode.values()) {
            List<Run> runs = new ArrayList<>();
            for (String design : List.of("sensorchat", "per-event")) {
                runs.add(run(azure, dir.resolve(mode + "-" + design), mode, design, design.equals("sensorchat") ? app : perEvent));
            }
            for (Run run : runs) {
                report.append(String.format(Locale.ROOT, "  %-11s %-11s %,10.0f %9.1f %12.1f s %25s %16s%n", run.mode(), run.design(),
                        run.rate(), run.seconds(), run.storeSeconds(), run.cpuPerEvent(),
                        run.cosmosRequests() < 0 ? "1 (by design)" : String.format(Locale.ROOT, "%.3f", (double) run.cosmosRequests() / run.events())));
            }
            double ratio = runs.get(0).rate() / runs.get(1).rate();
            report.append(String.format(Locale.ROOT, "  %-11s sensorchat / per-event: %.2fx (target 5x: %s)%n", runs.get(0).mode(), ratio,
                    ratio >= 5 ? "met" : "NOT met"));
        }
        report.append("  events/s: events over the time to the hub caught up; end to end, from the first send; from a filled hub,\n"
                + "  from the restarted host's first answer; store complete: when the store held all of them\n"
                + "  CPU: the host's worker JVM (intake, hub and function) and the Cosmos DB server over that time; the simulators'\n"
                + "  whole run (from a filled hub, before that time)\n");
        System.out.print(report);
        Files.writeString(Path.of("target", "throughput.txt"), report);
    }

    private Run run(LocalAzure azure, Path dir, Mode mode, String design, Path appDir) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> values = LocalHostProcess.settings(azure, Map.of());
        if (System.getProperty("sensorchat.throughput.workerOptions") != null) {
            // e.g. -XX:StartFlightRecording:filename=/tmp/p3-jfr/ (a directory: one recording per JVM), to see where the time goes
            values.put("JAVA_OPTS", System.getProperty("sensorchat.throughput.workerOptions")); // after Azure's defaults, as there
        }
        String run = Long.toString(System.nanoTime(), 36);
        Path truth = dir.resolve("truth.json");
        List<String> args = List.of("devices", "--devices", Integer.toString(DEVICES), "--interval", "1s",
                "--events", Integer.toString(EVENTS), "--speed", "0", "--seed", "29",
                "--start", start().toString(),
                "--prefix", "thermostat=pt" + run + ",air-quality=pa" + run + ",machine=pm" + run,
                // No repeated sends: the ground truth counts a device's repeat as a reading (as the app does), the
                // peer's upsert keeps one; out-of-order and malformed events both designs see.
                "--out-of-order-rate", "0.01", "--malformed-rate", "0.001",
                // Event Hubs' REST batches: many devices' events a request, as a gateway sends them. With a backlog a
                // gateway fills its batches: 2,000 events a send over 4 streams is about 100 KB a request (Event Hubs
                // takes up to 1 MB); the simulators' default of 500 a send makes four times the requests.
                "--target", "http", "--http-format", HTTP_FORMAT, "--http-streams", System.getProperty("sensorchat.throughput.httpStreams", "4"),
                "--batch-size", System.getProperty("sensorchat.throughput.batchSize", "2000"),
                "--url", "%URL%", "--ground-truth", truth.toString());
        JsonNode summary = null;
        if (mode == Mode.FILLED_HUB) {
            // The fleet first, into the hub of a host whose telemetry function is off; then a host that runs it.
            Map<String, String> disabled = new java.util.HashMap<>(values);
            disabled.put("AzureWebJobs.telemetry.Disabled", "true");
            try (LocalHostProcess filling = new LocalHostProcess(dir, disabled, "throughput-master-key", appDir)) {
                filling.start();
                summary = Simulators.run(dir, withUrl(args, filling), Duration.ofMinutes(30), SIMULATOR_ENVIRONMENT);
                filling.stop();
            }
        }
        // The peer's store is counted with a client built (and connected) before the load: under the load the
        // local server may be too busy to finish a new connection's TLS handshake in time.
        try (LocalHostProcess host = new LocalHostProcess(dir, values, "throughput-master-key", appDir);
             CosmosClient client = new CosmosClientBuilder().endpoint(azure.cosmosEndpoint()).key(azure.cosmosKey()).gatewayMode()
                     .endpointDiscoveryEnabled(false).buildClient()) {
            client.readAllDatabases().stream().count(); // connected before the load (the peer's container comes with its first batch)
            host.start();
            ProcessHandle worker = host.worker();
            double cpuBefore = cpuSeconds(worker);
            double serverCpuBefore = serverCpuSeconds(azure);
            long started = System.nanoTime();
            long consumedBefore = 0;
            if (mode == Mode.END_TO_END) {
                summary = Simulators.run(dir, withUrl(args, host), Duration.ofMinutes(30), SIMULATOR_ENVIRONMENT);
            } else {
                // From the host's readiness (its startup left out), without what it consumed before it was ready.
                consumedBefore = host.functionStatus("telemetry").path("eventHub").path("deliveredEvents").asLong();
            }
            host.awaitCaughtUp("telemetry", Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = cpuSeconds(worker) - cpuBefore;
            double serverCpu = serverCpuSeconds(azure) - serverCpuBefore;
            assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong(), summary::toString);
            double storeSeconds = seconds;
            if (design.equals("sensorchat")) {
                try (AppContext reader = LocalHostProcess.readerOf(azure, values)) {
                    SimulatorPipelineIT.assertMinuteWindowsEqual(reader, truth);
                }
                storeSeconds = (System.nanoTime() - started) / 1e9; // the idle flush, and the reading of every window
            } else {
                assertEquals(readings(truth), documentsOnceTheServerAnswers(client, values), "one document per reading, none lost, none doubled");
            }
            JsonNode function = host.functionStatus("telemetry");
            assertEquals(0, function.path("failures").asLong(), function::toString);
            long requests = -1;
            if (design.equals("sensorchat")) {
                // The local server charges one RU a request, so the charged RU count the requests.
                requests = Math.round(host.status().get("telemetry").path("cosmos").path("chargedRu").asDouble(-1));
            }
            long events = summary.get("acknowledged").asLong() - consumedBefore;
            host.stop(); // as a host stops (a flight recording is written then)
            return new Run(design, mode == Mode.END_TO_END ? "end to end" : "filled hub", events, seconds, storeSeconds, cpu,
                    summary.path("cpuSeconds").asDouble(Double.NaN), serverCpu, requests);
        }
    }

    private static List<String> withUrl(List<String> args, LocalHostProcess host) {
        return args.stream().map(a -> a.equals("%URL%") ? host.eventHubUrl("telemetry") : a).toList();
    }

    /**
     * Where the fleet's simulated time starts: its readings must all be within the app's limits when they
     * are consumed, at most the allowed lateness behind (with two minutes to spare for the run) and at
     * most the future skew ahead.
     */
    private static Instant start() {
        long span = EVENTS / DEVICES;
        long behind = Math.min(span, TelemetryLimits.DEFAULT_ALLOWED_LATENESS.minusMinutes(2).toSeconds());
        if (span - behind > TelemetryLimits.MAX_FUTURE_SKEW.minusMinutes(1).toSeconds()) {
            throw new IllegalArgumentException(EVENTS + " events from " + DEVICES + " devices at 1 Hz span " + span
                    + " s: more than the app takes at once; use more devices");
        }
        return Instant.now().minusSeconds(behind);
    }

    /** The readings in the ground truth: per device and minute, the count of its most-reported metric. */
    private static long readings(Path truth) throws java.io.IOException {
        Map<String, Long> perWindow = new java.util.HashMap<>();
        for (JsonNode window : Json.MAPPER.readTree(truth.toFile()).get("windows")) {
            perWindow.merge(window.get("deviceId").asText() + "@" + window.get("start").asText(), window.get("count").asLong(), Math::max);
        }
        return perWindow.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The peer's documents. The local server counts by scanning every document (0.1 s at 300,000), but
     * right after the load it may still be busy: a count that fails is asked again, for up to 5 minutes.
     */
    private static long documentsOnceTheServerAnswers(CosmosClient client, Map<String, String> values) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                return documents(client, values);
            } catch (com.azure.cosmos.CosmosException busy) {
                if (System.nanoTime() > deadline) {
                    throw busy;
                }
                Thread.sleep(10_000);
            }
        }
    }

    private static long documents(CosmosClient client, Map<String, String> values) {
        return client.getDatabase(values.get(AppContext.COSMOS_DATABASE)).getContainer(PerEventFunctionApp.CONTAINER)
                .queryItems("SELECT VALUE COUNT(1) FROM c", new CosmosQueryRequestOptions(), Long.class).stream()
                .mapToLong(Long::longValue).sum();
    }

    private static double serverCpuSeconds(LocalAzure azure) {
        return azure.cosmosFaults().serverProcess().map(ThroughputBenchmarkIT::cpuSeconds).orElse(Double.NaN);
    }

    private static double cpuSeconds(ProcessHandle worker) {
        return worker.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }
}
