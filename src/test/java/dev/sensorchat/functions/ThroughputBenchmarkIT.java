package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.LocalHostProcess;
import dev.sensorchat.testing.PerEventFunctionApp;
import dev.sensorchat.testing.Simulators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * P3, end-to-end throughput: the simulators send a fleet's events as fast as the stack takes them
 * (the http target, the local host's Event Hub and telemetry function, the local Cosmos DB
 * server), and the figure is the sustained rate: events acknowledged over the time from the first
 * send until the function has consumed the last. The peer is the per-event design
 * ({@link PerEventFunctionApp}, one upsert per event) in the same host on the same servers, in the
 * same run, on the same fleet. Both must lose nothing: this app's minute windows equal the ground
 * truth, and the peer holds one document per valid event.
 *
 * <p>A benchmark: {@code -Dsensorchat.benchmarks=true}; {@code -Dsensorchat.throughput.events} (default
 * 60,000) and {@code .devices} (500) size the fleet. The report is printed and written to
 * {@code target/throughput.txt}; nothing is asserted against the machine's figure.
 */
@ExtendWith(LocalAzureExtension.class)
class ThroughputBenchmarkIT {

    private static final int EVENTS = Integer.getInteger("sensorchat.throughput.events", 60_000);
    private static final int DEVICES = Integer.getInteger("sensorchat.throughput.devices", 500);

    record Run(String design, long acknowledged, double seconds, double workerCpuSeconds, long cosmosRequests) {
        double rate() {
            return acknowledged / seconds;
        }
    }

    @Test
    void theAppSustainsFiveTimesThePerEventDesignEndToEnd(LocalAzure azure, @TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("sensorchat.benchmarks"), "benchmark: run with -Dsensorchat.benchmarks=true");
        Path app = Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat"));
        Path perEvent = PerEventFunctionApp.writeTo(dir.resolve("per-event-app"), app);
        List<Run> runs = new ArrayList<>();
        for (String design : List.of("sensorchat", "per-event")) {
            runs.add(run(azure, dir.resolve(design), design, design.equals("sensorchat") ? app : perEvent));
        }
        Run ours = runs.get(0);
        Run peer = runs.get(1);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "P3 end to end: %,d events from %d devices, simulators (http) -> local host -> Cosmos DB server, as fast as it takes them%n",
                EVENTS, DEVICES));
        report.append(String.format(Locale.ROOT, "  %-12s %12s %10s %18s %22s%n", "design", "events/s", "seconds", "worker CPU ms/event",
                "Cosmos requests/event"));
        for (Run run : runs) {
            report.append(String.format(Locale.ROOT, "  %-12s %,12.0f %10.1f %18.3f %22s%n", run.design(), run.rate(), run.seconds(),
                    1000 * run.workerCpuSeconds() / run.acknowledged(),
                    run.cosmosRequests() < 0 ? "1 (by design)" : String.format(Locale.ROOT, "%.3f", (double) run.cosmosRequests() / run.acknowledged())));
        }
        report.append(String.format(Locale.ROOT, "  sensorchat / per-event: %.2fx (target 5x: %s)%n", ours.rate() / peer.rate(),
                ours.rate() >= 5 * peer.rate() ? "met" : "NOT met"));
        System.out.print(report);
        Files.writeString(Path.of("target", "throughput.txt"), report);
    }

    private Run run(LocalAzure azure, Path dir, String design, Path appDir) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> values = LocalHostProcess.settings(azure, Map.of());
        String run = Long.toString(System.nanoTime(), 36);
        Path truth = dir.resolve("truth.json");
        List<String> args = List.of("devices", "--devices", Integer.toString(DEVICES), "--interval", "1s",
                "--events", Integer.toString(EVENTS), "--speed", "0", "--seed", "29",
                "--start", "now-" + Math.max(1, EVENTS / DEVICES / 60) + "m",
                "--prefix", "thermostat=pt" + run + ",air-quality=pa" + run + ",machine=pm" + run,
                // No repeated sends: the ground truth counts a device's repeat as a reading (as the app does), the
                // peer's upsert keeps one; out-of-order and malformed events both designs see.
                "--out-of-order-rate", "0.01", "--malformed-rate", "0.001",
                "--target", "http", "--url", "%URL%", "--ground-truth", truth.toString());
        try (LocalHostProcess host = new LocalHostProcess(dir, values, "throughput-master-key", appDir)) {
            host.start();
            List<String> withUrl = args.stream().map(a -> a.equals("%URL%") ? host.eventHubUrl("telemetry") : a).toList();
            ProcessHandle worker = host.worker();
            double cpuBefore = cpuSeconds(worker);
            long started = System.nanoTime();
            JsonNode summary = Simulators.run(dir, withUrl, Duration.ofMinutes(30));
            host.awaitCaughtUp("telemetry", Duration.ofMinutes(30));
            assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong(), summary::toString);
            // The clock stops when the store holds everything: the hub's backlog is empty before its last batches are written.
            long requests = -1;
            if (design.equals("sensorchat")) {
                try (AppContext reader = LocalHostProcess.readerOf(azure, values)) {
                    SimulatorPipelineIT.assertMinuteWindowsEqual(reader, truth);
                }
            } else {
                long expected = readings(truth);
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                try (CosmosClient client = new CosmosClientBuilder().endpoint(azure.cosmosEndpoint()).key(azure.cosmosKey()).gatewayMode()
                        .endpointDiscoveryEnabled(false).buildClient()) {
                    while (documents(client, values) < expected && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertEquals(expected, documents(client, values), "one document per reading, none lost, none doubled");
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = cpuSeconds(worker) - cpuBefore;
            JsonNode function = host.functionStatus("telemetry");
            assertEquals(0, function.path("failures").asLong(), function::toString);
            if (design.equals("sensorchat")) {
                // The local server charges one RU a request, so the charged RU count the requests.
                requests = Math.round(host.status().get("telemetry").path("cosmos").path("chargedRu").asDouble(-1));
            }
            return new Run(design, summary.get("acknowledged").asLong(), seconds, cpu, requests);
        }
    }

    /** The readings in the ground truth: per device and minute, the count of its most-reported metric. */
    private static long readings(Path truth) throws java.io.IOException {
        Map<String, Long> perWindow = new java.util.HashMap<>();
        for (JsonNode window : Json.MAPPER.readTree(truth.toFile()).get("windows")) {
            perWindow.merge(window.get("deviceId").asText() + "@" + window.get("start").asText(), window.get("count").asLong(), Math::max);
        }
        return perWindow.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long documents(CosmosClient client, Map<String, String> values) {
        return client.getDatabase(values.get(AppContext.COSMOS_DATABASE)).getContainer(PerEventFunctionApp.CONTAINER)
                .queryItems("SELECT VALUE COUNT(1) FROM c", new CosmosQueryRequestOptions(), Long.class).stream()
                .mapToLong(Long::longValue).sum();
    }

    private static double cpuSeconds(ProcessHandle worker) {
        return worker.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }
}
