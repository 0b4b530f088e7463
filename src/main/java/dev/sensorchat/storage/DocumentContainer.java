package dev.sensorchat.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The store boundary: one container's documents as JSON, with the outcomes callers handle
 * expressed as return values and {@link StoreException}s. {@link CosmosStore} maps typed
 * documents onto it; {@link CosmosDocumentContainer} is Cosmos DB, {@link InMemoryDocumentContainer}
 * runs the same code without a server (benchmarks, unit tests). Every call is one request.
 */
public interface DocumentContainer {

    /** A document with the ETag of that version and what the request cost. */
    record Versioned(ObjectNode document, String etag, double requestCharge) {
    }

    /** The outcome of a write: the new ETag and what it cost. */
    record Written(String etag, double requestCharge) {
    }

    /** The ETags a successful batch left, one per operation (null for deletes). */
    record BatchResult(List<String> etags, double requestCharge) {
    }

    /** A page of results with what it cost. */
    record ResultPage(List<ObjectNode> items, String continuation, double requestCharge) {
    }

    /** Where a change-feed read starts. */
    sealed interface FeedStart permits FromBeginning, FromNow, FromContinuation {
    }

    record FromBeginning() implements FeedStart {
    }

    record FromNow() implements FeedStart {
    }

    record FromContinuation(String continuation) implements FeedStart {
    }

    String name();

    /** Null when there is no such document. */
    Versioned read(String partitionKey, String id);

    /** {@link StoreException.Conflict} when the id is taken in that partition. */
    Written create(String partitionKey, ObjectNode document);

    Written upsert(String partitionKey, ObjectNode document);

    /** {@link StoreException.StaleDocument} when the ETag no longer matches (or the document is gone). */
    Written replace(String partitionKey, ObjectNode document, String ifMatch);

    /**
     * Applies the patch on the server and returns the document as it is afterwards; null when the
     * document does not exist. With {@code ifMatch}, {@link StoreException.StaleDocument} when it changed.
     */
    Versioned patch(String partitionKey, String id, Patch patch, String ifMatch);

    /** False when there was no such document. */
    boolean delete(String partitionKey, String id);

    /** Atomic within the partition; {@link StoreException.BatchFailed} naming the failed operation. */
    BatchResult batch(String partitionKey, List<DocumentBatch.Operation> operations);

    /** One page; {@link StoreException.BadContinuation} for a token that is not this query's. */
    ResultPage queryPage(SqlQuery query, int pageSize, String continuation);

    /** Every result, for projections and aggregates too. */
    List<JsonNode> query(SqlQuery query);

    ResultPage changes(FeedStart start, int maxItems);
}
