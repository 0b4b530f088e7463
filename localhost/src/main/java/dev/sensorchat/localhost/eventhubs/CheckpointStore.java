package dev.sensorchat.localhost.eventhubs;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * Where consumers record how far they got. A checkpoint is the sequence number of the last event a
 * consumer processed (as in Event Hubs checkpoints); reading resumes after it. Hub and consumer group
 * names are case-insensitive, as on Event Hubs. Implementations are thread-safe.
 */
public interface CheckpointStore {

    OptionalLong read(String hub, String consumerGroup, String partitionId);

    void write(String hub, String consumerGroup, String partitionId, long sequenceNumber);

    /** The highest checkpoint any consumer group holds on the partition, or empty when none holds one. */
    OptionalLong highest(String hub, String partitionId);

    /** The normalised name implementations key on. */
    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
