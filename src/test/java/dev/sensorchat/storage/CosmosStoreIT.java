package dev.sensorchat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.AppContext;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The repository API against a real Cosmos DB API server, through the real SDK. */
@ExtendWith(LocalAzureExtension.class)
class CosmosStoreIT {

    /** A document shaped like the app's: string id, partitioned by device. */
    record Sample(String id, String deviceId, String metric, long count, Integer ttl) {
        Sample(String id, String deviceId, String metric, long count) {
            this(id, deviceId, metric, count, null);
        }

        Sample withCount(long newCount) {
            return new Sample(id, deviceId, metric, newCount, ttl);
        }
    }

    private static AppContext app;
    private static CosmosStore<Sample> store;

    @BeforeAll
    static void openStore(LocalAzure azure) {
        app = azure.newAppContext();
        store = app.store(Containers.TELEMETRY, Sample.class);
    }

    @AfterAll
    static void closeApp() {
        app.close();
    }

    private static String device() {
        return "device-" + UUID.randomUUID();
    }

    @Test
    void createdDocumentIsFoundWithItsEtag() {
        String device = device();
        Stored<Sample> created = store.create(new Sample("a", device, "temperature", 1));

        Stored<Sample> found = store.find(device, "a").orElseThrow();

        assertEquals(created.value(), found.value());
        assertEquals(created.etag(), found.etag());
    }

    @Test
    void missingDocumentIsEmptyNotAnError() {
        assertEquals(Optional.empty(), store.find(device(), "nope"));
    }

    @Test
    void creatingATakenIdIsAConflict() {
        String device = device();
        store.create(new Sample("a", device, "temperature", 1));

        var conflict = assertThrows(StoreException.Conflict.class, () -> store.create(new Sample("a", device, "humidity", 2)));

        assertEquals(409, conflict.statusCode());
        assertEquals("temperature", store.find(device, "a").orElseThrow().value().metric());
    }

    @Test
    void replaceWithStaleEtagIsRejectedAndLeavesTheNewerVersion() {
        String device = device();
        Stored<Sample> first = store.create(new Sample("a", device, "temperature", 1));
        store.replace(first.value().withCount(2), first.etag());

        assertThrows(StoreException.StaleDocument.class, () -> store.replace(first.value().withCount(3), first.etag()));

        assertEquals(2, store.find(device, "a").orElseThrow().value().count());
    }

    @Test
    void computeReappliesTheChangeWhenAnotherWriterWinsTheRace() {
        String device = device();
        store.create(new Sample("a", device, "temperature", 0));
        AtomicInteger calls = new AtomicInteger();

        Stored<Sample> result = store.compute(device, "a", current -> {
            if (calls.incrementAndGet() == 1) {
                // Another instance writes between our read and our write: our ETag is now stale.
                store.upsert(current.orElseThrow().withCount(100));
            }
            return current.orElseThrow().withCount(current.get().count() + 1);
        });

        assertEquals(2, calls.get());
        assertEquals(101, result.value().count());
        assertEquals(101, store.find(device, "a").orElseThrow().value().count());
    }

    @Test
    void computeCreatesAMissingDocument() {
        String device = device();

        store.compute(device, "a", current -> current.orElse(new Sample("a", device, "temperature", 0)).withCount(7));

        assertEquals(7, store.find(device, "a").orElseThrow().value().count());
    }

    @Test
    void computeWritesNothingWhenTheDocumentDoesNotChange() {
        String device = device();
        Stored<Sample> created = store.create(new Sample("a", device, "temperature", 5));

        Stored<Sample> result = store.compute(device, "a", current -> current.orElseThrow());

        assertEquals(created.etag(), result.etag());
        assertEquals(created.etag(), store.find(device, "a").orElseThrow().etag());
    }

    @Test
    void patchChangesFieldsOnTheServer() {
        String device = device();
        Stored<Sample> created = store.create(new Sample("a", device, "temperature", 5));

        Stored<Sample> patched = store.patch(device, "a", Patch.create().increment("/count", 3).set("/metric", "humidity"))
                .orElseThrow();

        assertEquals(new Sample("a", device, "humidity", 8), patched.value());
        assertNotEquals(created.etag(), patched.etag());
        assertEquals(Optional.empty(), store.patch(device, "missing", Patch.create().increment("/count", 1)));
    }

    @Test
    void queryTakesValuesAsParametersAndCanBeScopedToOnePartition() {
        String deviceA = device();
        String deviceB = device();
        store.create(new Sample("t1", deviceA, "temperature", 1));
        store.create(new Sample("t2", deviceA, "temperature", 2));
        store.create(new Sample("h1", deviceA, "humidity", 3));
        store.create(new Sample("t1", deviceB, "temperature", 4));

        SqlQuery temperatures = SqlQuery.of("SELECT * FROM c WHERE c.metric = @metric AND c.deviceId IN (@a, @b) ORDER BY c.count DESC")
                .with("@metric", "temperature").with("@a", deviceA).with("@b", deviceB);
        assertEquals(List.of(4L, 2L, 1L), store.query(temperatures).stream().map(Sample::count).toList());

        SqlQuery onePartition = SqlQuery.of("SELECT * FROM c WHERE c.metric = @metric ORDER BY c.count")
                .with("@metric", "temperature").inPartition(deviceA);
        assertEquals(List.of("t1", "t2"), store.query(onePartition).stream().map(Sample::id).toList());

        SqlQuery count = SqlQuery.of("SELECT VALUE COUNT(1) FROM c").inPartition(deviceA);
        assertEquals(List.of(3L), store.query(count, Long.class));
    }

