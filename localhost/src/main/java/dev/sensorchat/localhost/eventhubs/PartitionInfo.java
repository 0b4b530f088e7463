package dev.sensorchat.localhost.eventhubs;

import java.time.Instant;

/**
 * A snapshot of one partition of a {@link LocalEventHub}.
 *
 * @param partitionId the partition
 * @param beginningSequenceNumber the oldest retained event's sequence number (the next one to be
 *     assigned when nothing is retained)
 * @param nextSequenceNumber the sequence number the next published event will get; also the number
 *     of events ever published to the partition
 * @param nextOffset the offset the next published event will get
 * @param lastEnqueuedTime when the last event was enqueued, or null before the first
 * @param retainedEvents events kept in memory
 * @param droppedEvents events dropped, oldest first, to keep within the retention cap
 */
public record PartitionInfo(String partitionId, long beginningSequenceNumber, long nextSequenceNumber,
                            long nextOffset, Instant lastEnqueuedTime, int retainedEvents, long droppedEvents) {

    /** The last published event's sequence number, or -1 when none was ever published. */
    public long lastEnqueuedSequenceNumber() {
        return nextSequenceNumber - 1;
    }
}
