package dev.sensorchat.simulators.sinks;

import dev.sensorchat.simulators.devices.SimEvent;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * What became of the events handed to a sink: acknowledged (with how long the destination took),
 * or failed (with why). Sinks report here, from any thread, as soon as they know. The acknowledged
 * events themselves go to an optional listener (the ground truth: what the destination actually
 * has); the file, blob and http targets acknowledge each device's events in the order they were sent.
 *
 * <p>{@link #close} freezes the figures: what a sink reports afterwards (a late answer to a request
 * given up on at a stop) is ignored, so the summary and the ground truth, taken after, agree.
 */
public final class Outcomes {

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> failures = new ConcurrentHashMap<>();
    // Microseconds, 1 µs to 10 min, 3 significant digits.
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Consumer<List<SimEvent>> onAcknowledged;
    private final Object lock = new Object();
    private boolean closed;

    public Outcomes() {
        this(events -> { });
    }

    /** @param onAcknowledged receives each acknowledged group of events, under this object's lock */
    public Outcomes(Consumer<List<SimEvent>> onAcknowledged) {
        this.onAcknowledged = onAcknowledged;
    }

    /** {@code events} were acknowledged, each {@code latencyNanos} after it was sent. */
    public void acknowledged(List<SimEvent> events, long latencyNanos) {
        int count = events.size();
        if (count <= 0) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            onAcknowledged.accept(events);
            acknowledged.addAndGet(count);
        }
        long micros = Math.max(1, Math.min(latencyMicros.getHighestTrackableValue(), latencyNanos / 1_000));
        latencyMicros.recordValueWithCount(micros, count);
    }

    /** {@code count} events were given up on, for {@code reason}. */
    public void failed(int count, String reason) {
        if (count <= 0) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            failed.addAndGet(count);
            failures.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(count);
        }
    }

    /** Freezes the figures: later reports are ignored. */
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Failure reasons and how many events each cost. */
    public java.util.Map<String, Long> failureReasons() {
        java.util.Map<String, Long> copy = new java.util.TreeMap<>();
        failures.forEach((reason, count) -> copy.put(reason, count.get()));
        return copy;
    }

    /** The send latency at {@code percentile} (0-100), in milliseconds; 0 before any acknowledgement. */
    public double latencyMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1_000.0;
    }
}
