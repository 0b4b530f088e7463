package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import dev.sensorchat.storage.ContainerSpec;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.testing.CosmosFaults.Fault;
import dev.sensorchat.testing.CosmosFaults.Mode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local Cosmos DB server's fault switch and pause, through the real SDK (gateway mode) and the
 * app's {@link CosmosStore} with its {@code RetryPolicy}: what each fault looks like to a client,
 * that retries get through once it ends, and that writes made while faults come and go are
 * neither lost nor doubled. Recovery times are printed as "[faults] ..." lines.
 */
@ExtendWith(LocalAzureExtension.class)
class CosmosFaultInjectionIT {

    /** A document of the app's shape: string id, partitioned by device; {@code applied} makes increments idempotent. */
    record Doc(String id, String deviceId, long n, List<String> applied) {
        Doc {
            applied = List.copyOf(applied);
        }

        Doc increment(String operationId) {
            if (applied.contains(operationId)) {
                return this;
            }
            List<String> more = new ArrayList<>(applied);
            more.add(operationId);
            return new Doc(id, deviceId, n + 1, more);
        }
    }

    private static final ContainerSpec SPEC = new ContainerSpec("faults", "/deviceId", null, List.of());

    private static CosmosFaults faults;
    private static CosmosClient client;
    private static CosmosClient noThrottleRetryClient;
    private static CosmosDatabase database;
    private static CosmosContainer container;
    private static CosmosContainer noThrottleRetryContainer;
    private static CosmosStore<Doc> store;
    private static String blobEndpoint;

    @BeforeAll
    static void open(LocalAzure azure) {
        faults = azure.cosmosFaults();
        assumeTrue(faults.isSupported(), "fault injection needs the npm servers");
        client = clientBuilder(azure).buildClient();
        noThrottleRetryClient = clientBuilder(azure)
                .throttlingRetryOptions(new ThrottlingRetryOptions().setMaxRetryAttemptsOnThrottledRequests(0))
                .buildClient();
        String databaseName = "faults-" + UUID.randomUUID();
        client.createDatabaseIfNotExists(databaseName);
        database = client.getDatabase(databaseName);
        database.createContainerIfNotExists(new CosmosContainerProperties(SPEC.name(), SPEC.partitionKeyPath()));
        container = database.getContainer(SPEC.name());
        noThrottleRetryContainer = noThrottleRetryClient.getDatabase(databaseName).getContainer(SPEC.name());
        store = new CosmosStore<>(new dev.sensorchat.storage.CosmosDocumentContainer(container), SPEC, Doc.class, CosmosStore.defaultRetryPolicy());
        Matcher blob = Pattern.compile("BlobEndpoint=([^;]+)").matcher(azure.storageConnectionString());
        blobEndpoint = blob.find() ? blob.group(1) : null;
    }

    private static CosmosClientBuilder clientBuilder(LocalAzure azure) {
        return new CosmosClientBuilder().endpoint(azure.cosmosEndpoint()).key(azure.cosmosKey()).gatewayMode();
    }

