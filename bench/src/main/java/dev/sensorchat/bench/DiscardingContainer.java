package dev.sensorchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.storage.DocumentBatch;
import dev.sensorchat.storage.DocumentContainer;
import dev.sensorchat.storage.Patch;
import dev.sensorchat.storage.SqlQuery;
import java.util.List;

/**
 * A container that accepts every write and keeps nothing, under a meter: for documents that are
 * written and never read back in a benchmark (the per-event design's documents, a stream's
 * segments and checkpoints: P2 never recovers), so millions of them take no memory.
 */
final class DiscardingContainer implements DocumentContainer {

    private final String name;
    private long version;

    DiscardingContainer(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Versioned read(String partitionKey, String id) {
        return null;
    }

    @Override
    public Written create(String partitionKey, ObjectNode document) {
        return new Written("\"" + (++version) + "\"", 0);
    }

    @Override
    public Written upsert(String partitionKey, ObjectNode document) {
        return create(partitionKey, document);
    }

    @Override
    public Written replace(String partitionKey, ObjectNode document, String ifMatch) {
        return create(partitionKey, document);
    }

    @Override
    public Versioned patch(String partitionKey, String id, Patch patch, String ifMatch) {
        return null;
    }

    @Override
    public boolean delete(String partitionKey, String id) {
        return false;
    }

    @Override
    public BatchResult batch(String partitionKey, List<DocumentBatch.Operation> operations) {
        return new BatchResult(operations.stream().map(o -> "\"" + (++version) + "\"").toList(), 0);
    }

    @Override
    public ResultPage queryPage(SqlQuery query, int pageSize, String continuation) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<JsonNode> query(SqlQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ResultPage changes(FeedStart start, int maxItems) {
        throw new UnsupportedOperationException();
    }
}
