package dev.sensorchat.localhost.eventhubs;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints that last as long as the process. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();

    @Override
    public OptionalLong read(String hub, String consumerGroup, String partitionId) {
        Long value = checkpoints.get(key(hub, consumerGroup, partitionId));
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    @Override
    public void write(String hub, String consumerGroup, String partitionId, long sequenceNumber) {
        checkpoints.put(key(hub, consumerGroup, partitionId), sequenceNumber);
    }

    @Override
    public OptionalLong highest(String hub, String partitionId) {
        String normalised = CheckpointStore.normalise(hub);
        return checkpoints.entrySet().stream().filter(entry -> {
            String[] parts = entry.getKey().split("\n", -1);
            return parts[0].equals(normalised) && parts[2].equals(partitionId);
        }).mapToLong(Map.Entry::getValue).max();
    }

    private static String key(String hub, String consumerGroup, String partitionId) {
        return CheckpointStore.normalise(hub) + '\n' + CheckpointStore.normalise(consumerGroup) + '\n' + partitionId;
    }
}
