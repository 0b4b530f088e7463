package dev.sensorchat.storage;

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
 * handle surface as {@link StoreException}s. The container behind it is the store boundary
 * ({@link DocumentContainer}): Cosmos DB in the app, memory in benchmarks.
 */
public final class CosmosStore<T> {

    /** Optimistic read-modify-write attempts before {@link StoreException.ContentionExhausted}. */
    static final int MAX_CONTENTION_ATTEMPTS = 10;

    private final DocumentContainer container;
    private final ContainerSpec spec;
    private final Class<T> type;
    private final RetryPolicy retry;
    private final ObjectMapper mapper = Json.MAPPER;
    private final AtomicLong documentWrites = new AtomicLong();

    public CosmosStore(DocumentContainer container, ContainerSpec spec, Class<T> type, RetryPolicy retry) {
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
        DocumentContainer.Versioned found = retried(() -> container.read(partitionKey, id));
        return found == null ? Optional.empty() : Optional.of(new Stored<>(fromJson(found.document()), found.etag()));
    }

    /** Creates the document; {@link StoreException.Conflict} when its id is taken in that partition. */
    public Stored<T> create(T document) {
        ObjectNode json = toJson(document);
        var written = retried(() -> counted(1, () -> container.create(partitionKeyOf(json), json)));
        return new Stored<>(document, written.etag());
    }

    public Stored<T> upsert(T document) {
        ObjectNode json = toJson(document);
        var written = retried(() -> counted(1, () -> container.upsert(partitionKeyOf(json), json)));
        return new Stored<>(document, written.etag());
    }

    /** Replaces the document if nobody changed it since {@code ifMatchEtag}; else {@link StoreException.StaleDocument}. */
    public Stored<T> replace(T document, String ifMatchEtag) {
        ObjectNode json = toJson(document);
        var written = retried(() -> counted(1, () -> container.replace(partitionKeyOf(json), json, ifMatchEtag)));
        return new Stored<>(document, written.etag());
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
        return patch(partitionKey, id, patch, null);
    }

    /**
     * Applies the patch on the server if the document still has {@code ifMatchEtag} (any version
     * when null): {@link StoreException.StaleDocument} when it changed, empty when it does not exist.
     */
    public Optional<Stored<T>> patch(String partitionKey, String id, Patch patch, String ifMatchEtag) {
        DocumentContainer.Versioned patched = retried(() -> counted(1, () -> container.patch(partitionKey, id, patch, ifMatchEtag)));
        return patched == null ? Optional.empty() : Optional.of(new Stored<>(fromJson(patched.document()), patched.etag()));
    }

    /** Deletes the document; false when it did not exist. */
    public boolean delete(String partitionKey, String id) {
        return retried(() -> counted(1, () -> container.delete(partitionKey, id)));
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
        return queryPage(query, type, pageSize, continuation);
    }

    /** One page of a projection, e.g. {@code SELECT c.id, c.lastSeen FROM c}, mapped into {@code resultType}. */
    public <R> Page<R> queryPage(SqlQuery query, Class<R> resultType, int pageSize, String continuation) {
        DocumentContainer.ResultPage page = retried(() -> container.queryPage(query, pageSize, continuation));
        return new Page<>(page.items().stream().map(json -> convert(json, resultType)).toList(), page.continuation());
    }

    /** For projections and aggregates, e.g. {@code SELECT VALUE COUNT(1) FROM c} into {@code Long.class}. */
    public <R> List<R> query(SqlQuery query, Class<R> resultType) {
        List<JsonNode> results = retried(() -> container.query(query));
        List<R> mapped = new ArrayList<>(results.size());
        results.forEach(json -> mapped.add(convert(json, resultType)));
        return mapped;
    }

    /**
     * Applies the operations atomically in one partition. Returns the ETag each operation left
     * (null for deletes); throws {@link StoreException.BatchFailed} naming the failed operation when
     * the batch was rolled back.
     */
    public List<String> executeBatch(String partitionKey, Consumer<DocumentBatch> operations) {
        DocumentBatch batch = new DocumentBatch(this::toJson);
        operations.accept(batch);
        List<DocumentBatch.Operation> list = batch.operations();
        return retried(() -> counted(list.size(), () -> container.batch(partitionKey, list))).etags();
    }

    public ChangeFeedPage<T> readChangesFromBeginning(int maxItems) {
        return readChanges(new DocumentContainer.FromBeginning(), maxItems);
    }

    /** An empty page whose continuation marks "now": later reads return only later changes. */
    public ChangeFeedPage<T> readChangesFromNow() {
        return readChanges(new DocumentContainer.FromNow(), 1);
    }

    public ChangeFeedPage<T> readChanges(String continuation, int maxItems) {
        return readChanges(new DocumentContainer.FromContinuation(continuation), maxItems);
    }

    private ChangeFeedPage<T> readChanges(DocumentContainer.FeedStart start, int maxItems) {
        DocumentContainer.ResultPage page = retried(() -> container.changes(start, maxItems));
        return new ChangeFeedPage<>(page.items().stream().map(this::fromJson).toList(), page.continuation());
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

    private String partitionKeyOf(ObjectNode json) {
        return json.get(spec.partitionKeyProperty()).asText();
    }

    /** The operation under the retry policy; transient failures that outlast it are an outage. */
    private <R> R retried(java.util.function.Supplier<R> operation) {
        try {
            return retry.execute(operation);
        } catch (StoreException known) {
            throw known;
        } catch (RuntimeException failure) {
            if (CosmosErrors.retryAfter(failure).isPresent()) {
                throw new StoreException.Unavailable("Cosmos DB", failure);
            }
            throw failure;
        }
    }
}
