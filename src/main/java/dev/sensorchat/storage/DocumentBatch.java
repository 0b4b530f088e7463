package dev.sensorchat.storage;

import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * Operations that {@link CosmosStore#executeBatch} applies atomically to one partition: all of
 * them, or, if any fails, none. At most 100 operations, as Cosmos DB allows.
 */
public final class DocumentBatch<T> {

    private final CosmosBatch batch;
    private final Function<T, ObjectNode> toJson;

    DocumentBatch(String partitionKey, Function<T, ObjectNode> toJson) {
        this.batch = CosmosBatch.createCosmosBatch(new PartitionKey(partitionKey));
        this.toJson = toJson;
    }

    public DocumentBatch<T> create(T document) {
        batch.createItemOperation(toJson.apply(document));
        return this;
    }

    public DocumentBatch<T> upsert(T document) {
        batch.upsertItemOperation(toJson.apply(document));
        return this;
    }

    /** Replaces the document only if its ETag still matches; otherwise the whole batch fails with 412. */
    public DocumentBatch<T> replace(T document, String ifMatchEtag) {
        ObjectNode json = toJson.apply(document);
        batch.replaceItemOperation(json.get("id").asText(), json, new CosmosBatchItemRequestOptions().setIfMatchETag(ifMatchEtag));
        return this;
    }

    public DocumentBatch<T> patch(String id, Patch patch) {
        batch.patchItemOperation(id, patch.toCosmos());
        return this;
    }

    public DocumentBatch<T> delete(String id) {
        batch.deleteItemOperation(id);
        return this;
    }

    CosmosBatch toCosmos() {
        return batch;
    }
}
