package dev.sensorchat.stream;

import dev.sensorchat.observability.Invocation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The streams this instance processes, one {@link StreamProcessor} per Event Hubs partition, and
 * the idle flush: a stream that received nothing for {@code idleFlushAfter} writes what its last
 * batches left in memory (the open minutes) and a checkpoint, so a partition that stops leaves a
 * complete read model. The flush runs on a daemon thread of its own.
 */
public final class TelemetryStreams implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TelemetryStreams.class.getName());
    /** The index of streams is a checkpoint part of a stream of its own (stream names never start with '_'). */
    static final String INDEX_STREAM = "_streams";
    private static final String INDEX_PART = "index";

    private final StreamStore store;
    private final Rules.Source rules;
    private final StreamSettings settings;
    private final Executor writers;
    private final Duration idleFlushAfter;
    private final Map<String, StreamProcessor> processors = new ConcurrentHashMap<>();
    private final Map<String, Long> lastBatch = new ConcurrentHashMap<>();
    private final java.util.Set<String> registered = ConcurrentHashMap.newKeySet();
    /** Per stream, its head and log as the previous sweep saw them. */
    private final Map<String, String> lastLook = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService sweeper;

    public TelemetryStreams(StreamStore store, Rules.Source rules, StreamSettings settings, Executor writers, Duration idleFlushAfter) {
        this.store = store;
        this.rules = rules;
        this.settings = settings;
        this.writers = writers;
        this.idleFlushAfter = idleFlushAfter;
    }

    public StreamSettings settings() {
        return settings;
    }

    public StreamProcessor processor(String stream) {
        return processors.computeIfAbsent(stream, s -> new StreamProcessor(s, store, rules, settings, writers));
    }

    /** Runs a batch on its stream's processor and schedules the stream's idle flush. */
    public StreamProcessor.Outcome process(String stream, List<StreamEvent> events, long last) {
        StreamProcessor processor = processor(stream);
        try {
            StreamProcessor.Outcome outcome = processor.process(events, last);
            register(stream);
            return outcome;
        } finally {
            lastBatch.put(stream, System.nanoTime());
            startSweeper();
        }
    }

    // ------------------------------------------------------------------ abandoned streams

    /**
     * Settles streams that an instance left with part of their state out of the read model (it
     * died before its idle flush, and the partition gets no more events to bring the state back).
     * Run every few minutes: a stream is settled when its head says it is not settled and neither
     * its head nor its log moved since the previous sweep, so an owner at work is left alone (its
     * log moves). Settling rebuilds the state from the log and writes it, ETag-guarded as any
     * instance's writes are. Returns the streams settled.
     */
    public List<String> settleAbandoned() {
        List<String> settled = new ArrayList<>();
        for (String stream : indexedStreams()) {
            Long last = lastBatch.get(stream);
            if (last != null && System.nanoTime() - last < 2 * idleFlushAfter.toNanos()) {
                continue; // this instance owns it, and its idle flush settles it
            }
            StateCodec.Head head = store.checkpoint(stream, "head").map(part -> StateCodec.decodeHead(part.value().data())).orElse(null);
            long applied = head == null ? -1 : head.applied();
            Optional<StreamStore.Segment> next = store.segment(stream, applied);
            if (next.isEmpty() && (head == null || head.settled())) {
                lastLook.remove(stream);
                continue;
            }
            String look = applied + "/" + endOfLog(stream, next);
            if (!look.equals(lastLook.put(stream, look))) {
                continue; // first seen like this, or moved since: look again at the next sweep
            }
            StreamProcessor processor = processor(stream);
            try {
                processor.settle();
                Invocation.logger(LOG).info(() -> "stream " + stream + " settled: its last owner left part of it out of the read model");
                settled.add(stream);
            } catch (RuntimeException e) {
                // The log still has it all: the next sweep (or the partition's next owner) tries again.
                Invocation.logger(LOG).log(Level.WARNING, "stream " + stream + " not settled: " + e.getMessage(), e);
            } finally {
                lastLook.remove(stream);
                if (!lastBatch.containsKey(stream)) {
                    processors.remove(stream, processor); // not ours: do not keep its state in memory
                }
            }
        }
        return settled;
    }

    /** The position of the last segment, following the log from its first segment after the head. */
    private long endOfLog(String stream, Optional<StreamStore.Segment> first) {
        long end = -1;
        for (Optional<StreamStore.Segment> segment = first; segment.isPresent(); segment = store.segment(stream, end)) {
            end = segment.get().last();
        }
        return end;
    }

    /** The streams ever processed, as the index in the store lists them. */
    List<String> indexedStreams() {
        return store.checkpoint(INDEX_STREAM, INDEX_PART).map(part -> List.copyOf(names(part.value().data()))).orElse(List.of());
    }

    /** Adds the stream to the index once per process: the sweep finds streams there. */
    private void register(String stream) {
        if (registered.contains(stream)) {
            return;
        }
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<StreamStore.Versioned<StreamStore.CheckpointPart>> index = store.checkpoint(INDEX_STREAM, INDEX_PART);
                TreeSet<String> names = index.map(part -> names(part.value().data())).orElseGet(TreeSet::new);
                if (!names.add(stream)) {
                    registered.add(stream);
                    return;
                }
                try {
                    byte[] data = String.join("\n", names).getBytes(StandardCharsets.UTF_8);
                    store.saveCheckpoint(new StreamStore.CheckpointPart(INDEX_STREAM, INDEX_PART, INDEX_PART, names.size(), data),
                            index.map(StreamStore.Versioned::etag).orElse(null));
                    registered.add(stream);
                    return;
                } catch (StreamStore.Conflict e) {
                    // another instance added a stream at the same time: read the index again
                }
            }
        } catch (RuntimeException e) {
            // The batch is committed; the next one registers the stream.
            Invocation.logger(LOG).log(Level.WARNING, "stream " + stream + " not added to the stream index: " + e.getMessage(), e);
        }
    }

    private static TreeSet<String> names(byte[] data) {
        TreeSet<String> names = new TreeSet<>();
        for (String name : new String(data, StandardCharsets.UTF_8).split("\n")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Writes every stream's pending changes now (tests, and a host that shuts down). A stream that
     * fails does not keep the others from writing; the first failure is thrown afterwards.
     */
    public void flushIdle() {
        RuntimeException failed = null;
        for (StreamProcessor processor : processors.values()) {
            try {
                processor.flushIdle();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Devices with changes not in the read model yet, over all streams. */
    public int pendingDevices() {
        return processors.values().stream().mapToInt(StreamProcessor::pendingDevices).sum();
    }

    private void startSweeper() {
        if (sweeper != null) {
            return;
        }
        synchronized (this) {
            if (sweeper == null) {
                ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "telemetry-idle-flush");
                    thread.setDaemon(true);
                    return thread;
                });
                long period = Math.max(250, idleFlushAfter.toMillis() / 4);
                started.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
                sweeper = started;
            }
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        processors.forEach((stream, processor) -> {
            Long last = lastBatch.get(stream);
            if (last == null || now - last < idleFlushAfter.toNanos() || processor.pendingDevices() == 0) {
                return;
            }
            try {
                processor.flushIdle();
            } catch (RuntimeException e) {
                // The next batch (or sweep) rebuilds the state from the store and writes it then.
                Invocation.logger(LOG).log(Level.WARNING, "idle flush of stream " + stream + " failed: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        ScheduledExecutorService running = sweeper;
        if (running != null) {
            running.shutdownNow();
        }
    }
}
