package dev.sensorchat.observability;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What was asked of the document stores, per container: requests, documents and bytes read and
 * written, and request units, as charged by the server (Azure reports a charge on every response;
 * the local server a nominal one) and as modelled from document sizes ({@code RequestUnits}).
 * One for the process ({@code StoreMeter}) and one per function invocation ({@link Invocation}).
 * Thread-safe: an invocation writes from several threads at once.
 */
public final class StoreUsage {

    /** The figures of one container, or of all. */
    public record Counts(long requests, long reads, long readBytes, long writes, long writeBytes, double modelledRu,
                         double chargedRu) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

        public Counts plus(Counts other) {
            return new Counts(requests + other.requests, reads + other.reads, readBytes + other.readBytes,
                    writes + other.writes, writeBytes + other.writeBytes, modelledRu + other.modelledRu,
                    chargedRu + other.chargedRu);
        }

        public Counts minus(Counts other) {
            return new Counts(requests - other.requests, reads - other.reads, readBytes - other.readBytes,
                    writes - other.writes, writeBytes - other.writeBytes, modelledRu - other.modelledRu,
                    chargedRu - other.chargedRu);
        }
    }

    private static final class Tally {
        final LongAdder requests = new LongAdder();
        final LongAdder reads = new LongAdder();
        final LongAdder readBytes = new LongAdder();
        final LongAdder writes = new LongAdder();
        final LongAdder writeBytes = new LongAdder();
        final DoubleAdder modelledRu = new DoubleAdder();
        final DoubleAdder chargedRu = new DoubleAdder();

        Counts counts() {
            return new Counts(requests.sum(), reads.sum(), readBytes.sum(), writes.sum(), writeBytes.sum(),
                    modelledRu.sum(), chargedRu.sum());
        }
    }

    private final Map<String, Tally> containers = new ConcurrentHashMap<>();

    public void request(String container, double modelledRu, double chargedRu) {
        Tally tally = tally(container);
        tally.requests.increment();
        tally.modelledRu.add(modelledRu);
        tally.chargedRu.add(chargedRu);
    }

    public void read(String container, int documents, long bytes) {
        Tally tally = tally(container);
        tally.reads.add(documents);
        tally.readBytes.add(bytes);
    }

    public void write(String container, int documents, long bytes) {
        Tally tally = tally(container);
        tally.writes.add(documents);
        tally.writeBytes.add(bytes);
    }

    public Counts of(String container) {
        Tally tally = containers.get(container);
        return tally == null ? Counts.ZERO : tally.counts();
    }

    public Counts total() {
        Counts total = Counts.ZERO;
        for (Tally tally : containers.values()) {
            total = total.plus(tally.counts());
        }
        return total;
    }

    /** Per container, by name. */
    public Map<String, Counts> byContainer() {
        Map<String, Counts> all = new TreeMap<>();
        containers.forEach((name, tally) -> all.put(name, tally.counts()));
        return all;
    }

    private Tally tally(String container) {
        return containers.computeIfAbsent(container, name -> new Tally());
    }
}
