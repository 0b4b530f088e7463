package dev.sensorchat.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Counts every request to a container in a {@link StoreMeter}: documents and bytes each way, and
 * request units (charged, and modelled from sizes). A request that fails counts as a request, with
 * the modelled charge of a miss; a document the server refused is not counted as written.
 */
public final class MeteredContainer implements DocumentContainer {

    private final DocumentContainer inner;
    private final StoreMeter meter;
    private final String name;

    public MeteredContainer(DocumentContainer inner, StoreMeter meter) {
        this.inner = inner;
        this.meter = meter;
        this.name = inner.name();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Versioned read(String partitionKey, String id) {
        Versioned found = counted(() -> inner.read(partitionKey, id));
        if (found == null) {
            meter.request(name, RequestUnits.MISS, 0);
            return null;
        }
        long bytes = size(found.document());
        meter.read(name, 1, bytes);
        meter.request(name, RequestUnits.read(bytes), found.requestCharge());
        return found;
    }

    @Override
    public Written create(String partitionKey, ObjectNode document) {
        return written(document, () -> inner.create(partitionKey, document));
    }

    @Override
    public Written upsert(String partitionKey, ObjectNode document) {
        return written(document, () -> inner.upsert(partitionKey, document));
    }

    @Override
    public Written replace(String partitionKey, ObjectNode document, String ifMatch) {
        return written(document, () -> inner.replace(partitionKey, document, ifMatch));
    }

    @Override
    public Versioned patch(String partitionKey, String id, Patch patch, String ifMatch) {
        long sent = size(patchBody(patch));
        Versioned result = counted(() -> inner.patch(partitionKey, id, patch, ifMatch));
        if (result == null) {
            meter.request(name, RequestUnits.MISS, 0);
            return null;
        }
        meter.write(name, 1, sent);
        // The server rewrites the whole document: it is charged as a write of what it became.
        meter.request(name, RequestUnits.write(result.document() == null ? sent : size(result.document())), result.requestCharge());
        return result;
    }

    @Override
    public boolean delete(String partitionKey, String id) {
        boolean deleted = counted(() -> inner.delete(partitionKey, id));
        meter.request(name, deleted ? RequestUnits.write(0) : RequestUnits.MISS, 0);
        if (deleted) {
            meter.write(name, 1, 0);
        }
        return deleted;
    }

    @Override
    public BatchResult batch(String partitionKey, List<DocumentBatch.Operation> operations) {
        long bytes = 0;
        double modelled = 0;
        for (DocumentBatch.Operation operation : operations) {
            long size = operation.document() != null ? size(operation.document())
                    : operation.patch() != null ? size(patchBody(operation.patch())) : 0;
            bytes += size;
            modelled += RequestUnits.write(size);
        }
        BatchResult result = counted(() -> inner.batch(partitionKey, operations));
        meter.write(name, operations.size(), bytes);
        meter.request(name, modelled, result.requestCharge());
        return result;
    }

    @Override
    public ResultPage queryPage(SqlQuery query, int pageSize, String continuation) {
        ResultPage page = counted(() -> inner.queryPage(query, pageSize, continuation));
        long bytes = 0;
        for (ObjectNode item : page.items()) {
            bytes += size(item);
        }
        meter.read(name, page.items().size(), bytes);
        meter.request(name, RequestUnits.queryPage(bytes, page.items().size()), page.requestCharge());
        return page;
    }

    @Override
    public List<JsonNode> query(SqlQuery query) {
        List<JsonNode> results = counted(() -> inner.query(query));
        long bytes = 0;
        for (JsonNode item : results) {
            bytes += size(item);
        }
        meter.read(name, results.size(), bytes);
        meter.request(name, RequestUnits.queryPage(bytes, results.size()), 0);
        return results;
    }

    @Override
    public ResultPage changes(FeedStart start, int maxItems) {
        ResultPage page = counted(() -> inner.changes(start, maxItems));
        long bytes = 0;
        for (ObjectNode item : page.items()) {
            bytes += size(item);
        }
        meter.read(name, page.items().size(), bytes);
        meter.request(name, page.items().isEmpty() ? RequestUnits.MISS : RequestUnits.queryPage(bytes, page.items().size()),
                page.requestCharge());
        return page;
    }

    private Written written(ObjectNode document, Supplier<Written> write) {
        long bytes = size(document);
        Written result = counted(write);
        meter.write(name, 1, bytes);
        meter.request(name, RequestUnits.write(bytes), result.requestCharge());
        return result;
    }

    /** Runs the request; a failure still counts as a request, at the cost of a miss. */
    private <R> R counted(Supplier<R> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            meter.request(name, RequestUnits.MISS, 0);
            throw e;
        }
    }

    /** The patch as the SDK sends it: {"operations": [{"op", "path", "value"}]}. */
    private static Object patchBody(Patch patch) {
        List<Map<String, Object>> operations = new ArrayList<>();
        for (Patch.Operation operation : patch.operations()) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("op", operation.kind().name().toLowerCase(java.util.Locale.ROOT));
            op.put("path", operation.path());
            if (operation.value() != null) {
                op.put("value", operation.value());
            }
            operations.add(op);
        }
        return Map.of("operations", operations);
    }

    private static long size(Object json) {
        try {
            return Json.MAPPER.writeValueAsBytes(json).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }
}
