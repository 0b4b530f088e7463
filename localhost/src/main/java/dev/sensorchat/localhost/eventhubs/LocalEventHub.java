package dev.sensorchat.localhost.eventhubs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An in-memory, partitioned Event Hub. Thread-safe.
 *
 * <p>A publish call is atomic within its partition: its events get consecutive sequence numbers
 * (per partition, from 0), consecutive offsets (cumulative UTF-8 body bytes, see
 * {@link EventRecord#offset()}) and one enqueued time, {@code clock.instant()} taken when the call is
 * accepted. With a partition key all events of the call go to {@link PartitionKeys#partitionFor the
 * key's partition}, as on Event Hubs; without one (null or empty) each call goes to the next partition
 * in turn.
 *
 * <p>Each partition keeps at most {@code retentionPerPartition} events; beyond that the oldest are
 * dropped and counted (a consumer that had not reached them skips ahead, as on a hub whose retention
 * period passed). Once consumers have registered ({@link #retainFrom}), events every one of them is
 * past are let go too, so memory holds the backlog rather than the history.
 *
 * <p>A {@link #durable durable} hub also writes every publish call to a {@link PartitionLog} per partition
 * before it stores and acknowledges it, and replays the logs when it is opened again: a restarted host
 * delivers what was acknowledged before, and sequence numbers and offsets go on where they stopped
 * (the app's exactly-once bookkeeping is by sequence number, so numbering must never start over). A
 * log keeps what some consumer still needs ({@link #retainFrom}) and what retention keeps; older
 * segments are deleted.
 */
public final class LocalEventHub implements AutoCloseable {

    /** Events kept per partition unless told otherwise. */
    public static final int DEFAULT_RETENTION_PER_PARTITION = 1_000_000;

    /** Event Hubs' own rule for names; a durable hub's folder is named after it. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,254}[A-Za-z0-9])?");

    private final String name;
    private final Clock clock;
    private final Partition[] partitions;
    private final List<String> partitionIds;
    private final AtomicInteger roundRobin = new AtomicInteger();

    public LocalEventHub(String name, int partitionCount) {
        this(name, partitionCount, Clock.systemUTC(), DEFAULT_RETENTION_PER_PARTITION);
    }

    public LocalEventHub(String name, int partitionCount, Clock clock) {
        this(name, partitionCount, clock, DEFAULT_RETENTION_PER_PARTITION);
    }

    public LocalEventHub(String name, int partitionCount, Clock clock, int retentionPerPartition) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (partitionCount < 1 || partitionCount > 1024) {
            throw new IllegalArgumentException("an event hub has 1 to 1024 partitions, not " + partitionCount);
        }
        if (retentionPerPartition < 1) {
            throw new IllegalArgumentException("retentionPerPartition must be at least 1, was " + retentionPerPartition);
        }
        partitions = new Partition[partitionCount];
        List<String> ids = new ArrayList<>(partitionCount);
        for (int i = 0; i < partitionCount; i++) {
            partitions[i] = new Partition(Integer.toString(i), retentionPerPartition);
            ids.add(partitions[i].id);
        }
        partitionIds = List.copyOf(ids);
    }

    /**
     * A hub whose partitions are kept in {@code directory} ({@code <directory>/<partition>/}): replays what
     * is there, and numbers on after it, or after the highest checkpoint in {@code checkpoints} when that is
     * further (the end of a log a machine crash lost). What the replay found out of the ordinary (a torn
     * last write, cut off; a jump) goes to {@code notes}.
     *
     * @throws IllegalStateException when a log is damaged other than at its tail, or the name cannot be a folder
     */
    public static LocalEventHub durable(String name, int partitionCount, Clock clock, int retentionPerPartition, Path directory,
                                        EventLogOptions options, CheckpointStore checkpoints, Consumer<String> notes) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(notes, "notes");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException("'" + name + "' is not an event hub name (letters, digits, '.', '-' and '_', starting and ending"
                    + " with a letter or digit)");
        }
        LocalEventHub hub = new LocalEventHub(name, partitionCount, clock, retentionPerPartition);
        try {
            for (Partition partition : hub.partitions) {
                long minimumNext = checkpoints.highest(name, partition.id).orElse(-1) + 1;
                partition.log = PartitionLog.open(directory.resolve(partition.id), partition.id, options, minimumNext, partition, notes);
            }
        } catch (IOException | RuntimeException e) {
            hub.close();
            throw e;
        }
        return hub;
    }

    /** Whether publishes are written to disk before they are acknowledged. */
    public boolean durable() {
        return partitions[0].log != null;
    }

    public String name() {
        return name;
    }

    public int partitionCount() {
        return partitions.length;
    }

    /** "0" to "n-1". */
    public List<String> partitionIds() {
        return partitionIds;
    }

    /**
     * Enqueues the bodies, in order, in one partition: the key's partition, or the next one in turn
     * when the key is null or empty. Returns the stored records (empty for no bodies).
     */
    public List<EventRecord> publish(List<String> bodies, String partitionKey) {
        Objects.requireNonNull(bodies, "bodies");
        return bodies.isEmpty() ? List.of() : publishKeyed(bodies, java.util.Collections.nCopies(bodies.size(), null), partitionKey);
    }

    /**
     * Enqueues messages that may name their own partition keys (Event Hubs' REST batch): each goes to
     * its key's partition, or {@code defaultKey}'s, or with neither to the next partition in turn (one
     * for all the unkeyed ones of the call); order is kept within each partition. Partitions are appended one after another, so
     * when one fails (an I/O error, as {@link #publish}), those before it keep their events: a sender
     * that retries repeats them, as Event Hubs' own sends are at least once.
     */
    public List<EventRecord> publishKeyed(List<String> bodies, List<String> partitionKeys, String defaultKey) {
        Objects.requireNonNull(bodies, "bodies");
        if (bodies.size() != partitionKeys.size()) {
            throw new IllegalArgumentException("one partition key (or null) for each body");
        }
        boolean defaultKeyed = defaultKey != null && !defaultKey.isEmpty();
        int unkeyed = defaultKeyed ? PartitionKeys.partitionFor(defaultKey, partitions.length)
                : Math.floorMod(roundRobin.getAndIncrement(), partitions.length);
        List<List<String>> groupBodies = new ArrayList<>();
        List<List<String>> groupKeys = new ArrayList<>();
        for (int i = 0; i < partitions.length; i++) {
            groupBodies.add(new ArrayList<>());
            groupKeys.add(new ArrayList<>());
        }
        for (int i = 0; i < bodies.size(); i++) {
            String key = partitionKeys.get(i);
            String resolved = key != null && !key.isEmpty() ? key : defaultKeyed ? defaultKey : null;
            int index = resolved != null ? PartitionKeys.partitionFor(resolved, partitions.length) : unkeyed;
            groupBodies.get(index).add(bodies.get(i));
            groupKeys.get(index).add(resolved);
        }
        List<EventRecord> stored = new ArrayList<>(bodies.size());
        for (int i = 0; i < partitions.length; i++) {
            if (!groupBodies.get(i).isEmpty()) {
                stored.addAll(partitions[i].appendKeyed(groupBodies.get(i), groupKeys.get(i), clock));
            }
        }
        return stored;
    }

    /** Enqueues the bodies, in order, in the given partition (Event Hubs' send to a partition id). */
    public List<EventRecord> publishToPartition(String partitionId, List<String> bodies) {
        Objects.requireNonNull(bodies, "bodies");
        return bodies.isEmpty() ? List.of() : partition(partitionId).append(bodies, null, clock);
    }

    /** The partition a key maps to. */
    public String partitionFor(String partitionKey) {
        return partitions[PartitionKeys.partitionFor(partitionKey, partitions.length)].id;
    }

    /** Up to {@code maxCount} retained events from {@code fromSequenceNumber} on (or from the oldest retained). */
    public List<EventRecord> read(String partitionId, long fromSequenceNumber, int maxCount) {
        Partition partition = partition(partitionId);
        partition.lock.lock();
        try {
            return partition.copy(fromSequenceNumber, maxCount);
        } finally {
            partition.lock.unlock();
        }
    }

    public PartitionInfo partitionInfo(String partitionId) {
        return partition(partitionId).info();
    }

    /** The sequence number the next event published to the partition will get. */
    public long nextSequenceNumber(String partitionId) {
        Partition partition = partition(partitionId);
        partition.lock.lock();
        try {
            return partition.nextSequence;
        } finally {
            partition.lock.unlock();
        }
    }

    /**
     * The sequence number of the first retained event enqueued at or after {@code time}, or the next
     * sequence number when there is none.
     */
    public long firstSequenceNumberAtOrAfter(String partitionId, Instant time) {
        Partition partition = partition(partitionId);
        partition.lock.lock();
        try {
            for (int i = 0; i < partition.size; i++) {
                EventRecord event = partition.at(i);
                if (!event.enqueuedTime().isBefore(time)) {
                    return event.sequenceNumber();
                }
            }
            return partition.nextSequence;
        } finally {
            partition.lock.unlock();
        }
    }

    /** Events dropped from all partitions to keep within the retention cap. */
    public long droppedEvents() {
        long dropped = 0;
        for (Partition partition : partitions) {
            dropped += partition.info().droppedEvents();
        }
        return dropped;
    }

    /**
     * Waits for a batch for a consumer: blocks until at least one event at or after {@code from} is
     * retained, then until {@code minCount} are or {@code maxWaitNanos} has passed since the first was
     * seen, and returns up to {@code maxCount} (the oldest retained first, if {@code from} was dropped).
     * Returns null as soon as {@code stopped} says so; {@link #wakeAll} makes waiters look again.
     */
    List<EventRecord> awaitBatch(String partitionId, long from, int minCount, int maxCount, long maxWaitNanos,
                                 BooleanSupplier stopped) throws InterruptedException {
        Partition partition = partition(partitionId);
        partition.lock.lock();
        try {
            long deadline = 0;
            boolean waitingToFill = false;
            while (true) {
                if (stopped.getAsBoolean()) {
                    return null;
                }
                long available = partition.nextSequence - Math.max(from, partition.firstSequence);
                if (available > 0) {
                    if (available >= minCount || available >= maxCount) {
                        return partition.copy(from, maxCount);
                    }
                    long now = System.nanoTime();
                    if (!waitingToFill) {
                        waitingToFill = true;
                        deadline = now + maxWaitNanos;
                    }
                    long left = deadline - now;
                    if (left <= 0) {
                        return partition.copy(from, maxCount);
                    }
                    partition.appended.awaitNanos(left);
                } else {
                    // Bounded, so a stop that raced the flag is noticed even without a wake-up.
                    partition.appended.await(1, TimeUnit.SECONDS);
                }
            }
        } finally {
            partition.lock.unlock();
        }
    }

    /** Makes every {@link #awaitBatch} waiter re-check its stop condition. */
    void wakeAll() {
        for (Partition partition : partitions) {
            partition.lock.lock();
            try {
                partition.appended.signalAll();
            } finally {
                partition.lock.unlock();
            }
        }
    }

    /**
     * {@code consumer} needs the partition's events from {@code sequenceNumber} on (its checkpoint plus
     * one). Events every registered consumer is past leave memory, and a durable hub deletes a log
     * segment once all its events have; with no consumer registered, only retention counts.
     */
    public void retainFrom(Object consumer, String partitionId, long sequenceNumber) {
        Objects.requireNonNull(consumer, "consumer");
        Partition partition = partition(partitionId);
        partition.lock.lock();
        try {
            partition.holds.put(consumer, sequenceNumber);
            partition.trim();
        } finally {
            partition.lock.unlock();
        }
    }

    /** The log segment files of a durable hub's partition, oldest first (empty for an in-memory hub). */
    public List<Path> logSegments(String partitionId) {
        Partition partition = partition(partitionId);
        partition.lock.lock();
        try {
            return partition.log == null ? List.of() : partition.log.segmentFiles();
        } finally {
            partition.lock.unlock();
        }
    }

    /** Closes a durable hub's logs; publishing afterwards fails. An in-memory hub is unaffected. */
    @Override
    public void close() {
        for (Partition partition : partitions) {
            partition.lock.lock();
            try {
                if (partition.log != null) {
                    partition.log.close();
                }
            } finally {
                partition.lock.unlock();
            }
        }
    }

    private Partition partition(String partitionId) {
        Objects.requireNonNull(partitionId, "partitionId");
        int index;
        try {
            index = Integer.parseInt(partitionId);
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= partitions.length || !partitions[index].id.equals(partitionId)) {
            throw new IllegalArgumentException("event hub " + name + " has no partition '" + partitionId
                    + "' (it has 0 to " + (partitions.length - 1) + ")");
        }
        return partitions[index];
    }

    @Override
    public String toString() {
        return "LocalEventHub[" + name + ", " + partitions.length + " partitions]";
    }

    /** One partition: a ring buffer of the retained events, and its log when durable, guarded by {@link #lock}. */
    private static final class Partition implements PartitionLog.Replay {
        final String id;
        final int retention;
        final ReentrantLock lock = new ReentrantLock();
        final Condition appended = lock.newCondition();
        /** Consumer → the first sequence number it still needs. */
        final Map<Object, Long> holds = new IdentityHashMap<>();
        PartitionLog log;
        EventRecord[] ring = new EventRecord[16];
        int head;
        int size;
        long firstSequence;
        long nextSequence;
        long nextOffset;
        long dropped;
        Instant lastEnqueued;

        Partition(String id, int retention) {
            this.id = id;
            this.retention = retention;
        }

        /** Stores one publish call: in the log first (if any), and only if that worked, in memory. */
        List<EventRecord> append(List<String> bodies, String partitionKey, Clock clock) {
            return appendKeyed(bodies, java.util.Collections.nCopies(bodies.size(), partitionKey), clock);
        }

        /** Appends the bodies, each with its own partition key (or null), as one write. */
        List<EventRecord> appendKeyed(List<String> bodies, List<String> partitionKeys, Clock clock) {
            long[] sizes = new long[bodies.size()];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = Objects.requireNonNull(bodies.get(i), "an event body is null").getBytes(StandardCharsets.UTF_8).length;
            }
            List<EventRecord> stored = new ArrayList<>(bodies.size());
            lock.lock();
            try {
                Instant enqueued = clock.instant();
                long sequence = nextSequence;
                long offset = nextOffset;
                for (int i = 0; i < sizes.length; i++) {
                    stored.add(new EventRecord(id, sequence++, offset, enqueued, partitionKeys.get(i), bodies.get(i)));
                    offset += sizes[i];
                }
                if (log != null) {
                    log.append(stored); // throws when not written: then nothing is stored or acknowledged
                }
                stored.forEach(this::add);
                nextSequence = sequence;
                nextOffset = offset;
                lastEnqueued = enqueued;
                if (log != null && log.full()) {
                    log.roll(nextSequence, nextOffset);
                    trim();
                }
                appended.signalAll();
            } finally {
                lock.unlock();
            }
            return stored;
        }

        /**
         * Lets go of what nobody needs: events below retention, and below every registered consumer. They
         * leave memory as well as the log, so a host that consumes as fast as it is fed holds its backlog,
         * not its history (retention alone would keep up to a million events a partition on the heap).
         */
        void trim() {
            long floor = firstSequence;
            if (!holds.isEmpty()) {
                floor = Math.max(floor, holds.values().stream().mapToLong(Long::longValue).min().getAsLong());
            }
            while (size > 0 && firstSequence < floor) {
                ring[head] = null;
                head = (head + 1) & (ring.length - 1);
                size--;
                firstSequence++;
            }
            if (log != null) {
                log.trimBelow(floor);
            }
        }

        @Override
        public void segment(long firstSequenceNumber, long firstOffset) {
            if (firstSequenceNumber > nextSequence) { // events before it are gone: nothing older stays retained
                while (size > 0) {
                    ring[head] = null;
                    head = (head + 1) & (ring.length - 1);
                    size--;
                }
                head = 0;
                firstSequence = firstSequenceNumber;
                nextSequence = firstSequenceNumber;
            }
            nextOffset = firstOffset;
        }

        @Override
        public void event(EventRecord event) {
            add(event);
            nextSequence = event.sequenceNumber() + 1;
            nextOffset = event.offset() + event.body().getBytes(StandardCharsets.UTF_8).length;
            lastEnqueued = event.enqueuedTime();
        }

        private void add(EventRecord event) {
            if (size == retention) {
                ring[head] = null;
                head = (head + 1) & (ring.length - 1);
                size--;
                firstSequence++;
                dropped++;
            }
            if (size == ring.length) {
                EventRecord[] grown = new EventRecord[ring.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = at(i);
                }
                ring = grown;
                head = 0;
            }
            ring[(head + size) & (ring.length - 1)] = event;
            size++;
        }

        EventRecord at(int index) {
            return ring[(head + index) & (ring.length - 1)];
        }

        List<EventRecord> copy(long from, int maxCount) {
            long start = Math.max(from, firstSequence);
            int count = (int) Math.max(0, Math.min(maxCount, nextSequence - start));
            List<EventRecord> events = new ArrayList<>(count);
            int offset = (int) (start - firstSequence);
            for (int i = 0; i < count; i++) {
                events.add(at(offset + i));
            }
            return events;
        }

        PartitionInfo info() {
            lock.lock();
            try {
                return new PartitionInfo(id, firstSequence, nextSequence, nextOffset, lastEnqueued, size, dropped);
            } finally {
                lock.unlock();
            }
        }
    }
}
