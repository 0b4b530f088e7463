package dev.sensorchat.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * A partial update applied by the server (Cosmos DB patch), so counters and fields can change
 * without a read-modify-write round trip. Paths are JSON pointers, e.g. {@code /status}.
 * At most 10 operations, as Cosmos DB allows.
 */
public final class Patch {

    public static final int MAX_OPERATIONS = 10;

    /** What an operation does; {@code SET} creates the last path segment if it is missing. */
    public enum Kind { SET, INCREMENT, REMOVE }

    /** One operation; {@code value} is a plain Java value (numbers, strings, records, maps). */
    public record Operation(Kind kind, String path, Object value) {
    }

    private final List<Operation> operations = new ArrayList<>();

    public static Patch create() {
        return new Patch();
    }

    public Patch set(String path, Object value) {
        return add(new Operation(Kind.SET, path, value));
    }

    public Patch increment(String path, long delta) {
        return add(new Operation(Kind.INCREMENT, path, delta));
    }

    public Patch increment(String path, double delta) {
        return add(new Operation(Kind.INCREMENT, path, delta));
    }

    public Patch remove(String path) {
        return add(new Operation(Kind.REMOVE, path, null));
    }

    public int size() {
        return operations.size();
    }

    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    /** Escapes one property name for use as a JSON pointer segment (RFC 6901). */
    public static String segment(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private Patch add(Operation operation) {
        if (!operation.path().startsWith("/")) {
            throw new IllegalArgumentException("Patch paths are JSON pointers starting with '/': " + operation.path());
        }
        if (operations.size() == MAX_OPERATIONS) {
            throw new IllegalStateException("A patch holds at most " + MAX_OPERATIONS + " operations.");
        }
        operations.add(operation);
        return this;
    }
}
