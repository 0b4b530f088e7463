package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertIds;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.StoreMeter;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Event Hub-triggered function end to end, against the real local Cosmos DB server and
 * Azurite. A generated stream for 40 devices on 4 partitions is delivered the way Event Hubs does
 * (at least once): in batches of varying size, some delivered twice, some replayed from an older
 * checkpoint after a simulated crash with different batch boundaries, and one partition delivered
 * by two instances (two app contexts, as two processes would be) at the same time. The results,
 * read through the query API's reader, must equal the ground truth that {@link TelemetryScenario}
 * computes on its own. (Event Hubs itself cannot run here; the batches are shaped exactly as the
 * Functions host hands them over.)
 */
@ExtendWith(LocalAzureExtension.class)
class TelemetryFunctionIT {

    private static final int DEVICES = 40;
    private static final String DEAD_LETTERS = "deadletters-" + UUID.randomUUID().toString().substring(0, 8);

    private static AppContext app;
    private static AppContext secondInstance;
    private static TelemetryScenario scenario;
    private static final List<String> writeCountProblems = new ArrayList<>();
    private static final List<TestExecutionContext> invocations = new ArrayList<>();
    private static final Map<Integer, Set<String>> devicesOfPartition = new HashMap<>();
    private static int freshBatches;
    private static int replayedBatches;