    @Test
    void queryTreatsHostileInputAsAPlainValue() {
        String device = device();
        store.create(new Sample("a", device, "temperature", 1));

        SqlQuery hostile = SqlQuery.of("SELECT * FROM c WHERE c.metric = @metric")
                .with("@metric", "x\" OR 1=1 OR c.metric = \"temperature").inPartition(device);

        assertEquals(List.of(), store.query(hostile));
    }

    @Test
    void deleteSaysWhetherTheDocumentExisted() {
        String device = device();
        store.create(new Sample("a", device, "temperature", 1));

        assertTrue(store.delete(device, "a"));
        assertFalse(store.delete(device, "a"));
        assertEquals(Optional.empty(), store.find(device, "a"));
    }

    @Test
    void batchAppliesAllOperationsOrNone() {
        String device = device();
        store.create(new Sample("existing", device, "temperature", 1));

        List<String> etags = store.executeBatch(device, batch -> batch
                .create(new Sample("a", device, "temperature", 1))
                .upsert(new Sample("b", device, "temperature", 2))
                .patch("existing", Patch.create().increment("/count", 10)));
        assertEquals(3, etags.size());
        assertEquals(11, store.find(device, "existing").orElseThrow().value().count());

        var failed = assertThrows(StoreException.BatchFailed.class, () -> store.executeBatch(device, batch -> batch
                .create(new Sample("c", device, "temperature", 3))
                .patch("existing", Patch.create().increment("/count", 100))
                .create(new Sample("a", device, "humidity", 4))));

        assertEquals(2, failed.failedOperation());
        assertEquals(409, failed.statusCode());
        assertEquals(Optional.empty(), store.find(device, "c"), "the batch's create was rolled back");
        assertEquals(11, store.find(device, "existing").orElseThrow().value().count(), "the batch's patch was rolled back");
        assertEquals("temperature", store.find(device, "a").orElseThrow().value().metric());
    }

    @Test
    void batchWithStaleEtagFailsWithPreconditionFailed() {
        String device = device();
        Stored<Sample> first = store.create(new Sample("a", device, "temperature", 1));
        store.upsert(first.value().withCount(2));

        var failed = assertThrows(StoreException.BatchFailed.class, () -> store.executeBatch(device, batch -> batch
                .replace(first.value().withCount(3), first.etag())));

        assertEquals(412, failed.statusCode());
        assertEquals(2, store.find(device, "a").orElseThrow().value().count());
    }

    @Test
    void changeFeedResumesFromItsContinuationWithLatestVersions() {
        CosmosStore<Sample> alerts = app.store(Containers.ALERTS, Sample.class);
        String device = device();
        String now = alerts.readChangesFromNow().continuation();

        alerts.create(new Sample("a", device, "temperature", 1));
        alerts.create(new Sample("b", device, "temperature", 2));
        ChangeFeedPage<Sample> first = alerts.readChanges(now, 100);
        assertEquals(List.of("a", "b"), first.changes().stream().map(Sample::id).toList());

        alerts.upsert(new Sample("a", device, "temperature", 10));
        alerts.upsert(new Sample("a", device, "temperature", 11));
        ChangeFeedPage<Sample> second = alerts.readChanges(first.continuation(), 100);
        assertEquals(List.of(new Sample("a", device, "temperature", 11)), second.changes(),
                "one entry per document, in its latest version");

        ChangeFeedPage<Sample> idle = alerts.readChanges(second.continuation(), 100);
        assertEquals(List.of(), idle.changes());
        assertEquals(List.of("b", "a"), alerts.readChanges(now, 100).changes().stream().map(Sample::id).toList(),
                "an old continuation replays everything after it, in order of each document's last write");
    }

    @Test
    void changeFeedFromTheBeginningPagesThroughEveryDocument() {
        CosmosStore<Sample> rules = app.store(Containers.RULES, Sample.class);
        for (int i = 0; i < 5; i++) {
            rules.create(new Sample("rule-" + i, "fleet", "temperature", i));
        }

        ChangeFeedPage<Sample> page = rules.readChangesFromBeginning(2);
        List<String> seen = new ArrayList<>(page.changes().stream().map(Sample::id).toList());
        while (!page.changes().isEmpty()) {
            page = rules.readChanges(page.continuation(), 2);
            page.changes().forEach(change -> seen.add(change.id()));
        }

        assertEquals(List.of("rule-0", "rule-1", "rule-2", "rule-3", "rule-4"), seen);
    }

    @Test
    void documentsExpireByTheirOwnTtl() throws InterruptedException {
        String device = device();
        store.create(new Sample("short-lived", device, "temperature", 1, 1));
        store.create(new Sample("kept", device, "temperature", 2, null));
        assertTrue(store.find(device, "short-lived").isPresent());

        Thread.sleep(2_100);

        assertEquals(Optional.empty(), store.find(device, "short-lived"));
        assertEquals(List.of("kept"), store.query(SqlQuery.of("SELECT * FROM c").inPartition(device)).stream()
                .map(Sample::id).toList());
        store.create(new Sample("short-lived", device, "humidity", 3, 60));
        assertEquals("humidity", store.find(device, "short-lived").orElseThrow().value().metric(),
                "an expired id can be used again");
    }
}
