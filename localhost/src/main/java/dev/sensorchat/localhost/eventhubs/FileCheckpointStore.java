package dev.sensorchat.localhost.eventhubs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Checkpoints in one JSON file, so a restarted host resumes where it stopped:
 * <pre>{"checkpoints": {"&lt;hub&gt;": {"&lt;consumer group&gt;": {"0": 41, "1": 17}}}}</pre>
 * (names lower-cased). Every write rewrites the file through a temporary file in the same directory and
 * an atomic rename, so a crash leaves the old or the new file, never a torn one. The file is read once,
 * when the store is created; one store per file per process.
 */
public final class FileCheckpointStore implements CheckpointStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<Map<String, Map<String, Map<String, Map<String, Long>>>>> FORMAT =
            new TypeReference<>() { };

    /** "2" before "10". */
    private static final Comparator<String> PARTITION_ORDER =
            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    private final Path file;
    /** hub → consumer group → partition → sequence number; guarded by this. */
    private final Map<String, Map<String, Map<String, Long>>> checkpoints = new TreeMap<>();

    /** Loads the file if it exists; a file that is not a checkpoint file is an error, not a fresh start. */
    public FileCheckpointStore(Path file) {
        this.file = file.toAbsolutePath();
        if (Files.exists(this.file)) {
            try {
                Map<String, Map<String, Map<String, Map<String, Long>>>> content = JSON.readValue(this.file.toFile(), FORMAT);
                Map<String, Map<String, Map<String, Long>>> stored = content == null ? null : content.get("checkpoints");
                if (stored != null) {
                    stored.forEach((hub, groups) -> groups.forEach((group, partitions) -> partitions.forEach(
                            (partition, sequence) -> put(hub, group, partition, sequence))));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the checkpoint file " + this.file
                        + " (delete it to start over): " + e.getMessage(), e);
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized OptionalLong read(String hub, String consumerGroup, String partitionId) {
        Long value = checkpoints.getOrDefault(CheckpointStore.normalise(hub), Map.of())
                .getOrDefault(CheckpointStore.normalise(consumerGroup), Map.of()).get(partitionId);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    @Override
    public synchronized OptionalLong highest(String hub, String partitionId) {
        return checkpoints.getOrDefault(CheckpointStore.normalise(hub), Map.of()).values().stream()
                .filter(partitions -> partitions.containsKey(partitionId)).mapToLong(partitions -> partitions.get(partitionId)).max();
    }

    /** Records the checkpoint and rewrites the file; throws {@link UncheckedIOException} if that fails. */
    @Override
    public synchronized void write(String hub, String consumerGroup, String partitionId, long sequenceNumber) {
        put(hub, consumerGroup, partitionId, sequenceNumber);
        try {
            Path directory = file.getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            try {
                JSON.writeValue(temporary.toFile(), Map.of("checkpoints", checkpoints));
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }

    private void put(String hub, String consumerGroup, String partitionId, long sequenceNumber) {
        checkpoints.computeIfAbsent(CheckpointStore.normalise(hub), h -> new TreeMap<>())
                .computeIfAbsent(CheckpointStore.normalise(consumerGroup), g -> new TreeMap<>(PARTITION_ORDER))
                .put(partitionId, sequenceNumber);
    }
}
