package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosChangeFeedRequestOptions;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosPatchItemRequestOptions;
import com.azure.cosmos.models.CosmosPatchOperations;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedRange;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the app relies on from the local Cosmos DB server (or the emulator), exercised with the
 * plain Java SDK in gateway mode: the behaviours src/test/local-servers/cosmos-compat.js adds.
 */
@ExtendWith(LocalAzureExtension.class)
class CosmosServerCompatibilityIT {

    private static CosmosClient client;
    private static CosmosDatabase database;
    private static CosmosContainer container;

    @BeforeAll
    static void createContainer(LocalAzure azure) {
        client = azure.cosmosClientBuilder().buildClient();
        String databaseName = "compat-" + UUID.randomUUID();
        client.createDatabaseIfNotExists(databaseName);
        database = client.getDatabase(databaseName);
        database.createContainerIfNotExists(new CosmosContainerProperties("items", "/pk"));
        container = database.getContainer("items");
        for (int n = 0; n < 7; n++) {
            container.createItem(item("a", "item-" + n, n));
        }
        container.createItem(item("b", "item-b", 100));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static ObjectNode item(String pk, String id, int n) {
        return Json.MAPPER.createObjectNode().put("id", id).put("pk", pk).put("n", n);
    }

    @Test
    void writesAnswerWithHeadersOnlyUnlessTheContentIsAskedFor() {
        // The SDK's default (contentResponseOnWrite off) sends "Prefer: return=minimal": the service then
        // sends no document back, and neither does the local server; the etag still comes, and is current.
        ObjectNode document = item("w", "written", 1);
        var created = container.createItem(document, new PartitionKey("w"), new CosmosItemRequestOptions());
        assertNull(created.getItem(), "no document in the answer");
        assertEquals(container.readItem("written", new PartitionKey("w"), ObjectNode.class).getETag(), created.getETag());
        var replaced = container.replaceItem(document.put("n", 2), "written", new PartitionKey("w"),
                new CosmosItemRequestOptions().setIfMatchETag(created.getETag()));
        assertNull(replaced.getItem());
        assertNotEquals(created.getETag(), replaced.getETag());
        var upserted = container.upsertItem(document.put("n", 3), new PartitionKey("w"), new CosmosItemRequestOptions());
        assertNull(upserted.getItem());
        var patched = container.patchItem("written", new PartitionKey("w"), CosmosPatchOperations.create().increment("/n", 1),
                ObjectNode.class);
        assertNull(patched.getItem());
        assertEquals(container.readItem("written", new PartitionKey("w"), ObjectNode.class).getETag(), patched.getETag());
        assertEquals(4, container.readItem("written", new PartitionKey("w"), ObjectNode.class).getItem().get("n").asInt(),
                "every write applied");

        // Asked for, the document comes back, as written.
        var withContent = container.upsertItem(document.put("n", 5), new PartitionKey("w"),
                new CosmosItemRequestOptions().setContentResponseOnWriteEnabled(true));
        assertEquals(5, withContent.getItem().get("n").asInt());
        CosmosPatchItemRequestOptions patchWithContent = new CosmosPatchItemRequestOptions();
        patchWithContent.setContentResponseOnWriteEnabled(true);
        assertEquals(6, container.patchItem("written", new PartitionKey("w"), CosmosPatchOperations.create().increment("/n", 1),
                patchWithContent, ObjectNode.class).getItem().get("n").asInt());
    }

    @Test
    void readingAMissingItemIs404() {
        CosmosException missing = assertThrows(CosmosException.class,
                () -> container.readItem("nope", new PartitionKey("a"), ObjectNode.class));
        assertEquals(404, missing.getStatusCode());
    }

    @Test
    void queriesPageWithContinuationsAndKeepServerSideOrder() {
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey("a"));
        List<Integer> pageSizes = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (FeedResponse<ObjectNode> page : container.queryItems("SELECT * FROM c ORDER BY c.n DESC", options, ObjectNode.class)
                .iterableByPage(3)) {
            pageSizes.add(page.getResults().size());
            page.getResults().forEach(item -> values.add(item.get("n").asInt()));
        }
        assertEquals(List.of(3, 3, 1), pageSizes);
        assertEquals(List.of(6, 5, 4, 3, 2, 1, 0), values);
    }

