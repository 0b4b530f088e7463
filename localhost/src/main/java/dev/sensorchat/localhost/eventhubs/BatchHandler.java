package dev.sensorchat.localhost.eventhubs;

import java.util.List;

/** Runs one trigger invocation: a batch of one partition's events, in sequence order. */
@FunctionalInterface
public interface BatchHandler {

    /** Returning normally is success (the batch is checkpointed); throwing is failure (it is retried). */
    void handle(String partitionId, List<EventRecord> batch) throws Exception;
}
