package dev.sensorchat.storage;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchOperationResult;
import com.azure.cosmos.models.CosmosBatchPatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosChangeFeedRequestOptions;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosPatchItemRequestOptions;
import com.azure.cosmos.models.CosmosPatchOperations;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedRange;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@link DocumentContainer} over a Cosmos DB container of the Java SDK (sync client). */
public final class CosmosDocumentContainer implements DocumentContainer {

    private final CosmosContainer container;

    public CosmosDocumentContainer(CosmosContainer container) {
        this.container = Objects.requireNonNull(container);
    }

    @Override
    public String name() {
        return container.getId();
    }

    @Override
    public Versioned read(String partitionKey, String id) {
        try {
            CosmosItemResponse<ObjectNode> response = container.readItem(id, new PartitionKey(partitionKey), ObjectNode.class);
            return new Versioned(response.getItem(), response.getETag(), response.getRequestCharge());
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.NOT_FOUND)) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public Written create(String partitionKey, ObjectNode document) {
        try {
            var response = container.createItem(document, new PartitionKey(partitionKey), new CosmosItemRequestOptions());
            return new Written(response.getETag(), response.getRequestCharge());
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.CONFLICT)) {
                throw new StoreException.Conflict(name(), document.path("id").asText(), e);
            }
            throw e;
        }
    }

    @Override
    public Written upsert(String partitionKey, ObjectNode document) {
        var response = container.upsertItem(document, new PartitionKey(partitionKey), new CosmosItemRequestOptions());
        return new Written(response.getETag(), response.getRequestCharge());
    }

    @Override
    public Written replace(String partitionKey, ObjectNode document, String ifMatch) {
        String id = document.path("id").asText();
        try {
            var response = container.replaceItem(document, id, new PartitionKey(partitionKey),
                    new CosmosItemRequestOptions().setIfMatchETag(ifMatch));
            return new Written(response.getETag(), response.getRequestCharge());
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.PRECONDITION_FAILED) || CosmosErrors.hasStatus(e, CosmosErrors.NOT_FOUND)) {
                throw new StoreException.StaleDocument(name(), id, e);
            }
            throw e;
        }
    }

    @Override
    public Versioned patch(String partitionKey, String id, Patch patch, String ifMatch) {
        CosmosPatchItemRequestOptions options = new CosmosPatchItemRequestOptions();
        options.setContentResponseOnWriteEnabled(true);
        if (ifMatch != null) {
            options.setIfMatchETag(ifMatch);
        }
        try {
            CosmosItemResponse<ObjectNode> response = container.patchItem(id, new PartitionKey(partitionKey), toCosmos(patch), options,
                    ObjectNode.class);
            return new Versioned(response.getItem(), response.getETag(), response.getRequestCharge());
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.NOT_FOUND)) {
                return null;
            }
            if (CosmosErrors.hasStatus(e, CosmosErrors.PRECONDITION_FAILED)) {
                throw new StoreException.StaleDocument(name(), id, e);
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String partitionKey, String id) {
        try {
            container.deleteItem(id, new PartitionKey(partitionKey), new CosmosItemRequestOptions());
            return true;
        } catch (CosmosException e) {
            if (CosmosErrors.hasStatus(e, CosmosErrors.NOT_FOUND)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public BatchResult batch(String partitionKey, List<DocumentBatch.Operation> operations) {
        CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(partitionKey));
        for (DocumentBatch.Operation operation : operations) {
            switch (operation.kind()) {
                case CREATE -> batch.createItemOperation(operation.document());
                case UPSERT -> batch.upsertItemOperation(operation.document());
                case REPLACE -> batch.replaceItemOperation(operation.id(), operation.document(),
                        new CosmosBatchItemRequestOptions().setIfMatchETag(operation.ifMatch()));
                case PATCH -> batch.patchItemOperation(operation.id(), toCosmos(operation.patch()), new CosmosBatchPatchItemRequestOptions());
                case DELETE -> batch.deleteItemOperation(operation.id());
            }
        }
        CosmosBatchResponse response = container.executeCosmosBatch(batch);
        List<CosmosBatchOperationResult> results = response.getResults();
        if (!response.isSuccessStatusCode()) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).getStatusCode() != 424) {
                    throw new StoreException.BatchFailed(name(), i, results.get(i).getStatusCode());
                }
            }
            throw new StoreException.BatchFailed(name(), -1, response.getStatusCode());
        }
        return new BatchResult(results.stream().map(CosmosBatchOperationResult::getETag).toList(), response.getRequestCharge());
    }

    @Override
    public ResultPage queryPage(SqlQuery query, int pageSize, String continuation) {
        try {
            var pages = container.queryItems(query.toSpec(), queryOptions(query), ObjectNode.class)
                    .iterableByPage(continuation, pageSize).iterator();
            if (!pages.hasNext()) {
                return new ResultPage(List.of(), null, 0);
            }
            FeedResponse<ObjectNode> page = pages.next();
            return new ResultPage(page.getResults(), page.getContinuationToken(), page.getRequestCharge());
        } catch (IllegalArgumentException | CosmosException e) {
            boolean badToken = continuation != null
                    && !(e instanceof CosmosException cosmos && cosmos.getStatusCode() != 400);
            if (badToken) {
                throw new StoreException.BadContinuation(e);
            }
            throw e;
        }
    }

    @Override
    public List<JsonNode> query(SqlQuery query) {
        List<JsonNode> results = new ArrayList<>();
        container.queryItems(query.toSpec(), queryOptions(query), JsonNode.class).forEach(results::add);
        return results;
    }

    @Override
    public ResultPage changes(FeedStart start, int maxItems) {
        CosmosChangeFeedRequestOptions options;
        if (start instanceof FromContinuation from) {
            options = CosmosChangeFeedRequestOptions.createForProcessingFromContinuation(from.continuation());
        } else if (start instanceof FromNow) {
            options = CosmosChangeFeedRequestOptions.createForProcessingFromNow(FeedRange.forFullRange());
        } else {
            options = CosmosChangeFeedRequestOptions.createForProcessingFromBeginning(FeedRange.forFullRange());
        }
        options.setMaxItemCount(maxItems);
        FeedResponse<ObjectNode> page = container.queryChangeFeed(options, ObjectNode.class).iterableByPage(maxItems).iterator().next();
        return new ResultPage(page.getResults(), page.getContinuationToken(), page.getRequestCharge());
    }

    private static CosmosQueryRequestOptions queryOptions(SqlQuery query) {
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions();
        if (query.partitionKey() != null) {
            options.setPartitionKey(new PartitionKey(query.partitionKey()));
        }
        return options;
    }

    private static CosmosPatchOperations toCosmos(Patch patch) {
        CosmosPatchOperations cosmos = CosmosPatchOperations.create();
        for (Patch.Operation operation : patch.operations()) {
            switch (operation.kind()) {
                case SET -> {
                    JsonNode value = operation.value() == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(operation.value());
                    cosmos.set(operation.path(), value);
                }
                case REMOVE -> cosmos.remove(operation.path());
                case INCREMENT -> {
                    if (operation.value() instanceof Long delta) {
                        cosmos.increment(operation.path(), delta);
                    } else {
                        cosmos.increment(operation.path(), ((Number) operation.value()).doubleValue());
                    }
                }
            }
        }
        return cosmos;
    }
}
