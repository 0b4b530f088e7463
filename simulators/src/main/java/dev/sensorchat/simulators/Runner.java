package dev.sensorchat.simulators;

import dev.sensorchat.simulators.devices.FleetSimulation;
import dev.sensorchat.simulators.devices.GroundTruth;
import dev.sensorchat.simulators.devices.SimEvent;
import dev.sensorchat.simulators.sinks.Outcomes;
import dev.sensorchat.simulators.sinks.Sink;
import java.io.PrintStream;
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
 */
public final class Runner {

    /**
     * @param speed        simulated seconds per wall second; 0 = as fast as the sink takes them
     * @param batchSize    events per send at most
     * @param maxDelayMs   a chunk is handed over at the latest this long after its first event
     * @param queuedChunks chunks waiting for the sender at most
     */
    public record Settings(double speed, int batchSize, long maxDelayMs, int queuedChunks) {
    }

    /** The run's figures. {@code error} is what stopped it early, or null. */
    public record Summary(long sent, long malformed, long acknowledged, long failed, double seconds,
                          double p50Millis, double p99Millis, java.util.Map<String, Long> failureReasons, boolean interrupted,
                          String error) {

        public double eventsPerSecond() {
            return seconds <= 0 ? 0 : sent / seconds;
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
    private final GroundTruth groundTruth;
    private final BlockingQueue<List<SimEvent>> queue;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean senderDone;
    private volatile boolean interrupted;
    private volatile long simulatedNow;

    /** @param groundTruth collects the valid events handed to the sink, or null */
    public Runner(FleetSimulation simulation, Sink sink, Outcomes outcomes, Settings settings, GroundTruth groundTruth) {
        this.simulation = simulation;
        this.sink = sink;
        this.outcomes = outcomes;
        this.settings = settings;
        this.groundTruth = groundTruth;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.queuedChunks()));
    }

    /**
     * Ctrl-C: stops generating, sends what is already queued, flushes the sink, and waits up to
     * {@code waitMs} for {@link #run} to finish that.
     */
    public void interrupt(long waitMs) {
        interrupted = true;
        stopping = true;
        try {
            finished.await(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Runs to the end of the simulation (or until interrupted or the sink fails) and closes the sink. */
    public Summary run() {
        long started = System.nanoTime();
        Thread generator = new Thread(this::generate, "generator");
        generator.setDaemon(true);
        generator.start();
        String error = null;
        try {
            while (true) {
                List<SimEvent> chunk = queue.take();
                if (chunk == END) {
                    break;
                }
                if (groundTruth != null) {
                    chunk.forEach(groundTruth::add);
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
            Thread.currentThread().interrupt();
            interrupted = true;
        } catch (Exception e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        stopping = true;
        senderDone = true;
        try {
            sink.close(); // flushes: every event handed over is acknowledged or failed by now
        } catch (Exception e) {
            error = error == null ? "closing the target failed: " + e.getMessage() : error;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        finished.countDown();
        return new Summary(sent.get(), malformed.get(), outcomes.acknowledged(), outcomes.failed(), seconds,
                outcomes.latencyMillis(50), outcomes.latencyMillis(99), outcomes.failureReasons(), interrupted, error);
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
            if (!chunk.isEmpty() && !stopping) {
                put(chunk);
            }
            put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for room in the queue; gives up once the sender has stopped, as nobody would send it. */
    private void put(List<SimEvent> chunk) throws InterruptedException {
        while (!senderDone) {
            if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The simulated time as text, for the progress line. */
    public static String formatSimulated(long ms) {
        return ms == 0 ? "-" : Instant.ofEpochMilli(ms).toString().replaceFirst(":\\d\\d(\\.\\d+)?Z$", "Z");
    }
}
