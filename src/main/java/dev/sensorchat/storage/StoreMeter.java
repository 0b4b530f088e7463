package dev.sensorchat.storage;

import dev.sensorchat.observability.Invocation;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the app asked of its document stores, per container: requests, documents read and
 * written, bytes sent and received, and request units, both as charged (when the server reports a
 * charge) and as modelled by {@link RequestUnits} from the document sizes. Counted at the store
 * boundary ({@link MeteredContainer}), so it covers every caller. Requests made for a function
 * invocation are also counted in its {@link Invocation#store()}.
 */
public final class StoreMeter {

    /** The counts of one container, or of all of them. */
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

    void request(String container, double modelled, double charged) {
        Invocation.current().ifPresent(invocation -> invocation.store().request(container, modelled, charged));
        Tally tally = tally(container);
        tally.requests.increment();
        tally.modelledRu.add(modelled);
        tally.chargedRu.add(charged);
    }

    void read(String container, int documents, long bytes) {
        Tally tally = tally(container);
        tally.reads.add(documents);
        tally.readBytes.add(bytes);
    }

    void write(String container, int documents, long bytes) {
        Invocation.current().ifPresent(invocation -> invocation.store().write(container, documents, bytes));
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
