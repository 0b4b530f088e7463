package dev.sensorchat.localhost.eventhubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {

    @TempDir
    Path directory;

    @Test
    void aNewConsumerOnTheSameFileResumesAfterTheCheckpointedEvents() throws Exception {
        Path file = directory.resolve("state/checkpoints.json");
        LocalEventHub hub = new LocalEventHub("telemetry", 3);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hub.publish(List.of("first-" + i), "dev-" + i % 10);
            sent.add("first-" + i);
        }
        EventHubTriggerOptions options = EventHubTriggerOptions.DEFAULTS.withBatchSizes(7, 1);

        Recorder before = new Recorder();
        EventHubConsumer first = EventHubConsumer.builder(hub, before).name("telemetry").consumerGroup("sensorchat")
                .checkpointStore(new FileCheckpointStore(file)).options(options).listener(ConsumerListener.NONE).build();
        first.start();
        assertTrue(first.awaitCaughtUp(Duration.ofSeconds(20)));
        assertTrue(first.stop(Duration.ofSeconds(10)));

        for (int i = 0; i < 50; i++) {
            hub.publish(List.of("second-" + i), "dev-" + i % 10);
        }
        // A "restarted host": a new store read from the file, a new consumer.
        Recorder after = new Recorder();
        EventHubConsumer second = EventHubConsumer.builder(hub, after).name("telemetry").consumerGroup("sensorchat")
                .checkpointStore(new FileCheckpointStore(file)).options(options).listener(ConsumerListener.NONE).build();
        second.start();
        try {
            assertTrue(second.awaitCaughtUp(Duration.ofSeconds(20)));
        } finally {
            second.stop(Duration.ofSeconds(10));
        }

        List<String> firstRun = new ArrayList<>();
        List<String> secondRun = new ArrayList<>();
        for (String partition : hub.partitionIds()) {
            before.delivered(partition).forEach(event -> firstRun.add(event.body()));
            after.delivered(partition).forEach(event -> secondRun.add(event.body()));
        }
        assertEquals(sent.stream().sorted().toList(), firstRun.stream().sorted().toList());
        assertEquals(50, secondRun.size());
        assertTrue(secondRun.stream().allMatch(body -> body.startsWith("second-")), "nothing checkpointed came again");

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        for (String partition : hub.partitionIds()) {
            assertEquals(hub.nextSequenceNumber(partition) - 1,
                    json.path("checkpoints").path("telemetry").path("sensorchat").path(partition).asLong(-99));
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary files left behind");
        }
    }

    @Test
    void namesAreCaseInsensitiveAndValuesSurviveReopening() {
        Path file = directory.resolve("c.json");
        FileCheckpointStore store = new FileCheckpointStore(file);
        assertEquals(OptionalLong.empty(), store.read("Hub", "G", "0"));
        store.write("Hub", "G", "0", 5);
        store.write("hub", "g", "10", 7);
        store.write("hub", "g", "2", 9);
        store.write("other", "g", "0", 1);
        assertEquals(OptionalLong.of(5), store.read("HUB", "g", "0"));

        FileCheckpointStore reopened = new FileCheckpointStore(file);
        assertEquals(OptionalLong.of(5), reopened.read("hub", "g", "0"));
        assertEquals(OptionalLong.of(7), reopened.read("hub", "g", "10"));
        assertEquals(OptionalLong.of(9), reopened.read("hub", "g", "2"));
        assertEquals(OptionalLong.of(1), reopened.read("other", "G", "0"));
        assertEquals(OptionalLong.empty(), reopened.read("hub", "other", "0"));
    }

    @Test
    void aFileThatIsNotACheckpointFileIsAnErrorNotAFreshStart() throws Exception {
        Path file = directory.resolve("broken.json");
        Files.writeString(file, "{\"checkpoints\": [1, 2");
        UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> new FileCheckpointStore(file));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
    }
}
