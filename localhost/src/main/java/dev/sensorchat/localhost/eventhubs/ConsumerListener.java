package dev.sensorchat.localhost.eventhubs;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an {@link EventHubConsumer} reports besides its counters. Called on the partition's delivery
 * thread; an exception thrown here is ignored. Every method does nothing by default.
 */
public interface ConsumerListener {

    /** The handler threw; {@code retryIn} is the wait before the same events come again, or null if none will. */
    default void batchFailed(String consumer, String partitionId, List<EventRecord> batch, int attempt,
                             Throwable error, Duration retryIn) {
    }

    /** The retry policy gave up: the batch is checkpointed past and lost to this consumer. */
    default void retriesExhausted(String consumer, String partitionId, List<EventRecord> batch, int attempts,
                                  Throwable lastError) {
    }

    /** Events {@code fromSequenceNumber} to {@code toSequenceNumber} (inclusive) were dropped before delivery. */
    default void eventsExpired(String consumer, String partitionId, long fromSequenceNumber, long toSequenceNumber) {
    }

    /** The handler succeeded but the checkpoint could not be written. */
    default void checkpointFailed(String consumer, String partitionId, long sequenceNumber, RuntimeException error) {
    }

    ConsumerListener NONE = new ConsumerListener() { };

    /** Logs to java.util.logging: failures as WARNING, lost events as SEVERE. */
    static ConsumerListener logging(Logger logger) {
        return new ConsumerListener() {
            @Override
            public void batchFailed(String consumer, String partitionId, List<EventRecord> batch, int attempt,
                                    Throwable error, Duration retryIn) {
                logger.log(Level.WARNING, error, () -> consumer + ": partition " + partitionId + " batch "
                        + range(batch) + " failed on attempt " + attempt
                        + (retryIn == null ? "" : "; retrying in " + retryIn.toMillis() + " ms") + ": " + error);
            }

            @Override
            public void retriesExhausted(String consumer, String partitionId, List<EventRecord> batch, int attempts,
                                         Throwable lastError) {
                logger.log(Level.SEVERE, () -> consumer + ": partition " + partitionId + ": RETRIES EXHAUSTED after "
                        + attempts + " attempts; " + batch.size() + " events " + range(batch)
                        + " are checkpointed past and LOST to this function. Last error: " + lastError);
            }

            @Override
            public void eventsExpired(String consumer, String partitionId, long fromSequenceNumber, long toSequenceNumber) {
                logger.log(Level.SEVERE, () -> consumer + ": partition " + partitionId + ": events " + fromSequenceNumber
                        + ".." + toSequenceNumber + " were dropped by the hub's retention before delivery");
            }

            @Override
            public void checkpointFailed(String consumer, String partitionId, long sequenceNumber, RuntimeException error) {
                logger.log(Level.SEVERE, error, () -> consumer + ": partition " + partitionId + ": checkpoint at "
                        + sequenceNumber + " not written (a restart will redeliver): " + error.getMessage());
            }
        };
    }

    private static String range(List<EventRecord> batch) {
        return batch.isEmpty() ? "[]" : "[seq " + batch.get(0).sequenceNumber() + ".."
                + batch.get(batch.size() - 1).sequenceNumber() + "]";
    }
}
