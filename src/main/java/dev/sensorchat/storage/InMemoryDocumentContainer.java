package dev.sensorchat.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A container held in memory, with Cosmos DB's semantics for what the telemetry pipeline uses:
 * point reads and writes, ETags (412 on a stale one, 409 on a taken id), patch and transactional
 * batches. Documents carry the system properties Cosmos DB adds, so sizes read back are realistic.
 * It runs the app's storage code without a server, for benchmarks and unit tests. Queries and the
 * change feed are not served (they need the real engine), nor is TTL expiry.
 */
public final class InMemoryDocumentContainer implements DocumentContainer {

    private record Key(String partitionKey, String id) {
    }

    private final String name;
    private final Map<Key, ObjectNode> documents = new HashMap<>();
    private final AtomicLong versions = new AtomicLong();

    public InMemoryDocumentContainer(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Documents held, for tests and benchmarks. */
    public synchronized int size() {
        return documents.size();
    }

    /** Every document of one partition, for tests. */
    public synchronized List<ObjectNode> partition(String partitionKey) {
        List<ObjectNode> found = new ArrayList<>();
        documents.forEach((key, document) -> {
            if (key.partitionKey().equals(partitionKey)) {
                found.add(document.deepCopy());
            }
        });
        return found;
    }

    @Override
    public synchronized Versioned read(String partitionKey, String id) {
        ObjectNode document = documents.get(new Key(partitionKey, id));
        return document == null ? null : new Versioned(document.deepCopy(), document.get("_etag").asText(), 0);
    }

    @Override
    public synchronized Written create(String partitionKey, ObjectNode document) {
        Key key = keyOf(partitionKey, document);
        if (documents.containsKey(key)) {
            throw new StoreException.Conflict(name, key.id(), null);
        }
        return new Written(store(key, document), 0);
    }

    @Override
    public synchronized Written upsert(String partitionKey, ObjectNode document) {
        return new Written(store(keyOf(partitionKey, document), document), 0);
    }

    @Override
    public synchronized Written replace(String partitionKey, ObjectNode document, String ifMatch) {
        Key key = keyOf(partitionKey, document);
        ObjectNode current = documents.get(key);
        if (current == null || (ifMatch != null && !ifMatch.equals(current.get("_etag").asText()))) {
            throw new StoreException.StaleDocument(name, key.id(), null);
        }
        return new Written(store(key, document), 0);
    }

    @Override
    public synchronized Versioned patch(String partitionKey, String id, Patch patch, String ifMatch) {
        Key key = new Key(partitionKey, id);
        ObjectNode current = documents.get(key);
        if (current == null) {
            return null;
        }
        if (ifMatch != null && !ifMatch.equals(current.get("_etag").asText())) {
            throw new StoreException.StaleDocument(name, id, null);
        }
        ObjectNode patched = apply(current.deepCopy(), patch);
        String etag = store(key, patched);
        return new Versioned(documents.get(key).deepCopy(), etag, 0);
    }

    @Override
    public synchronized boolean delete(String partitionKey, String id) {
        return documents.remove(new Key(partitionKey, id)) != null;
    }

    @Override
    public synchronized BatchResult batch(String partitionKey, List<DocumentBatch.Operation> operations) {
        Map<Key, ObjectNode> before = new HashMap<>(documents);
        List<String> etags = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            DocumentBatch.Operation operation = operations.get(i);
            try {
                etags.add(switch (operation.kind()) {
                    case CREATE -> create(partitionKey, operation.document()).etag();
                    case UPSERT -> upsert(partitionKey, operation.document()).etag();
                    case REPLACE -> replace(partitionKey, operation.document(), operation.ifMatch()).etag();
                    case PATCH -> {
                        Versioned patched = patch(partitionKey, operation.id(), operation.patch(), null);
                        if (patched == null) {
                            throw new StoreException("not found", 404, null);
                        }
                        yield patched.etag();
                    }
                    case DELETE -> {
                        if (!delete(partitionKey, operation.id())) {
                            throw new StoreException("not found", 404, null);
                        }
                        yield null;
                    }
                });
            } catch (StoreException e) {
                documents.clear();
                documents.putAll(before);
                throw new StoreException.BatchFailed(name, i, e.statusCode());
            }
        }
        return new BatchResult(etags, 0);
    }

    @Override
    public ResultPage queryPage(SqlQuery query, int pageSize, String continuation) {
        throw unsupported();
    }

    @Override
    public List<JsonNode> query(SqlQuery query) {
        throw unsupported();
    }

    @Override
    public ResultPage changes(FeedStart start, int maxItems) {
        throw unsupported();
    }

    private UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("container '" + name + "' is held in memory: queries and the change feed "
                + "need Cosmos DB (or the local server)");
    }

    private String store(Key key, ObjectNode document) {
        ObjectNode stored = document.deepCopy();
        long version = versions.incrementAndGet();
        String etag = "\"" + String.format("%08x-0000-0000-0000-%012x", version >>> 16, version) + "\"";
        stored.put("_rid", "AAAAAAAAAAAAAAAAAAAAAA==");
        stored.put("_self", "dbs/AAAAAA==/colls/AAAAAAAAAAA=/docs/AAAAAAAAAAAAAAAAAAAAAA==/");
        stored.put("_etag", etag);
        stored.put("_attachments", "attachments/");
        stored.put("_ts", System.currentTimeMillis() / 1000);
        documents.put(key, stored);
        return etag;
    }

    private Key keyOf(String partitionKey, ObjectNode document) {
        return new Key(partitionKey, document.path("id").asText());
    }

    /** JSON pointer operations as Cosmos DB applies them: set creates only the last segment. */
    private ObjectNode apply(ObjectNode document, Patch patch) {
        for (Patch.Operation operation : patch.operations()) {
            String[] segments = operation.path().substring(1).split("/", -1);
            JsonNode parent = document;
            for (int i = 0; i < segments.length - 1; i++) {
                parent = parent.get(unescape(segments[i]));
                if (!(parent instanceof ObjectNode)) {
                    throw new StoreException("patch path " + operation.path() + " has no parent", 400, null);
                }
            }
            ObjectNode target = (ObjectNode) parent;
            String field = unescape(segments[segments.length - 1]);
            switch (operation.kind()) {
                case SET -> target.set(field, Json.MAPPER.valueToTree(operation.value()));
                case REMOVE -> {
                    if (target.remove(field) == null) {
                        throw new StoreException("patch path " + operation.path() + " is absent", 400, null);
                    }
                }
                case INCREMENT -> {
                    JsonNode current = target.get(field);
                    Number delta = (Number) operation.value();
                    if (delta instanceof Long whole && (current == null || current.isIntegralNumber())) {
                        target.put(field, (current == null ? 0 : current.asLong()) + whole);
                    } else {
                        target.put(field, (current == null ? 0 : current.asDouble()) + delta.doubleValue());
                    }
                }
            }
        }
        return document;
    }

    private static String unescape(String segment) {
        return segment.replace("~1", "/").replace("~0", "~");
    }
}
