package dev.sensorchat.storage;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchOperationResult;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosChangeFeedRequestOptions;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosPatchItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedRange;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The documents of one type in one Cosmos DB container. Documents are plain Java objects (records)
 * mapped with the app's {@link Json#MAPPER}; each has a string {@code id} and its partition-key
 * property. Transient failures are retried by the {@link RetryPolicy}; outcomes callers must
 * handle surface as {@link StoreException}s.
 */
public final class CosmosStore<T> {

    /** Optimistic read-modify-write attempts before {@link StoreException.ContentionExhausted}. */
    static final int MAX_CONTENTION_ATTEMPTS = 10;

    private final CosmosContainer container;
    private final ContainerSpec spec;
    private final Class<T> type;
    private final RetryPolicy retry;
    private final ObjectMapper mapper = Json.MAPPER;
    private final AtomicLong documentWrites = new AtomicLong();

    public CosmosStore(CosmosContainer container, ContainerSpec spec, Class<T> type, RetryPolicy retry) {
        this.container = Objects.requireNonNull(container);
        this.spec = Objects.requireNonNull(spec);
        this.type = Objects.requireNonNull(type);
        this.retry = Objects.requireNonNull(retry);
    }

    /** Up to 5 attempts for 408/429/449/503, from 200 ms to 5 s apart, or as the service's retry-after says. */
    public static RetryPolicy defaultRetryPolicy() {
        return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), CosmosErrors::retryAfter);
    }

    public ContainerSpec spec() {
        return spec;
    }

    /**
     * Document writes this store has sent (creates, upserts, replaces, patches, deletes, and each
     * operation of a batch), including attempts that failed. What write-efficiency tests count.
     */
    public long documentWrites() {
        return documentWrites.get();
    }

    public Optional<Stored<T>> find(String partitionKey, String id) {
        try {
            CosmosItemResponse<ObjectNode> response = retry.execute(
                    () -> container.readItem(id, new PartitionKey(partitionKey), ObjectNode.class));
            return Optional.of(new Stored<>(fromJson(response.getItem()), response.getETag()));
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates the document; {@link StoreException.Conflict} when its id is taken in that partition. */
    public Stored<T> create(T document) {
        ObjectNode json = toJson(document);
        try {
            var response = retry.execute(() -> counted(1, () -> container.createItem(json, partitionKeyOf(json), new CosmosItemRequestOptions())));
            return new Stored<>(document, response.getETag());
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.CONFLICT)) {
                throw new StoreException.Conflict(spec.name(), idOf(json), e);
            }
            throw e;
        }
    }

    public Stored<T> upsert(T document) {
        ObjectNode json = toJson(document);
        var response = retry.execute(() -> counted(1, () -> container.upsertItem(json, partitionKeyOf(json), new CosmosItemRequestOptions())));
        return new Stored<>(document, response.getETag());
    }

    /** Replaces the document if nobody changed it since {@code ifMatchEtag}; else {@link StoreException.StaleDocument}. */
    public Stored<T> replace(T document, String ifMatchEtag) {
        ObjectNode json = toJson(document);
        String id = idOf(json);
        CosmosItemRequestOptions options = new CosmosItemRequestOptions().setIfMatchETag(ifMatchEtag);
        try {
            var response = retry.execute(() -> counted(1, () -> container.replaceItem(json, id, partitionKeyOf(json), options)));
            return new Stored<>(document, response.getETag());
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.PRECONDITION_FAILED)) {
                throw new StoreException.StaleDocument(spec.name(), id, e);
            }
            throw e;
        }
    }

    /**
     * Read-modify-write with optimistic concurrency: reads the document (empty if absent), applies
     * {@code change}, and writes the result only if nobody wrote in between; otherwise it reads
     * again and retries, up to {@value #MAX_CONTENTION_ATTEMPTS} times. {@code change} may run more
     * than once, so it must be a pure function of its input. When it returns a document equal to
     * the current one, nothing is written.
     */
    public Stored<T> compute(String partitionKey, String id, Function<Optional<T>, T> change) {
        for (int attempt = 1; attempt <= MAX_CONTENTION_ATTEMPTS; attempt++) {
            Optional<Stored<T>> current = find(partitionKey, id);
            T updated = Objects.requireNonNull(change.apply(current.map(Stored::value)), "change returned null");
            try {
                if (current.isEmpty()) {
                    return create(updated);
                }
                if (updated.equals(current.get().value())) {
                    return current.get();
                }
                return replace(updated, current.get().etag());
            } catch (StoreException.Conflict | StoreException.StaleDocument lostRace) {
                // Somebody else wrote first: read their version and apply the change to it.
            }
        }
        throw new StoreException.ContentionExhausted(spec.name(), id, MAX_CONTENTION_ATTEMPTS);
    }

    /** Applies the patch on the server; empty when the document does not exist. */
    public Optional<Stored<T>> patch(String partitionKey, String id, Patch patch) {
        CosmosPatchItemRequestOptions options = new CosmosPatchItemRequestOptions();
        options.setContentResponseOnWriteEnabled(true);
        try {
            CosmosItemResponse<ObjectNode> response = retry.execute(
                    () -> counted(1, () -> container.patchItem(id, new PartitionKey(partitionKey), patch.toCosmos(), options, ObjectNode.class)));
            return Optional.of(new Stored<>(fromJson(response.getItem()), response.getETag()));
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes the document; false when it did not exist. */
    public boolean delete(String partitionKey, String id) {
        try {
            retry.execute(() -> counted(1, () -> container.deleteItem(id, new PartitionKey(partitionKey), new CosmosItemRequestOptions())));
            return true;
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.NOT_FOUND)) {
                return false;
            }
            throw e;
        }
    }

    /** Runs the query to the end and maps every result. Keep result sets small, or page in the query. */
    public List<T> query(SqlQuery query) {
        return query(query, type);
    }

    /**
     * One page of results; {@code continuation} is null for the first page, else the previous
     * page's. Callers treat the token as opaque.
     */
    public Page<T> queryPage(SqlQuery query, int pageSize, String continuation) {
        CosmosQueryRequestOptions options = queryOptions(query);
        try {
            return retry.execute(() -> {
                var pages = container.queryItems(query.toSpec(), options, ObjectNode.class)
                        .iterableByPage(continuation, pageSize).iterator();
                if (!pages.hasNext()) {
                    return new Page<T>(List.of(), null);
                }
                FeedResponse<ObjectNode> page = pages.next();
                return new Page<>(page.getResults().stream().map(this::fromJson).toList(), page.getContinuationToken());
            });
        } catch (IllegalArgumentException | CosmosException e) {
            boolean badToken = continuation != null
                    && !(e instanceof CosmosException cosmos && cosmos.getStatusCode() != 400);
            if (badToken) {
                throw new StoreException.BadContinuation(e);
            }
            throw e;
        }
    }

    /** For projections and aggregates, e.g. {@code SELECT VALUE COUNT(1) FROM c} into {@code Long.class}. */
    public <R> List<R> query(SqlQuery query, Class<R> resultType) {
        CosmosQueryRequestOptions options = queryOptions(query);
        return retry.execute(() -> {
            List<R> results = new ArrayList<>();
            container.queryItems(query.toSpec(), options, JsonNode.class)
                    .forEach(json -> results.add(convert(json, resultType)));
            return results;
        });
    }

    /**
     * Applies the operations atomically in one partition. Returns the ETag each operation left
     * (null for deletes); throws {@link StoreException.BatchFailed} naming the failed operation when
     * the batch was rolled back.
     */
    public List<String> executeBatch(String partitionKey, Consumer<DocumentBatch> operations) {
        DocumentBatch batch = new DocumentBatch(partitionKey, this::toJson);
        operations.accept(batch);
        CosmosBatch cosmosBatch = batch.toCosmos();
        CosmosBatchResponse response = retry.execute(
                () -> counted(cosmosBatch.getOperations().size(), () -> container.executeCosmosBatch(cosmosBatch)));
        List<CosmosBatchOperationResult> results = response.getResults();
        if (!response.isSuccessStatusCode()) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).getStatusCode() != 424) {
                    throw new StoreException.BatchFailed(spec.name(), i, results.get(i).getStatusCode());
                }
            }
            throw new StoreException.BatchFailed(spec.name(), -1, response.getStatusCode());
        }
        return results.stream().map(CosmosBatchOperationResult::getETag).toList();
    }

    public ChangeFeedPage<T> readChangesFromBeginning(int maxItems) {
        return readChanges(CosmosChangeFeedRequestOptions.createForProcessingFromBeginning(FeedRange.forFullRange()), maxItems);
    }

    /** An empty page whose continuation marks "now": later reads return only later changes. */
    public ChangeFeedPage<T> readChangesFromNow() {
        return readChanges(CosmosChangeFeedRequestOptions.createForProcessingFromNow(FeedRange.forFullRange()), 1);
    }

    public ChangeFeedPage<T> readChanges(String continuation, int maxItems) {
        return readChanges(CosmosChangeFeedRequestOptions.createForProcessingFromContinuation(continuation), maxItems);
    }

    private ChangeFeedPage<T> readChanges(CosmosChangeFeedRequestOptions options, int maxItems) {
        options.setMaxItemCount(maxItems);
        return retry.execute(() -> {
            FeedResponse<ObjectNode> page = container.queryChangeFeed(options, ObjectNode.class)
                    .iterableByPage(maxItems).iterator().next();
            List<T> changes = page.getResults().stream().map(this::fromJson).toList();
            return new ChangeFeedPage<>(changes, page.getContinuationToken());
        });
    }

    private static CosmosQueryRequestOptions queryOptions(SqlQuery query) {
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions();
        if (query.partitionKey() != null) {
            options.setPartitionKey(new PartitionKey(query.partitionKey()));
        }
        return options;
    }

    private <R> R counted(int writes, Supplier<R> write) {
        documentWrites.addAndGet(writes);
        return write.get();
    }

    private ObjectNode toJson(Object document) {
        ObjectNode json = mapper.valueToTree(document);
        String typeName = document.getClass().getSimpleName();
        if (!json.path("id").isTextual() || json.path("id").asText().isEmpty()) {
            throw new IllegalArgumentException(typeName + " needs a non-empty string id to be stored");
        }
        if (!json.path(spec.partitionKeyProperty()).isTextual()) {
            throw new IllegalArgumentException(typeName + " needs a string '" + spec.partitionKeyProperty()
                    + "' (the partition key of container '" + spec.name() + "')");
        }
        return json;
    }

    private T fromJson(ObjectNode json) {
        return convert(json, type);
    }

    private <R> R convert(JsonNode json, Class<R> resultType) {
        try {
            return mapper.treeToValue(json, resultType);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A result from container '" + spec.name() + "' does not map to "
                    + resultType.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String idOf(ObjectNode json) {
        return json.get("id").asText();
    }

    private PartitionKey partitionKeyOf(ObjectNode json) {
        return new PartitionKey(json.get(spec.partitionKeyProperty()).asText());
    }
}
