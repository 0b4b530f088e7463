package dev.sensorchat.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Operations that {@link CosmosStore#executeBatch} applies atomically to one partition: all of
 * them, or, if any fails, none. Documents of different types may share a container (and a batch).
 * At most {@value #MAX_OPERATIONS} operations, as Cosmos DB allows.
 */
public final class DocumentBatch {

    public static final int MAX_OPERATIONS = 100;

    /** What an operation does. */
    public enum Kind { CREATE, UPSERT, REPLACE, PATCH, DELETE }

    /**
     * One operation of a batch, as JSON.
     *
     * @param document the document for create, upsert and replace; null otherwise
     * @param ifMatch  for replace: the ETag the document must still have
     * @param patch    for patch
     */
    public record Operation(Kind kind, String id, ObjectNode document, String ifMatch, Patch patch) {
    }

    private final List<Operation> operations = new ArrayList<>();
    private final Function<Object, ObjectNode> toJson;

    DocumentBatch(Function<Object, ObjectNode> toJson) {
        this.toJson = toJson;
    }

    public DocumentBatch create(Object document) {
        ObjectNode json = toJson.apply(document);
        return add(new Operation(Kind.CREATE, json.get("id").asText(), json, null, null));
    }

    public DocumentBatch upsert(Object document) {
        ObjectNode json = toJson.apply(document);
        return add(new Operation(Kind.UPSERT, json.get("id").asText(), json, null, null));
    }

    /** Replaces the document only if its ETag still matches; otherwise the whole batch fails with 412. */
    public DocumentBatch replace(Object document, String ifMatchEtag) {
        ObjectNode json = toJson.apply(document);
        return add(new Operation(Kind.REPLACE, json.get("id").asText(), json, ifMatchEtag, null));
    }

    public DocumentBatch patch(String id, Patch patch) {
        return add(new Operation(Kind.PATCH, id, null, null, patch));
    }

    public DocumentBatch delete(String id) {
        return add(new Operation(Kind.DELETE, id, null, null, null));
    }

    List<Operation> operations() {
        return List.copyOf(operations);
    }

    private DocumentBatch add(Operation operation) {
        if (operations.size() == MAX_OPERATIONS) {
            throw new IllegalStateException("A batch holds at most " + MAX_OPERATIONS + " operations.");
        }
        operations.add(operation);
        return this;
    }
}
