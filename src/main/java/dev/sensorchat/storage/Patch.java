package dev.sensorchat.storage;

import com.azure.cosmos.models.CosmosPatchOperations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A partial update applied by the server (Cosmos DB patch), so counters and fields can change
 * without a read-modify-write round trip. Paths are JSON pointers, e.g. {@code /status}.
 * At most 10 operations, as Cosmos DB allows.
 */
public final class Patch {

    private static final int MAX_OPERATIONS = 10;

    private final List<Consumer<CosmosPatchOperations>> operations = new ArrayList<>();

    public static Patch create() {
        return new Patch();
    }

    public Patch set(String path, Object value) {
        return add(ops -> ops.set(path, value));
    }

    public Patch increment(String path, long delta) {
        return add(ops -> ops.increment(path, delta));
    }

    public Patch increment(String path, double delta) {
        return add(ops -> ops.increment(path, delta));
    }

    public Patch remove(String path) {
        return add(ops -> ops.remove(path));
    }

    private Patch add(Consumer<CosmosPatchOperations> operation) {
        if (operations.size() == MAX_OPERATIONS) {
            throw new IllegalStateException("A patch holds at most " + MAX_OPERATIONS + " operations.");
        }
        operations.add(operation);
        return this;
    }

    CosmosPatchOperations toCosmos() {
        CosmosPatchOperations cosmos = CosmosPatchOperations.create();
        operations.forEach(operation -> operation.accept(cosmos));
        return cosmos;
    }
}