    @BeforeAll
    static void deliverTheStream(LocalAzure azure) {
        // The test flushes idle streams itself, so no write lands between a batch and its count.
        app = azure.newAppContext(Map.of(BlobContainerNames.DEADLETTER_CONTAINER, DEAD_LETTERS, AppContext.TELEMETRY_IDLE_FLUSH_SECONDS, "3600"));
        // Another process of the same app: same database, state of its own.
        secondInstance = azure.newAppContext(Map.of(BlobContainerNames.DEADLETTER_CONTAINER, DEAD_LETTERS,
                AppContext.TELEMETRY_IDLE_FLUSH_SECONDS, "3600", AppContext.COSMOS_DATABASE, app.settings().get(AppContext.COSMOS_DATABASE, null)));
        app.rules().create(json(TelemetryScenario.RULE_JSON));
        scenario = TelemetryScenario.generate(DEVICES, 42);
        TelemetryFunction function = new TelemetryFunction(app::eventHubBatches, app::ingestMetrics);
        Random random = new Random(7);

        for (int partition = 0; partition < TelemetryScenario.PARTITIONS - 1; partition++) {
            deliverAtLeastOnce(function, scenario.partitions.get(partition), random);
        }
        // The last partition is delivered by two instances at once, cut into batches differently,
        // as happens while a partition moves during a rebalance.
        List<TelemetryScenario.Event> contested = scenario.partitions.get(TelemetryScenario.PARTITIONS - 1);
        TelemetryFunction other = new TelemetryFunction(secondInstance::eventHubBatches, secondInstance::ingestMetrics);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> deliverInBatches(function, contested, 7));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> deliverInBatches(other, contested, 11));
        CompletableFuture.allOf(first, second).join();
        // The streams went quiet: what their last batches left in memory is written (as the idle flush does).
        app.telemetryStreams().flushIdle();
        secondInstance.telemetryStreams().flushIdle();
    }

    @AfterAll
    static void close() {
        app.close();
        secondInstance.close();
    }

    /** Batches of 5-40 events; some delivered twice, some replayed from the last checkpoint. */
    private static void deliverAtLeastOnce(TelemetryFunction function, List<TelemetryScenario.Event> events, Random random) {
        long applied = -1; // highest sequence number any delivery has applied
        int checkpoint = 0;
        int position = 0;
        while (position < events.size()) {
            List<TelemetryScenario.Event> batch = events.subList(position, Math.min(events.size(), position + 5 + random.nextInt(36)));
            long before = writes();
            Map<String, StoreUsage.Counts> storeWritesBefore = app.storeMeter().byContainer();
            deliver(function, batch);
            long first = batch.get(0).sequenceNumber();
            long last = batch.get(batch.size() - 1).sequenceNumber();
            if (first > applied) {
                freshBatches++;
                checkWritesOfFreshBatch(batch, storeWritesBefore);
            } else if (last <= applied) {
                replayedBatches++;
                if (writes() != before) {
                    writeCountProblems.add("a replayed batch wrote " + (writes() - before) + " documents");
                }
            }
            applied = Math.max(applied, last);
            int roll = random.nextInt(10);
            if (roll == 0) {
                continue; // the same batch again: delivered, but the checkpoint was not stored
            }
            if (roll == 1) {
                position = checkpoint; // "crash": restart from the last checkpoint, cut differently
                continue;
            }
            position += batch.size();
            checkpoint = position;
        }
    }

    private static void deliverInBatches(TelemetryFunction function, List<TelemetryScenario.Event> events, int size) {
        for (int i = 0; i < events.size(); i += size) {
            deliver(function, events.subList(i, Math.min(events.size(), i + size)));
        }
    }

    @SuppressWarnings("unchecked")
    private static void deliver(TelemetryFunction function, List<TelemetryScenario.Event> batch) {
        String[] bodies = new String[batch.size()];
        Map<String, Object>[] properties = new Map[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            TelemetryScenario.Event event = batch.get(i);
            bodies[i] = event.body();
            // The host sends the enqueued time with or without a zone designator.
            Object enqueued = event.sequenceNumber() % 2 == 0 ? event.enqueuedTime().toString()
                    : LocalDateTime.ofInstant(event.enqueuedTime(), ZoneOffset.UTC).toString();
            properties[i] = Map.of("SequenceNumber", event.sequenceNumber(), "EnqueuedTimeUtc", enqueued,
                    "Offset", String.valueOf(event.sequenceNumber() * 512), "PartitionKey", event.partitionKey());
        }
        Map<String, Object> partitionContext = Map.of("PartitionId", String.valueOf(batch.get(0).partition()),
                "EventHubName", "telemetry", "ConsumerGroup", "$Default");
        TestExecutionContext context = new TestExecutionContext("telemetry");
        function.run(bodies, partitionContext, properties, context);
        synchronized (invocations) {
            invocations.add(context);
        }
    }

    /**
     * A fresh batch commits with one segment (plus, now and then, a checkpoint); the read model is
     * written for the devices that are due (their last write a flush period ago): at most one
     * device document per device of the partition, and a minute document per hour it touched.
     */
    private static void checkWritesOfFreshBatch(List<TelemetryScenario.Event> batch, Map<String, StoreUsage.Counts> before) {
        Set<String> devices = new HashSet<>();
        for (TelemetryScenario.Event event : batch) {
            event.readings().forEach(reading -> devicesOfPartition.computeIfAbsent(event.partition(), p -> new HashSet<>()).add(reading.deviceId()));
        }
        devices.addAll(devicesOfPartition.getOrDefault(batch.get(0).partition(), Set.of()));
        Map<String, StoreUsage.Counts> after = app.storeMeter().byContainer();
        long segments = written(after, before, Containers.STREAMS.name());
        long windows = written(after, before, Containers.TELEMETRY.name());
        long deviceWrites = written(after, before, Containers.DEVICES.name());
        if (segments < 1 || segments > 1 + 9) {
            writeCountProblems.add("batch of " + batch.size() + " wrote " + segments + " stream documents");
        }
        if (windows > 2L * devices.size() || deviceWrites > devices.size()) {
            writeCountProblems.add("batch of " + batch.size() + " events on a partition of " + devices.size() + " devices wrote " + windows
                    + " window and " + deviceWrites + " device documents");
        }
    }

    private static long written(Map<String, StoreUsage.Counts> after, Map<String, StoreUsage.Counts> before, String container) {
        return after.getOrDefault(container, StoreUsage.Counts.ZERO).writes() - before.getOrDefault(container, StoreUsage.Counts.ZERO).writes();
    }

    private static long writes() {
        return app.storeMeter().total().writes();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theDeliveriesReallyIncludedReplays() {
        assertTrue(freshBatches > 10, "fresh batches: " + freshBatches);
        assertTrue(replayedBatches > 0, "replayed batches: " + replayedBatches);
    }

    @Test
    void everyWindowAggregateEqualsTheGroundTruth() {
        Instant from = TelemetryScenario.T0.minus(Duration.ofHours(1));
        Instant to = TelemetryScenario.T0.plus(Duration.ofHours(2));
        for (Resolution resolution : Resolution.values()) {
            Map<String, Map<Long, Map<String, TelemetryScenario.Stats>>> truth = scenario.windows(resolution.millis());
            assertEquals(DEVICES, truth.size());
            for (var device : truth.entrySet()) {
                for (String metric : List.of("temperature", "humidity")) {
                    Map<Long, TelemetryScenario.Stats> expected = new TreeMap<>();
                    device.getValue().forEach((start, metrics) -> {
                        if (metrics.containsKey(metric)) {
                            expected.put(start, metrics.get(metric));
                        }
                    });
                    Map<Long, TelemetryScenario.Stats> stored = new TreeMap<>();
                    String continuation = null;
                    do {
                        var page = app.aggregates().read(device.getKey(), metric, resolution, from, to, 1000, continuation);
                        page.items().forEach(w -> stored.put(w.start().toEpochMilli(), new TelemetryScenario.Stats(w.count(), w.sum(),
                                w.min(), w.max(), w.firstTs().toEpochMilli(), w.lastTs().toEpochMilli(), w.last())));
                        continuation = page.continuation();
                    } while (continuation != null);
                    assertEquals(expected, stored, resolution.label() + " windows of " + metric + " of " + device.getKey());
                }
            }
        }
    }

    @Test
    void eachBatchWroteEachDocumentAtMostOnceAndReplaysWroteNothing() {
        assertEquals(List.of(), writeCountProblems);
    }

    @Test
    void deadLettersHoldExactlyTheBadEventsWithTheirReasons() throws IOException {
        BlobStore deadLetters = app.blobStore(DEAD_LETTERS);
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> expectedBodies = new HashMap<>();
        for (TelemetryScenario.Event bad : scenario.badEvents()) {
            String key = bad.partition() + "/" + bad.sequenceNumber();
            expected.put(key, bad.expectedRejection());
            expectedBodies.put(key, bad.body());
        }
        Map<String, String> actual = new TreeMap<>();
        for (String name : deadLetters.list("eventhub/")) {
            JsonNode letter = Json.MAPPER.readTree(deadLetters.get(name).orElseThrow());
            String key = letter.at("/source/partition").asText() + "/" + letter.at("/source/sequenceNumber").asLong();
            actual.put(key, letter.get("reason").asText());
            assertEquals(expectedBodies.get(key), letter.get("body").asText(), "original body of " + key);
            assertTrue(letter.at("/source/enqueuedTime").isTextual());
        }
        assertEquals(12, expected.size());
        assertEquals(expected, actual);
    }

    @Test
    void devicesRegisteredThemselvesWithTheirLatestValues() {
        Map<String, Map<String, double[]>> latest = scenario.latest();
        assertEquals(DEVICES, latest.size());
        for (var expected : latest.entrySet()) {
            DeviceDocument device = app.devices().find(expected.getKey()).orElseThrow();
            long lastTs = 0;
            for (var metric : expected.getValue().entrySet()) {
                DeviceDocument.LatestValue value = device.latest().get(metric.getKey());
                assertEquals(metric.getValue()[0], value.value(), expected.getKey() + " " + metric.getKey());
                assertEquals((long) metric.getValue()[1], value.ts().toEpochMilli());
                lastTs = Math.max(lastTs, (long) metric.getValue()[1]);
            }
            assertEquals(lastTs, device.lastSeen().toEpochMilli());
            assertEquals(expected.getKey(), device.name());
            assertEquals(0, device.activeAlerts());
        }
    }

    @Test
    void eachOverheatOpenedOneAlertThatResolvedOnce() {
        List<AlertDocument> alerts = app.alerts().list(null, null, null, 100, null).items();
        Map<String, long[]> expected = scenario.expectedAlerts();
        assertEquals(expected.keySet(), alerts.stream().map(AlertDocument::deviceId).collect(Collectors.toSet()));
        assertEquals(expected.size(), alerts.size(), "one alert per device: replays never opened another");
        for (AlertDocument alert : alerts) {
            long[] times = expected.get(alert.deviceId());
            assertEquals(AlertIds.of(alert.deviceId(), "overheat", times[0]), alert.id());
            assertEquals(AlertState.RESOLVED, alert.state());
            assertEquals(Instant.ofEpochMilli(times[0]), alert.openedAt());
            assertEquals(Instant.ofEpochMilli(times[1]), alert.resolvedAt());
            assertEquals(List.of(AlertState.OPEN, AlertState.RESOLVED), alert.transitions().stream().map(AlertDocument.Transition::state).toList());
            assertEquals(60.0, alert.transitions().get(1).value(), "the reading that cleared it");
        }
    }

    @Test
    void everyInvocationLoggedItsCounts() {
        int deadLettered = 0;
        for (TestExecutionContext context : invocations) {
            String line = context.loggedMessages().stream().filter(m -> m.startsWith("telemetry batch ")).findFirst().orElseThrow();
            assertTrue(line.matches("telemetry batch partition=\\d received=\\d+ accepted=\\d+ deadLettered=\\d+( rejected\\.[a-z0-9_]+=\\d+)* "
                    + "readings=\\d+ devices=\\d+ alertsOpened=\\d+ windowsWritten=\\d+ cosmosRequests=\\d+ cosmosWrites=\\d+ "
                    + "cosmosRuCharged=[0-9.]+ cosmosRuModelled=[0-9.]+ durationMs=\\d+ lagMs=\\d+"), line);
            deadLettered += Integer.parseInt(line.replaceAll(".*deadLettered=(\\d+).*", "$1"));
        }
        assertTrue(deadLettered >= 12, "every bad event was counted when it was dead-lettered");
    }
}
