package dev.sensorchat.simulators;

import dev.sensorchat.simulators.devices.FleetSimulation;
import dev.sensorchat.simulators.devices.SimEvent;
import dev.sensorchat.simulators.sinks.Outcomes;
import dev.sensorchat.simulators.sinks.Sink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves a simulation's events to a sink: a generator thread paces the simulated clock against the
 * wall clock and hands chunks to a bounded queue; the calling thread sends them. When the sink is
 * slow the queue fills and the generator waits: memory stays bounded and nothing is skipped.
 *
 * <p>{@link #stop} (Ctrl-C, SIGTERM) ends a run in bounded time: generating stops at once, what is
 * queued is sent for up to the stop timeout and then given up on (not sent), requests still waiting
 * for an answer get {@link #ABANDON_AFTER_MS} more, and then the sender is interrupted (those are
 * unanswered: the target may or may not have them). The summary counts each of these.
 */
public final class Runner {

    /** After the stop timeout, how long requests already waiting for an answer may still take. */
    public static final long ABANDON_AFTER_MS = 2_000;

    /**
     * @param speed        simulated seconds per wall second; 0 = as fast as the sink takes them
     * @param batchSize    events per send at most
     * @param maxDelayMs   a chunk is handed over at the latest this long after its first event
     * @param queuedChunks chunks waiting for the sender at most
     */
    public record Settings(double speed, int batchSize, long maxDelayMs, int queuedChunks) {
    }

    /**
     * The run's figures. {@code sent} counts the events handed to the target; {@code unsent} those
     * generated but still queued when a stop gave up on them. {@code error} is what stopped it early, or null.
     */
    public record Summary(long sent, long malformed, long acknowledged, long failed, long unsent, double seconds,
                          double p50Millis, double p99Millis, java.util.Map<String, Long> failureReasons, boolean interrupted,
                          String error) {

        public double eventsPerSecond() {
            return seconds <= 0 ? 0 : sent / seconds;
        }

        /** Handed to the target, but neither acknowledged nor failed when the run stopped: the target may have them. */
        public long unanswered() {
            return Math.max(0, sent - acknowledged - failed);
        }

        public boolean succeeded() {
            return error == null && failed == 0 && !interrupted && acknowledged == sent;
        }
    }

    private static final List<SimEvent> END = List.of();

    private final FleetSimulation simulation;
    private final Sink sink;
    private final Outcomes outcomes;
    private final Settings settings;
    private final BlockingQueue<List<SimEvent>> queue;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final long started = System.nanoTime();
    private volatile boolean stopping;
    private volatile boolean senderDone;
    private volatile boolean interrupted;
    private volatile long simulatedNow;
    /** When a stop gives up on what is still queued (System.nanoTime()); set before {@link #stopping}. */
    private volatile long drainDeadline;
    private volatile Thread sender;
    private volatile Thread generator;
    private boolean stopRequested;

    /** The sink reports to {@code outcomes}; whoever needs the acknowledged events (the ground truth) listens there. */
    public Runner(FleetSimulation simulation, Sink sink, Outcomes outcomes, Settings settings) {
        this.simulation = simulation;
        this.sink = sink;
        this.outcomes = outcomes;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.queuedChunks()));
    }

    /**
     * A stop signal: generating stops now; what is queued is sent for up to {@code timeoutMs}, then
     * counted as not sent; requests still waiting for an answer get {@link #ABANDON_AFTER_MS} more and are
     * then interrupted (and the sink's close, if it hangs). Returns at once; {@link #run} returns soon
     * after. A second call changes nothing.
     */
    public void stop(long timeoutMs) {
        synchronized (this) {
            if (stopRequested) {
                return;
            }
            stopRequested = true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
        drainDeadline = deadline;
        interrupted = true;
        stopping = true;
        sink.stopBy(deadline);
        Thread watchdog = new Thread(() -> {
            long abandonAt = deadline + TimeUnit.MILLISECONDS.toNanos(ABANDON_AFTER_MS);
            try {
                while (!finished.await(Math.max(0, abandonAt - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    Thread running = sender;
                    if (running != null) {
                        running.interrupt();
                    }
                    abandonAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500); // again, until run() is done
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Waits up to {@code ms} for {@link #run} to return; whether it did. */
    public boolean awaitFinished(long ms) throws InterruptedException {
        return finished.await(ms, TimeUnit.MILLISECONDS);
    }

    /** Events handed to the sink so far. */
    public long sent() {
        return sent.get();
    }

    /** The simulated time of the latest event generated. */
    public long simulatedNow() {
        return simulatedNow;
    }

    public Outcomes outcomes() {
        return outcomes;
    }

    /** The figures so far (final once {@link #run} returned). */
    public Summary summary(String error) {
        return new Summary(sent.get(), malformed.get(), outcomes.acknowledged(), outcomes.failed(), unsent.get(),
                (System.nanoTime() - started) / 1e9, outcomes.latencyMillis(50), outcomes.latencyMillis(99), outcomes.failureReasons(),
                interrupted, error);
    }

    /** Runs to the end of the simulation (or until stopped or the sink fails) and closes the sink. */
    public Summary run() {
        sender = Thread.currentThread();
        Thread generating = new Thread(this::generate, "generator");
        generating.setDaemon(true);
        generator = generating;
        generating.start();
        String error = null;
        try {
            while (true) {
                List<SimEvent> chunk = next();
                if (chunk == null || chunk == END) {
                    break;
                }
                for (SimEvent event : chunk) {
                    if (!event.valid()) {
                        malformed.incrementAndGet();
                    }
                }
                sent.addAndGet(chunk.size());
                sink.send(chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // so a close that would wait returns at once
            interrupted = true;
        } catch (Exception e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        stopping = true;
        senderDone = true;
        try {
            sink.close(); // flushes: every event handed over is acknowledged or failed by now, unless a stop gave up on it
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (Exception e) {
            error = error == null ? "closing the target failed: " + e.getMessage() : error;
        }
        outcomes.close(); // a late answer now would make the summary and the ground truth disagree
        Thread.interrupted(); // the watchdog's, if any: not for the caller
        try {
            generating.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<List<SimEvent>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(chunk -> unsent.addAndGet(chunk.size()));
        Summary summary = summary(error);
        sender = null;
        finished.countDown();
        return summary;
    }

    /** The next chunk (or END); null when a stop's timeout gave up on the queue. */
    private List<SimEvent> next() throws InterruptedException {
        while (true) {
            if (stopping) {
                long left = drainDeadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                List<SimEvent> chunk = queue.poll(left, TimeUnit.NANOSECONDS);
                if (chunk != null) {
                    return chunk;
                }
            } else {
                List<SimEvent> chunk = queue.poll(100, TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    return chunk;
                }
            }
        }
    }

    private void generate() {
        long wallStart = System.nanoTime();
        long simStart = simulation.nextTime();
        List<SimEvent> chunk = new ArrayList<>(settings.batchSize());
        long chunkStarted = 0;
        try {
            while (!stopping) {
                long next = simulation.nextTime();
                if (settings.speed() > 0 && next != Long.MAX_VALUE) {
                    long dueNanos = wallStart + (long) ((next - simStart) * 1e6 / settings.speed());
                    long waitNanos = dueNanos - System.nanoTime();
                    if (waitNanos > 1_000_000) {
                        if (!chunk.isEmpty()) { // don't hold events back while the clock catches up
                            put(chunk);
                            chunk = new ArrayList<>(settings.batchSize());
                        }
                        LockSupport.parkNanos(Math.min(waitNanos, 100_000_000));
                        continue;
                    }
                }
                SimEvent event = simulation.next();
                if (event == null) {
                    break;
                }
                simulatedNow = event.ts();
                if (chunk.isEmpty()) {
                    chunkStarted = System.nanoTime();
                }
                chunk.add(event);
                if (chunk.size() >= settings.batchSize()
                        || System.nanoTime() - chunkStarted > settings.maxDelayMs() * 1_000_000) {
                    put(chunk);
                    chunk = new ArrayList<>(settings.batchSize());
                }
            }
            if (!chunk.isEmpty()) {
                if (stopping) {
                    unsent.addAndGet(chunk.size()); // generated, never handed over
                } else {
                    put(chunk);
                }
            }
            put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for room in the queue; gives up once the sender has stopped, as nobody would send it (counted as not sent). */
    private void put(List<SimEvent> chunk) throws InterruptedException {
        while (!senderDone) {
            if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        unsent.addAndGet(chunk.size());
    }

    /** The simulated time as text, for the progress line. */
    public static String formatSimulated(long ms) {
        return ms == 0 ? "-" : Instant.ofEpochMilli(ms).toString().replaceFirst(":\\d\\d(\\.\\d+)?Z$", "Z");
    }
}