    /**
     * The layer rewrites the query engine's generated code (it copied every row before each new
     * one: 80,000 documents took 40 s a query, 300,000 more than 9 minutes); at a size where that
     * mattered, a count and a paged query still see every document exactly once. (How fast is not
     * asserted here: ThroughputBenchmarkIT counts the per-event design's documents this way.)
     */
    @Test
    void queriesOverTensOfThousandsOfDocumentsAnswerAndPageThroughEveryOne() {
        int documents = 40_000;
        CosmosContainer large = createContainer("large-");
        List<com.azure.cosmos.models.CosmosItemOperation> writes = new ArrayList<>();
        for (int n = 0; n < documents; n++) {
            writes.add(com.azure.cosmos.models.CosmosBulkOperations.getCreateItemOperation(item("p" + n % 50, "doc-" + n, n),
                    new PartitionKey("p" + n % 50)));
        }
        large.executeBulkOperations(writes).forEach(response -> assertEquals(201, response.getResponse().getStatusCode()));

        List<Long> count = new ArrayList<>();
        large.queryItems("SELECT VALUE COUNT(1) FROM c", new CosmosQueryRequestOptions(), Long.class).forEach(count::add);
        assertEquals(List.of((long) documents), count);
        java.util.Set<String> seen = new java.util.HashSet<>();
        int pages = 0;
        for (FeedResponse<ObjectNode> page : large.queryItems("SELECT c.id FROM c WHERE c.n >= 0", new CosmosQueryRequestOptions(),
                ObjectNode.class).iterableByPage(5_000)) {
            pages++;
            page.getResults().forEach(item -> assertEquals(true, seen.add(item.get("id").asText()), "once: " + item));
        }
        assertEquals(documents, seen.size());
        assertEquals(documents / 5_000, pages);
    }

    private static CosmosContainer createContainer(String prefix) {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        database.createContainerIfNotExists(new CosmosContainerProperties(name, "/pk"));
        return database.getContainer(name);
    }

    @Test
    void crossPartitionTopAndAggregatesComeFromTheServer() {
        List<ObjectNode> top = new ArrayList<>();
        container.queryItems("SELECT TOP 2 * FROM c ORDER BY c.n DESC", new CosmosQueryRequestOptions(), ObjectNode.class)
                .forEach(top::add);
        assertEquals(List.of(100, 6), top.stream().map(item -> item.get("n").asInt()).toList());

        List<Integer> max = new ArrayList<>();
        container.queryItems("SELECT VALUE MAX(c.n) FROM c WHERE c.pk = 'a'", new CosmosQueryRequestOptions(), Integer.class)
                .forEach(max::add);
        assertEquals(List.of(6), max);
    }

    @Test
    void asyncClientQueriesToo(LocalAzure azure) {
        try (CosmosAsyncClient async = azure.cosmosClientBuilder().buildAsyncClient()) {
            List<ObjectNode> items = async.getDatabase(database.getId()).getContainer("items")
                    .queryItems(new SqlQuerySpec("SELECT * FROM c WHERE c.n >= @min", new SqlParameter("@min", 2)), new CosmosQueryRequestOptions()
                            .setPartitionKey(new PartitionKey("a")), ObjectNode.class)
                    .collectList().block();
            assertEquals(5, items.size());
        }
    }

    @Test
    void changeFeedCanBeScopedToOneLogicalPartition() {
        CosmosChangeFeedRequestOptions options = CosmosChangeFeedRequestOptions
                .createForProcessingFromBeginning(FeedRange.forLogicalPartition(new PartitionKey("b")));
        List<ObjectNode> changes = new ArrayList<>();
        FeedResponse<ObjectNode> page = container.queryChangeFeed(options, ObjectNode.class).iterableByPage().iterator().next();
        changes.addAll(page.getResults());
        assertEquals(List.of("item-b"), changes.stream().map(item -> item.get("id").asText()).toList());
    }

    @Test
    void containerDefaultTtlExpiresItemsUnlessTheyOptOut() throws InterruptedException {
        CosmosContainerProperties properties = new CosmosContainerProperties("short-lived", "/pk");
        properties.setDefaultTimeToLiveInSeconds(1);
        database.createContainerIfNotExists(properties);
        CosmosContainer shortLived = database.getContainer("short-lived");
        shortLived.createItem(item("a", "expires", 1));
        shortLived.createItem(item("a", "stays", 2).put("ttl", -1));

        Thread.sleep(2_100);

        List<String> left = new ArrayList<>();
        shortLived.queryItems("SELECT * FROM c", new CosmosQueryRequestOptions(), ObjectNode.class)
                .forEach(item -> left.add(item.get("id").asText()));
        assertEquals(List.of("stays"), left);
        assertEquals(404, assertThrows(CosmosException.class,
                () -> shortLived.readItem("expires", new PartitionKey("a"), ObjectNode.class)).getStatusCode());
    }
}
