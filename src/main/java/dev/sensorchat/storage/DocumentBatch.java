package dev.sensorchat.storage;

import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * Operations that {@link CosmosStore#executeBatch} applies atomically to one partition: all of
 * them, or, if any fails, none. Documents of different types may share a container (and a batch).
 * At most {@value #MAX_OPERATIONS} operations, as Cosmos DB allows.
 */
public final class DocumentBatch {

    public static final int MAX_OPERATIONS = 100;

    private final CosmosBatch batch;
    private final Function<Object, ObjectNode> toJson;

    DocumentBatch(String partitionKey, Function<Object, ObjectNode> toJson) {
        this.batch = CosmosBatch.createCosmosBatch(new PartitionKey(partitionKey));
        this.toJson = toJson;
    }

    public DocumentBatch create(Object document) {
        batch.createItemOperation(toJson.apply(document));
        return this;
    }

    public DocumentBatch upsert(Object document) {
        batch.upsertItemOperation(toJson.apply(document));
        return this;
    }

    /** Replaces the document only if its ETag still matches; otherwise the whole batch fails with 412. */
    public DocumentBatch replace(Object document, String ifMatchEtag) {
        ObjectNode json = toJson.apply(document);
        batch.replaceItemOperation(json.get("id").asText(), json, new CosmosBatchItemRequestOptions().setIfMatchETag(ifMatchEtag));
        return this;
    }

    public DocumentBatch patch(String id, Patch patch) {
        batch.patchItemOperation(id, patch.toCosmos());
        return this;
    }

    public DocumentBatch delete(String id) {
        batch.deleteItemOperation(id);
        return this;
    }

    CosmosBatch toCosmos() {
        return batch;
    }
}
