package dev.sensorchat.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Device ids and metric names of a stream, numbered in order of first appearance. Segments
 * write the numbers; a segment also lists the names it added, so a replay numbers them the same.
 */
final class Dictionary {

    private final List<String> values = new ArrayList<>();
    private final Map<String, Integer> numbers = new HashMap<>();
    private final boolean canonical;

    private Dictionary(boolean canonical) {
        this.canonical = canonical;
    }

    /** Metric names: a few, kept as the JVM's canonical instances (see {@link #numberOf}). */
    static Dictionary ofMetricNames() {
        return new Dictionary(true);
    }

    /** Device ids: many, looked up by hash (interning each in the JVM's string table costs microseconds). */
    static Dictionary ofDeviceIds() {
        return new Dictionary(false);
    }

    int size() {
        return values.size();
    }

    String get(int number) {
        return values.get(number);
    }

    /** The number, or -1 when the value has none yet. */
    int numberOf(String value) {
        // Metric names come from the parser's symbol table, one instance each: a few reference
        // comparisons find them before any hashing.
        int scan = Math.min(values.size(), 8);
        for (int i = 0; i < scan; i++) {
            if (values.get(i) == value) {
                return i;
            }
        }
        Integer number = numbers.get(value);
        return number == null ? -1 : number;
    }

    int add(String value) {
        Integer existing = numbers.get(value);
        if (existing != null) {
            return existing;
        }
        // Canonical instances: the same metric name is then the same String everywhere.
        String kept = canonical ? value.intern() : value;
        values.add(kept);
        numbers.put(kept, values.size() - 1);
        return values.size() - 1;
    }

    List<String> values() {
        return List.copyOf(values);
    }
}
