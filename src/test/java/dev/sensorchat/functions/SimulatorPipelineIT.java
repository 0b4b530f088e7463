package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.testing.ReadModel;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.Simulators;
import dev.sensorchat.testing.TestExecutionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulators (their jar, run as a separate process: device software shares no code with the
 * backend) against the pipeline: the backend accepts exactly the events the simulators mean to be
 * valid, rejects each malformed one with the reason the simulator intended, and ends up with the
 * simulators' ground truth, through the Event Hub trigger and through blob uploads.
 */
@ExtendWith(LocalAzureExtension.class)
class SimulatorPipelineIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String DEAD_LETTERS = "deadletters-" + RUN;
    private static final String UPLOADS = "uploads-" + RUN;
    private static final int PARTITIONS = 4;

    private static AppContext app;
    private static LocalAzure servers;

    @TempDir
    Path dir;

    @BeforeAll
    static void open(LocalAzure azure) {
        servers = azure;
        app = azure.newAppContext(Map.of(BlobContainerNames.DEADLETTER_CONTAINER, DEAD_LETTERS, BlobContainerNames.UPLOADS_CONTAINER, UPLOADS));
    }

    @AfterAll
    static void close() {
        app.close();
    }

    private JsonNode simulate(String... args) throws Exception {
        return Simulators.run(dir, List.of(args));
    }

    /** Every scenario at once, on devices named for this run, readings from {@code start} for 20 minutes. */
    private static List<String> fleet(Instant start) {
        return List.of("devices", "--devices", "24", "--interval", "15s", "--duration", "20m", "--speed", "0", "--seed", "17",
                "--start", start.toString(),
                "--prefix", "thermostat=th" + RUN + ",air-quality=aq" + RUN + ",machine=mc" + RUN,
                "--duplicate-rate", "0.03", "--out-of-order-rate", "0.03", "--late-rate", "0.03", "--malformed-rate", "0.03",
                "--anomaly-rate", "0.01", "--with-meta", "--fault", "th" + RUN + "-2 overheats at +5m for 3m");
    }

    private static String[] with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void eventHubDeliveryOfASimulatedStreamEndsAtTheGroundTruth() throws Exception {
        Path events = dir.resolve("events.ndjson");
        Path truth = dir.resolve("truth.json");
        JsonNode summary = simulate(with(fleet(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.MINUTES)),
                "--target", "file", "--file", events.toString(), "--ground-truth", truth.toString()));

        // Shape the stream as Event Hubs delivers it: partitioned by device, sequence numbers per
        // partition, enqueued when sent (the simulated clock), in batches of up to 100.
        TelemetryFunction function = new TelemetryFunction(app::eventHubBatches, app::ingestMetrics);
        Map<Integer, List<String>> partitions = new TreeMap<>();
        Map<Integer, List<Instant>> enqueued = new TreeMap<>();
        long clock = 0;
        for (String line : Files.readAllLines(events)) {
            clock = Math.max(clock, timestampOf(line));
            int partition = Math.floorMod(deviceOf(line).hashCode(), PARTITIONS);
            partitions.computeIfAbsent(partition, p -> new ArrayList<>()).add(line);
            enqueued.computeIfAbsent(partition, p -> new ArrayList<>()).add(Instant.ofEpochMilli(clock + 50));
        }
        int deadLettered = 0;
        for (var partition : partitions.entrySet()) {
            List<String> bodies = partition.getValue();
            for (int from = 0; from < bodies.size(); from += 100) {
                int to = Math.min(bodies.size(), from + 100);
                @SuppressWarnings("unchecked")
                Map<String, Object>[] properties = new Map[to - from];
                for (int i = from; i < to; i++) {
                    properties[i - from] = Map.of("SequenceNumber", (long) i, "EnqueuedTimeUtc", enqueued.get(partition.getKey()).get(i).toString(),
                            "Offset", String.valueOf(i * 400L), "PartitionKey", deviceOf(bodies.get(i)));
                }
                TestExecutionContext context = new TestExecutionContext("telemetry");
                function.run(bodies.subList(from, to).toArray(String[]::new),
                        Map.of("PartitionId", String.valueOf(partition.getKey()), "EventHubName", "telemetry"), properties, context);
                String batchLine = context.loggedMessages().stream().filter(line -> line.startsWith("telemetry batch ")).findFirst().orElseThrow();
                deadLettered += Integer.parseInt(batchLine.replaceAll(".*deadLettered=(\\d+).*", "$1"));
            }
        }

        assertEquals(summary.get("malformed").asLong(), deadLettered, "exactly the malformed events are rejected");
        BlobStore deadLetters = app.blobStore(DEAD_LETTERS);
        Set<String> reasons = new HashSet<>();
        for (String name : deadLetters.list("eventhub/")) {
            reasons.add(Json.MAPPER.readTree(deadLetters.get(name).orElseThrow()).get("reason").asText());
        }
        assertEquals(Set.of("invalid_json", "non_finite_value", "invalid_device_id", "missing_field"), reasons,
                "each kind of malformed event gets the reason the simulator meant");
        assertMinuteWindowsEqual(truth);
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "ndjson"})
    void blobUploadsFromSimulatedGatewaysEndAtTheGroundTruth(String format) throws Exception {
        Path truth = dir.resolve("truth.json");
        List<String> fleet = new ArrayList<>(fleet(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(50, ChronoUnit.MINUTES)));
        fleet.replaceAll(arg -> arg.replace(RUN, RUN + format)); // other devices than the other tests'
        String container = UPLOADS + "-" + format;
        JsonNode summary = simulate(with(fleet, "--target", "blob", "--blob-connection-string", servers.storageConnectionString(),
                "--container", container, "--blob-format", format, "--gateways", "3", "--events-per-file", "500",
                "--ground-truth", truth.toString()));
        assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong());

        BlobStore uploads = app.blobStore(container);
        UploadFunction function = new UploadFunction(app::uploads, app::blobStore);
        List<String> files = uploads.list("gateway-");
        assertTrue(files.size() >= 3 && files.stream().allMatch(name -> name.matches("gateway-\\d/\\d{8}T\\d{6}Z-\\d{5}\\." + format + "\\.gz")),
                files.toString());
        long rejected = 0;
        for (String name : files) {
            function.run(uploads.client(name), new TestExecutionContext("uploads"));
            rejected += Json.MAPPER.readTree(uploads.get(name + ".receipt.json").orElseThrow()).get("rejected").asLong();
        }
        assertEquals(summary.get("malformed").asLong(), rejected, "exactly the malformed events are rejected");
        assertMinuteWindowsEqual(truth);
    }

    private static void assertMinuteWindowsEqual(Path truthFile) throws IOException {
        assertMinuteWindowsEqual(app, truthFile);
    }

    /**
     * Every minute window the ground truth names is in the read model with the same statistics,
     * once the streams have written what they hold (in another process, after their idle flush).
     */
    static void assertMinuteWindowsEqual(AppContext app, Path truthFile) throws IOException {
        JsonNode truth = Json.MAPPER.readTree(truthFile.toFile());
        ReadModel.eventually(60, () -> compareMinuteWindows(app, truth));
    }

    private static void compareMinuteWindows(AppContext app, JsonNode truth) {
        Map<String, Map<Long, AggregateReader.Window>> read = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (JsonNode expected : truth.get("windows")) {
            long start = Instant.parse(expected.get("start").asText()).toEpochMilli();
            first = Math.min(first, start);
            last = Math.max(last, start);
        }
        Instant from = Instant.ofEpochMilli(first);
        Instant to = Instant.ofEpochMilli(last + 60_000);
        int compared = 0;
        for (JsonNode expected : truth.get("windows")) {
            String device = expected.get("deviceId").asText();
            String metric = expected.get("metric").asText();
            long start = Instant.parse(expected.get("start").asText()).toEpochMilli();
            Map<Long, AggregateReader.Window> windows = read.computeIfAbsent(device + "/" + metric, key ->
                    ReadModel.windows(app, device, metric, Resolution.MINUTE, from, to));
            String where = device + " " + expected.get("start").asText() + " " + metric;
            AggregateReader.Window actual = windows.get(start);
            if (actual == null) {
                throw new AssertionError("no window " + where);
            }
            assertEquals(expected.get("count").asLong(), actual.count(), where);
            assertEquals(expected.get("sum").asDouble(), actual.sum(), 1e-6, where);
            assertEquals(expected.get("min").asDouble(), actual.min(), 0, where);
            assertEquals(expected.get("max").asDouble(), actual.max(), 0, where);
            assertEquals(Instant.parse(expected.get("firstTs").asText()), actual.firstTs(), where);
            assertEquals(Instant.parse(expected.get("lastTs").asText()), actual.lastTs(), where);
            assertEquals(expected.get("last").asDouble(), actual.last(), 0, where);
            compared++;
        }
        assertTrue(compared > 0, "the ground truth names windows");
    }

    private static String deviceOf(String line) {
        int start = line.indexOf("\"deviceId\":\"") + 12;
        return line.substring(start, line.indexOf('"', start));
    }

    /** The event's timestamp, or 0 when it has none (a malformed event). */
    private static long timestampOf(String line) {
        int start = line.indexOf("\"ts\":\"");
        return start < 0 ? 0 : Instant.parse(line.substring(start + 6, line.indexOf('"', start + 6))).toEpochMilli();
    }
}