    @AfterEach
    void noFaultsLeft() {
        if (faults.isSupported()) {
            faults.resume();
            faults.off();
        }
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
            noThrottleRetryClient.close();
        }
    }

    private static String device() {
        return "device-" + UUID.randomUUID();
    }

    private static Doc doc(String device, String id) {
        return new Doc(id, device, 0, List.of());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** From the end of the last fault (its expiry, or when it was switched off) until {@code recoveredAt}. */
    private static long recoveryMillis(Instant recoveredAt) {
        CosmosFaults.Window last = faults.state().last();
        return Duration.between(last.endedAt(), recoveredAt).toMillis();
    }

    private static void report(String line) {
        System.out.println("[faults] " + line);
    }

    @Test
    void throttledRequestsGet429WithTheRetryAfterTheSdkHonours() {
        String device = device();
        store.upsert(doc(device, "before"));

        Instant throttleEnds = faults.inject(Fault.of(Mode.THROTTLE, Duration.ofMillis(1200))
                .retryAfter(Duration.ofMillis(200))).current().expiresAt();
        CosmosException throttled = assertThrows(CosmosException.class,
                () -> noThrottleRetryContainer.readItem("before", new PartitionKey(device), ObjectNode.class));
        assertEquals(429, throttled.getStatusCode());
        assertEquals(3200, throttled.getSubStatusCode());
        assertEquals(Duration.ofMillis(200), throttled.getRetryAfterDuration());

        CosmosFaults.Injected before = faults.injected();
        long stillThrottledMillis = Duration.between(Instant.now(), throttleEnds).toMillis();
        long start = System.nanoTime();
        container.upsertItem(Json.MAPPER.valueToTree(doc(device, "during")));
        long elapsed = millisSince(start);
        Instant recovered = Instant.now();
        long attemptsThrottled = faults.injected().minus(before).throttled();

        // The SDK retried on its own, once per retry-after (not more often), until the throttle ended.
        assertTrue(elapsed >= stillThrottledMillis - 50,
                "the upsert got through after " + elapsed + " ms, while still throttled for " + stillThrottledMillis + " ms");
        assertTrue(attemptsThrottled >= 1 && attemptsThrottled <= stillThrottledMillis / 200 + 2,
                attemptsThrottled + " throttled attempts in " + elapsed + " ms with a retry-after of 200 ms");
        assertEquals(1, count(device, "during"));
        report("throttle 1200 ms, retry-after 200 ms: SDK upsert got through after " + elapsed + " ms, "
                + attemptsThrottled + " attempts throttled, " + recoveryMillis(recovered) + " ms after the throttle ended");
    }

    @Test
    void unavailableRequestsGet503AndTheStoreRetriesThroughThem() {
        String device = device();
        faults.unavailable(Duration.ofMillis(1000));
        CosmosException unavailable = assertThrows(CosmosException.class,
                () -> container.readItem("x", new PartitionKey(device), ObjectNode.class));
        assertEquals(503, unavailable.getStatusCode());

        long start = System.nanoTime();
        store.upsert(doc(device, "during"));
        long elapsed = millisSince(start);
        Instant recovered = Instant.now();

        assertEquals(1, count(device, "during"));
        assertTrue(faults.state().last().injected() >= 2, "the 503s reached the store's retries");
        report("unavailable 1000 ms: CosmosStore upsert got through after " + elapsed + " ms, "
                + recoveryMillis(recovered) + " ms after the fault ended");
    }

    @Test
    void droppedConnectionsFailRequestsAndTheStoreRetriesThroughThem() {
        String device = device();
        store.upsert(doc(device, "before"));
        faults.dropConnections(Duration.ofMillis(800));
        // The SDK does not retry a write whose connection broke: it cannot know whether it was applied.
        CosmosException dropped = assertThrows(CosmosException.class,
                () -> container.createItem(Json.MAPPER.valueToTree(doc(device, "dropped"))));
        report("a write whose connection was dropped reaches the caller as " + dropped.getStatusCode() + "/"
                + dropped.getSubStatusCode() + ": " + innerError(dropped.getMessage()));
        assertEquals(503, dropped.getStatusCode(), "what RetryPolicy treats as transient");

        long start = System.nanoTime();
        store.upsert(doc(device, "during"));
        long elapsed = millisSince(start);
        Instant recovered = Instant.now();

        assertEquals(1, count(device, "during"));
        assertEquals(0, count(device, "dropped"), "dropped before the server looked at it");
        assertTrue(faults.state().last().injected() >= 2);
        report("drop 800 ms: CosmosStore upsert got through after " + elapsed + " ms, "
                + recoveryMillis(recovered) + " ms after the fault ended");

        // Reads are another matter: the SDK retries them on its own until the connection holds.
        faults.dropConnections(Duration.ofMillis(800));
        long readStart = System.nanoTime();
        container.readItem("before", new PartitionKey(device), ObjectNode.class);
        long readMillis = millisSince(readStart);
        report("drop 800 ms: plain SDK read got through after " + readMillis + " ms, "
                + recoveryMillis(Instant.now()) + " ms after the fault ended, "
                + faults.state().last().injected() + " attempts dropped");
    }

    @Test
    void faultsAfterExecutionLeaveWritesInDoubtAndRetriesSeeThem() {
        String device = device();
        faults.inject(Fault.of(Mode.DROP, Duration.ofMillis(400)).afterExecution());
        assertThrows(CosmosException.class,
                () -> container.createItem(Json.MAPPER.valueToTree(doc(device, "in-doubt"))));
        faults.off();
        assertEquals(1, count(device, "in-doubt"), "the server executed the create it did not answer");

        // A retried create meets its own first attempt: the store reports a conflict, not a duplicate.
        faults.inject(Fault.of(Mode.UNAVAILABLE, Duration.ofMillis(300)).afterExecution());
        assertThrows(StoreException.Conflict.class, () -> store.create(doc(device, "retried")));
        assertEquals(1, count(device, "retried"));
    }

    @Test
    void matchingFaultsCountOnlyTheirShareOfDocumentRequests() {
        String device = device();
        store.upsert(doc(device, "a"));
        CosmosFaults.State on = faults.inject(Fault.of(Mode.UNAVAILABLE, Duration.ofSeconds(10)).ratio(0.5));
        assertTrue(on.active());
        int failed = 0;
        for (int i = 0; i < 10; i++) {
            try {
                container.readItem("a", new PartitionKey(device), ObjectNode.class);
            } catch (CosmosException e) {
                assertEquals(503, e.getStatusCode());
                failed++;
            }
        }
        // Metadata (here: the database read) is out of scope by default.
        database.read();
        CosmosFaults.State state = faults.state();
        assertEquals(5, failed);
        assertEquals(10, state.current().seen());
        assertEquals(5, state.current().injected());
        assertFalse(faults.off().active());
        assertNotNull(faults.state().last().endedAt());
        container.readItem("a", new PartitionKey(device), ObjectNode.class);
    }

    @Test
    void writesWhileFaultsComeAndGoAreNeitherLostNorDoubled() throws Exception {
        String device = device();
        store.create(doc(device, "counter"));
        store.create(doc(device, "idempotent-counter"));
        List<Fault> cycle = List.of(
                Fault.of(Mode.THROTTLE, Duration.ofMillis(300)).ratio(0.5).retryAfter(Duration.ofMillis(20)),
                Fault.of(Mode.UNAVAILABLE, Duration.ofMillis(300)).ratio(0.3),
                Fault.of(Mode.DROP, Duration.ofMillis(300)).ratio(0.3),
                Fault.of(Mode.DROP, Duration.ofMillis(300)).ratio(0.3).afterExecution(),
                Fault.of(Mode.UNAVAILABLE, Duration.ofMillis(300)).ratio(0.3).afterExecution());
        CosmosFaults.Injected before = faults.injected();
        AtomicBoolean inDoubtAllowed = new AtomicBoolean();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService flapper = Executors.newSingleThreadExecutor();
        Future<?> flapping = flapper.submit(() -> {
            for (int i = 0; writing.get(); i++) {
                Fault fault = cycle.get(i % cycle.size());
                if (fault.executedFirst() && !inDoubtAllowed.get()) {
                    continue;
                }
                faults.inject(fault);
                Thread.sleep(fault.duration().toMillis() + 100); // 100 ms without faults in between
            }
            return null;
        });

        int documents = 60;
        int batchDocuments = 0;
        int redeliveries = 0;
        long naiveIncrements = 0;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < documents; i++) {
                // First half: only faults that fail requests before they run. Second half: in-doubt
                // writes too (switched on here, between steps, so no naive increment is under way).
                boolean inDoubtPossible = i >= documents / 2;
                inDoubtAllowed.set(inDoubtPossible);
                String id = "doc-" + i;
                // As the hub redelivers a batch the function failed on: run the whole step again.
                redeliveries += redeliver(() -> createOnce(device, id));
                String operation = "op-" + i;
                redeliveries += redeliver(() -> store.compute(device, "idempotent-counter",
                        current -> current.orElseThrow().increment(operation)));
                if (!inDoubtPossible) {
                    // Safe only while no write can be in doubt: a replace that was applied but not
                    // answered meets 412 on its retry, and compute() would then add one more.
                    redeliveries += redeliver(() -> store.compute(device, "counter",
                            current -> {
                                Doc counter = current.orElseThrow();
                                return new Doc(counter.id(), device, counter.n() + 1, List.of());
                            }));
                    naiveIncrements++;
                }
                if (i % 20 == 19) {
                    String batch = "batch-" + i;
                    redeliveries += redeliver(() -> store.executeBatch(device,
                            operations -> operations.upsert(doc(device, batch + "-a")).upsert(doc(device, batch + "-b"))));
                    batchDocuments += 2;
                    redeliveries += redeliver(() -> store.query(SqlQuery.of("SELECT VALUE COUNT(1) FROM c")
                            .inPartition(device), Long.class));
                    redeliveries += redeliver(() -> store.readChangesFromBeginning(10));
                }
            }
        } finally {
            writing.set(false);
            flapping.get(5, TimeUnit.SECONDS);
            flapper.shutdown();
            faults.off();
        }
        long elapsed = millisSince(start);
        CosmosFaults.Injected injected = faults.injected().minus(before);

        List<Long> total = store.query(SqlQuery.of("SELECT VALUE COUNT(1) FROM c").inPartition(device), Long.class);
        int expected = documents + batchDocuments + 2;
        assertEquals(List.of((long) expected), total, "every document once, none lost");
        Doc idempotent = store.find(device, "idempotent-counter").orElseThrow().value();
        assertEquals(documents, idempotent.n(), "one increment per operation, whatever was in doubt");
        assertEquals(documents, new HashSet<>(idempotent.applied()).size());
        assertEquals(naiveIncrements, store.find(device, "counter").orElseThrow().value().n());
        Set<String> fromChangeFeed = new HashSet<>();
        int changes = 0;
        for (String continuation = null; ; ) {
            var page = continuation == null ? store.readChangesFromBeginning(1000) : store.readChanges(continuation, 1000);
            if (page.changes().isEmpty()) {
                break;
            }
            for (Doc change : page.changes()) {
                if (change.deviceId().equals(device)) {
                    fromChangeFeed.add(change.id());
                    changes++;
                }
            }
            continuation = page.continuation();
        }
        assertEquals(expected, fromChangeFeed.size());
        assertEquals(expected, changes, "the change feed holds each document once");
        assertTrue(injected.throttled() > 0 && injected.unavailable() > 0 && injected.dropped() > 0, injected.toString());
        report("flapping faults: " + documents + " documents, " + (documents + naiveIncrements) + " counter steps, "
                + batchDocuments / 2 + " batches, queries and change-feed reads in " + elapsed
                + " ms with " + injected + ", " + redeliveries + " redeliveries; naive counter " + naiveIncrements
                + " (first half only), idempotent counter " + idempotent.n());
    }

    /** A create that treats "already there" as done, after checking that what is there is ours. */
    private static void createOnce(String device, String id) {
        try {
            store.create(doc(device, id));
        } catch (StoreException.Conflict alreadyThere) {
            assertEquals(device, store.find(device, id).orElseThrow().value().deviceId());
        }
    }

    /** Runs {@code step} until it succeeds, at most 10 times; returns how many extra runs it took. */
    private static int redeliver(Runnable step) {
        for (int attempt = 0; ; attempt++) {
            try {
                step.run();
                return attempt;
            } catch (RuntimeException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aPausedServerAnswersAfterResumeWithItsDataIntact() throws Exception {
        String device = device();
        store.upsert(doc(device, "kept"));
        Duration pause = Duration.ofMillis(1500);

        CompletableFuture<Duration> resumed = faults.pauseFor(pause);
        long start = System.nanoTime();
        CompletableFuture<Long> write = CompletableFuture.supplyAsync(() -> {
            store.upsert(doc(device, "written-while-paused"));
            return millisSince(start);
        });
        Optional<?> read = store.find(device, "kept");
        long readMillis = millisSince(start);
        long writeMillis = write.get(30, TimeUnit.SECONDS);
        Duration paused = resumed.get(5, TimeUnit.SECONDS);

        assertTrue(read.isPresent(), "the data survived the pause");
        assertTrue(readMillis >= pause.toMillis() - 200, "the read was answered after " + readMillis + " ms");
        assertTrue(writeMillis >= pause.toMillis() - 200, "the write was answered after " + writeMillis + " ms");
        assertEquals(1, count(device, "written-while-paused"));
        assertEquals(2, store.query(SqlQuery.of("SELECT VALUE COUNT(1) FROM c").inPartition(device), Long.class).get(0));
        report("paused " + paused.toMillis() + " ms: read answered after " + readMillis + " ms, write after " + writeMillis
                + " ms, i.e. " + (Math.max(readMillis, writeMillis) - paused.toMillis()) + " ms after the resume");
    }

    @Test
    void pausingCosmosLeavesAzuriteRunning() throws Exception {
        assumeTrue(blobEndpoint != null);
        faults.pause();
        try {
            assertTrue(faults.isPaused());
            assertThrows(IllegalStateException.class, faults::state, "the fault switch is paused with the server");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(blobEndpoint + "?comp=list"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            assertTrue(response.statusCode() > 0, "Azurite answered");
        } finally {
            faults.resume();
        }
        assertFalse(faults.isPaused());
        assertFalse(faults.state().active());
    }

    private static int count(String device, String id) {
        return store.query(SqlQuery.of("SELECT VALUE COUNT(1) FROM c WHERE c.id = @id").with("@id", id).inPartition(device),
                Long.class).get(0).intValue();
    }

    private static String innerError(String message) {
        Matcher inner = Pattern.compile("\"innerErrorMessage\":\"([^\"]*)\"").matcher(String.valueOf(message));
        return inner.find() ? inner.group(1) : String.valueOf(message).lines().findFirst().orElse("");
    }
}
