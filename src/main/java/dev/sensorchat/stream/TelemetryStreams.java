package dev.sensorchat.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private final StreamStore store;
    private final Rules.Source rules;
    private final StreamSettings settings;
    private final Executor writers;
    private final Duration idleFlushAfter;
    private final Map<String, StreamProcessor> processors = new ConcurrentHashMap<>();
    private final Map<String, Long> lastBatch = new ConcurrentHashMap<>();
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
            return processor.process(events, last);
        } finally {
            lastBatch.put(stream, System.nanoTime());
            startSweeper();
        }
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
                LOG.log(Level.WARNING, "idle flush of stream " + stream + " failed: " + e.getMessage(), e);
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
