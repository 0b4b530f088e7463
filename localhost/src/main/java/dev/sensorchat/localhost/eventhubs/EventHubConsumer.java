package dev.sensorchat.localhost.eventhubs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Event Hub-triggered function's consumer: delivers each partition's events to a {@link BatchHandler}
 * as the Functions host does.
 *
 * <ul>
 * <li>One delivery thread per partition. A partition's batches are strictly sequential and in sequence
 *     order; partitions run in parallel, so the handler must be thread-safe.</li>
 * <li>A batch is up to {@code maxEventBatchSize} events after the partition's position. With
 *     {@code minEventBatchSize} above 1 the consumer waits up to {@code maxWaitTime}, counted from when it
 *     first sees an undelivered event, for that many before delivering fewer. It never delivers an empty
 *     batch.</li>
 * <li>Success writes a checkpoint (the batch's last sequence number) and moves on. Failure waits as the
 *     {@link RetryPolicy} says and delivers the same batch again: at-least-once. When the policy gives up,
 *     the consumer checkpoints past the batch, as the real host does, and tells the
 *     {@link ConsumerListener#retriesExhausted listener}.</li>
 * <li>A partition without a checkpoint starts at the options' {@link StartPosition}.</li>
 * <li>It tells the hub ({@link LocalEventHub#retainFrom}) where it starts and each checkpoint it wrote, so
 *     the hub keeps its events (in memory, and in a durable hub's log) from there on.</li>
 * </ul>
 *
 * <p>Single use: {@link #start()} once, {@link #stop()} once; a restarted host makes a new consumer on the
 * same {@link CheckpointStore}.
 */
public final class EventHubConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventHubConsumer.class.getName());

    private final String name;
    private final LocalEventHub hub;
    private final String consumerGroup;
    private final EventHubTriggerOptions options;
    private final RetryPolicy retryPolicy;
    private final CheckpointStore checkpoints;
    private final BatchHandler handler;
    private final ConsumerListener listener;
    private final List<PartitionLoop> loops = new ArrayList<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Object progress = new Object();
    private volatile boolean running;
    private volatile boolean started;

    private final AtomicLong deliveredBatches = new AtomicLong();
    private final AtomicLong deliveredEvents = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();
    private final AtomicLong abandonedBatches = new AtomicLong();
    private final AtomicLong abandonedEvents = new AtomicLong();
    private final AtomicLong expiredEvents = new AtomicLong();
    private final AtomicLong checkpointFailures = new AtomicLong();

    private EventHubConsumer(Builder builder) {
        this.name = builder.name;
        this.hub = builder.hub;
        this.consumerGroup = builder.consumerGroup;
        this.options = builder.options;
        this.retryPolicy = builder.retryPolicy;
        this.checkpoints = builder.checkpoints;
        this.handler = builder.handler;
        this.listener = builder.listener;
        for (String partitionId : hub.partitionIds()) {
            loops.add(new PartitionLoop(partitionId));
        }
    }

    public static Builder builder(LocalEventHub hub, BatchHandler handler) {
        return new Builder(hub, handler);
    }

    public String name() {
        return name;
    }

    public LocalEventHub hub() {
        return hub;
    }

    public String consumerGroup() {
        return consumerGroup;
    }

    /** Resolves each partition's start (checkpoint, else the start position) and starts delivering. */
    public synchronized void start() {
        if (started || stopSignal.getCount() == 0) {
            throw new IllegalStateException(name + " was already started or stopped; make a new consumer to restart");
        }
        started = true;
        running = true;
        for (PartitionLoop loop : loops) {
            loop.position = startPosition(loop.partitionId);
            hub.retainFrom(this, loop.partitionId, loop.position); // the hub keeps its events from here
        }
        for (PartitionLoop loop : loops) {
            loop.thread = new Thread(() -> loop.run(), "eventhub-" + hub.name() + "-" + name + "-p" + loop.partitionId);
            loop.thread.setDaemon(true);
            loop.thread.start();
        }
    }

    private long startPosition(String partitionId) {
        OptionalLong checkpoint = checkpoints.read(hub.name(), consumerGroup, partitionId);
        if (checkpoint.isPresent()) {
            return checkpoint.getAsLong() + 1;
        }
        StartPosition start = options.initialPosition();
        switch (start.kind()) {
            case FROM_END:
                return hub.nextSequenceNumber(partitionId);
            case FROM_ENQUEUED_TIME:
                return hub.firstSequenceNumberAtOrAfter(partitionId, start.enqueuedTime());
            default:
                return 0;
        }
    }

    /** Stops gracefully and waits for every running batch to finish. */
    public void stop() {
        stop(Duration.ofDays(1));
    }

    /**
     * Stops gracefully: no new batches, no further retries (a failed batch stays uncheckpointed), running
     * batches finish. Returns whether all delivery threads ended within the timeout.
     */
    public boolean stop(Duration timeout) {
        running = false;
        stopSignal.countDown();
        hub.wakeAll();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = true;
        for (PartitionLoop loop : loops) {
            Thread thread = loop.thread;
            if (thread == null || thread == Thread.currentThread()) {
                continue;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            ended &= !thread.isAlive();
        }
        return ended;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Waits until every partition is checkpointed up to the hub's last event (and no batch is running).
     * Returns false if that did not happen within the timeout.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!caughtUp()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
            }
            return true;
        }
    }

    private boolean caughtUp() {
        if (!started) {
            return false;
        }
        for (PartitionLoop loop : loops) {
            if (loop.position < hub.nextSequenceNumber(loop.partitionId)) {
                return false;
            }
        }
        return true;
    }

    /** Per partition, the sequence number the next batch starts at (checkpoint + 1); empty before start. */
    public Map<String, Long> positions() {
        Map<String, Long> positions = new LinkedHashMap<>();
        if (started) {
            loops.forEach(loop -> positions.put(loop.partitionId, loop.position));
        }
        return positions;
    }

    /**
     * How far behind each partition is: events published but not yet checkpointed, and the age of
     * the oldest of them (0 when caught up), as {@code now} sees it.
     */
    public Map<String, Lag> lag(Instant now) {
        Map<String, Lag> lag = new LinkedHashMap<>();
        if (started) {
            for (PartitionLoop loop : loops) {
                long position = loop.position;
                long backlog = Math.max(0, hub.nextSequenceNumber(loop.partitionId) - position);
                long ageMs = 0;
                if (backlog > 0) {
                    List<EventRecord> oldest = hub.read(loop.partitionId, position, 1);
                    ageMs = oldest.isEmpty() ? 0 : Math.max(0, Duration.between(oldest.get(0).enqueuedTime(), now).toMillis());
                }
                lag.put(loop.partitionId, new Lag(backlog, ageMs));
            }
        }
        return lag;
    }

    /** One partition's lag: events not yet checkpointed, and how long the oldest of them has waited. */
    public record Lag(long backlog, long oldestWaitingMs) {
    }

    public ConsumerStats stats() {
        long backlog = 0;
        if (started) {
            for (PartitionLoop loop : loops) {
                backlog += Math.max(0, hub.nextSequenceNumber(loop.partitionId) - loop.position);
            }
        }
        return new ConsumerStats(deliveredBatches.get(), deliveredEvents.get(), failures.get(), redeliveries.get(),
                abandonedBatches.get(), abandonedEvents.get(), expiredEvents.get(), checkpointFailures.get(), backlog);
    }

    @Override
    public String toString() {
        return "EventHubConsumer[" + name + " on " + hub.name() + "/" + consumerGroup + "]";
    }

    /** One partition's delivery loop and position. */
    private final class PartitionLoop {
        final String partitionId;
        /** The next sequence number to deliver; only the loop's thread writes it after start. */
        volatile long position;
        volatile Thread thread;

        PartitionLoop(String partitionId) {
            this.partitionId = partitionId;
        }

        void run() {
            long maxWaitNanos = options.maxWaitTime().toNanos();
            while (running) {
                try {
                    List<EventRecord> batch = hub.awaitBatch(partitionId, position, options.minEventBatchSize(),
                            options.maxEventBatchSize(), maxWaitNanos, () -> !running);
                    if (batch == null) {
                        return;
                    }
                    long first = batch.get(0).sequenceNumber();
                    if (first > position) {
                        long from = position;
                        expiredEvents.addAndGet(first - from);
                        notify(() -> listener.eventsExpired(name, partitionId, from, first - 1));
                        position = first;
                    }
                    deliver(Collections.unmodifiableList(batch));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | Error e) {
                    // Not the handler's failure (deliver catches those): a bug here. Log it, keep the partition alive.
                    LOG.log(Level.SEVERE, e, () -> EventHubConsumer.this + " partition " + partitionId + ": " + e);
                    if (sleepUnlessStopped(Duration.ofSeconds(1))) {
                        return;
                    }
                }
            }
        }

        private void deliver(List<EventRecord> batch) {
            long last = batch.get(batch.size() - 1).sequenceNumber();
            for (int attempt = 1; ; attempt++) {
                if (attempt > 1) {
                    redeliveries.incrementAndGet();
                }
                Throwable error = null;
                try {
                    handler.handle(partitionId, batch);
                } catch (Throwable t) {
                    error = t;
                }
                if (error == null) {
                    deliveredBatches.incrementAndGet();
                    deliveredEvents.addAndGet(batch.size());
                    checkpoint(last);
                    return;
                }
                failures.incrementAndGet();
                int attempts = attempt;
                Throwable failure = error;
                if (!running) {
                    notify(() -> listener.batchFailed(name, partitionId, batch, attempts, failure, null));
                    return;
                }
                if (!retryPolicy.allowsRetry(attempt)) {
                    notify(() -> listener.batchFailed(name, partitionId, batch, attempts, failure, null));
                    abandonedBatches.incrementAndGet();
                    abandonedEvents.addAndGet(batch.size());
                    notify(() -> listener.retriesExhausted(name, partitionId, batch, attempts, failure));
                    checkpoint(last);
                    return;
                }
                Duration delay = retryPolicy.delayBeforeRetry(attempt);
                notify(() -> listener.batchFailed(name, partitionId, batch, attempts, failure, delay));
                if (sleepUnlessStopped(delay)) {
                    return;
                }
            }
        }

        private void checkpoint(long sequenceNumber) {
            try {
                checkpoints.write(hub.name(), consumerGroup, partitionId, sequenceNumber);
                // Only once the checkpoint is written: a restart resumes from it, so the log must keep what follows.
                hub.retainFrom(EventHubConsumer.this, partitionId, sequenceNumber + 1);
            } catch (RuntimeException e) {
                checkpointFailures.incrementAndGet();
                notify(() -> listener.checkpointFailed(name, partitionId, sequenceNumber, e));
            }
            position = sequenceNumber + 1;
            synchronized (progress) {
                progress.notifyAll();
            }
        }

        /** Returns true if the consumer was stopped meanwhile. */
        private boolean sleepUnlessStopped(Duration delay) {
            try {
                return stopSignal.await(delay.toNanos(), TimeUnit.NANOSECONDS) || !running;
            } catch (InterruptedException e) {
                return true;
            }
        }

        private void notify(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> "a consumer listener threw: " + e);
            }
        }
    }

    /** Settings for a consumer; only the hub and handler are required. */
    public static final class Builder {
        private final LocalEventHub hub;
        private final BatchHandler handler;
        private String name = "consumer";
        private String consumerGroup = "$Default";
        private EventHubTriggerOptions options = EventHubTriggerOptions.DEFAULTS;
        private RetryPolicy retryPolicy = RetryPolicy.NONE;
        private CheckpointStore checkpoints;
        private ConsumerListener listener;

        private Builder(LocalEventHub hub, BatchHandler handler) {
            this.hub = Objects.requireNonNull(hub, "hub");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The function's name, for thread names and reports. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder consumerGroup(String consumerGroup) {
            this.consumerGroup = Objects.requireNonNull(consumerGroup, "consumerGroup");
            return this;
        }

        public Builder options(EventHubTriggerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Default {@link RetryPolicy#NONE}, as a function without a retry annotation. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** Default: a new {@link InMemoryCheckpointStore}. */
        public Builder checkpointStore(CheckpointStore checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            return this;
        }

        /** Default: {@link ConsumerListener#logging} to this class's java.util.logging logger. */
        public Builder listener(ConsumerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public EventHubConsumer build() {
            if (checkpoints == null) {
                checkpoints = new InMemoryCheckpointStore();
            }
            if (listener == null) {
                listener = ConsumerListener.logging(LOG);
            }
            return new EventHubConsumer(this);
        }
    }
}
