package dev.sensorchat.localhost.eventhubs;

/**
 * A snapshot of an {@link EventHubConsumer}'s counters.
 *
 * @param deliveredBatches handler calls that succeeded (each checkpointed)
 * @param deliveredEvents events in those batches
 * @param failures handler calls that threw
 * @param redeliveries handler calls that repeated a failed batch (retries), successful or not
 * @param abandonedBatches batches checkpointed past, unprocessed, after the retry policy gave up
 * @param abandonedEvents events in those batches
 * @param expiredEvents events dropped by the hub's retention before this consumer reached them
 * @param checkpointFailures checkpoint writes that failed (the consumer goes on; a restart redelivers)
 * @param backlog events published but not yet checkpointed, over all partitions
 */
public record ConsumerStats(long deliveredBatches, long deliveredEvents, long failures, long redeliveries,
                            long abandonedBatches, long abandonedEvents, long expiredEvents,
                            long checkpointFailures, long backlog) {
}
