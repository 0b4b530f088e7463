package dev.sensorchat.localhost.eventhubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalEventHub#durable}: what a hub acknowledged survives a restart, with its numbering. */
class DurableEventHubTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final EventHubTriggerOptions IMMEDIATE =
            EventHubTriggerOptions.DEFAULTS.withBatchSizes(100, 1).withMaxWaitTime(Duration.ofSeconds(60));

    @TempDir
    Path dir;

    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private LocalEventHub open(int partitions, CheckpointStore checkpoints, EventLogOptions options, int retention) throws Exception {
        LocalEventHub hub = LocalEventHub.durable("telemetry", partitions, Clock.fixed(T0, ZoneOffset.UTC), retention, dir.resolve("hub"),
                options, checkpoints, notes::add);
        open.add(hub);
        return hub;
    }

    private LocalEventHub open(CheckpointStore checkpoints) throws Exception {
        return open(2, checkpoints, EventLogOptions.DEFAULTS, LocalEventHub.DEFAULT_RETENTION_PER_PARTITION);
    }

    private EventHubConsumer consumer(LocalEventHub hub, CheckpointStore checkpoints, BatchHandler handler) {
        EventHubConsumer consumer = EventHubConsumer.builder(hub, handler).consumerGroup("sensorchat").checkpointStore(checkpoints)
                .options(IMMEDIATE).listener(ConsumerListener.NONE).build();
        open.add(() -> consumer.stop(Duration.ofSeconds(5)));
        return consumer;
    }

    private static List<EventRecord> all(LocalEventHub hub) {
        List<EventRecord> events = new ArrayList<>();
        hub.partitionIds().forEach(partition -> events.addAll(hub.read(partition, 0, Integer.MAX_VALUE)));
        return events;
    }

    @Test
    void aReopenedHubHasEveryEventAsItWasAndNumbersOnWhereItStopped() throws Exception {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        LocalEventHub first = open(checkpoints);
        // Bodies that test the line format: quotes, a newline, non-ASCII, a character beyond the BMP, a lone surrogate.
        List<String> awkward = List.of("{\"t\":1}", "line one\nline two", "é ü ß", "🌡 25.5", "\ud800 alone", "", "not json {");
        first.publish(awkward, "dev-1");
        first.publish(List.of("a", "b"), "dev-2");
        first.publish(List.of("unkeyed"), null);
        List<EventRecord> before = all(first);
        PartitionInfo p0 = first.partitionInfo("0");
        PartitionInfo p1 = first.partitionInfo("1");
        for (String partition : first.partitionIds()) {
            for (Path segment : first.logSegments(partition)) {
                byte[] bytes = Files.readAllBytes(segment);
                for (int i = 0; i < bytes.length; i++) {
                    assertTrue(bytes[i] > 0, segment + ": ASCII lines, every other character escaped (byte " + i + ")");
                }
                assertEquals(1 + all(first).stream().filter(e -> e.partitionId().equals(partition)).count(),
                        new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).lines().count(), "a header, then a line an event");
            }
        }
        first.close();

        LocalEventHub second = open(checkpoints);
        assertEquals(before, all(second), "bodies, keys, sequence numbers, offsets and enqueued times, as they were");
        assertEquals(p0, second.partitionInfo("0"));
        assertEquals(p1, second.partitionInfo("1"));
        String partition = second.partitionFor("dev-1");
        PartitionInfo info = second.partitionInfo(partition);
        EventRecord next = second.publish(List.of("after the restart"), "dev-1").get(0);
        assertEquals(info.nextSequenceNumber(), next.sequenceNumber(), "numbering goes on, never from 0 again");
        assertEquals(info.nextOffset(), next.offset(), "and so do offsets");
        assertTrue(notes.isEmpty(), notes.toString());
    }

    @Test
    void eventsAcknowledgedButNotConsumedBeforeARestartAreDeliveredAfterIt() throws Exception {
        FileCheckpointStore checkpoints = new FileCheckpointStore(dir.resolve("checkpoints.json"));
        LocalEventHub first = open(checkpoints);
        List<String> delivered = new CopyOnWriteArrayList<>();
        BatchHandler record = (partition, batch) -> batch.forEach(event -> delivered.add(event.body()));
        for (int i = 0; i < 30; i++) {
            first.publish(List.of("early-" + i), "dev-" + i % 5);
        }
        EventHubConsumer consumer = consumer(first, checkpoints, record);
        consumer.start();
        assertTrue(consumer.awaitCaughtUp(Duration.ofSeconds(20)));
        consumer.stop(Duration.ofSeconds(5));
        assertEquals(30, delivered.size());
        for (int i = 0; i < 40; i++) { // acknowledged with nobody consuming: the reported defect's 40 events
            first.publish(List.of("late-" + i), "dev-" + i % 5);
        }
        first.close();

        LocalEventHub second = open(new FileCheckpointStore(dir.resolve("checkpoints.json")));
        List<String> afterRestart = new CopyOnWriteArrayList<>();
        EventHubConsumer restarted = consumer(second, new FileCheckpointStore(dir.resolve("checkpoints.json")),
                (partition, batch) -> batch.forEach(event -> afterRestart.add(event.body())));
        restarted.start();
        assertTrue(restarted.awaitCaughtUp(Duration.ofSeconds(20)));
        assertEquals(IntStream.range(0, 40).mapToObj(i -> "late-" + i).sorted().toList(), afterRestart.stream().sorted().toList(),
                "exactly the unconsumed events, each once");
        assertEquals(0, restarted.stats().backlog());
        assertEquals(70, second.partitionIds().stream().mapToLong(second::nextSequenceNumber).sum());
    }

    @Test
    void aCheckpointBeyondTheEndOfTheLogMovesNumberingPastIt() throws Exception {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        LocalEventHub first = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        first.publish(List.of("e0", "e1", "e2", "e3", "e4"), null);
        first.close();
        // A machine crash (without fsync) lost the log's tail, but the checkpoint file says 9 were processed.
        checkpoints.write("telemetry", "sensorchat", "0", 9);
        checkpoints.write("telemetry", "other", "0", 2);

        LocalEventHub second = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        assertEquals(10, second.nextSequenceNumber("0"), "after the highest checkpoint");
        assertTrue(notes.stream().anyMatch(note -> note.contains("numbering continues at 10")), notes.toString());
        List<String> delivered = new CopyOnWriteArrayList<>();
        EventHubConsumer consumer = consumer(second, checkpoints, (partition, batch) -> batch.forEach(e -> delivered.add(e.sequenceNumber() + "=" + e.body())));
        consumer.start();
        second.publish(List.of("new"), null);
        assertTrue(consumer.awaitCaughtUp(Duration.ofSeconds(20)));
        assertEquals(List.of("10=new"), delivered, "the new event is not skipped as already checkpointed");
        second.close();

        LocalEventHub third = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        assertEquals(11, third.nextSequenceNumber("0"), "the jump is in the log itself");
        assertEquals(List.of("new"), third.read("0", 0, 100).stream().map(EventRecord::body).toList());
    }

    @Test
    void aTornLastLineFromACrashMidWriteIsCutOffNotFatal() throws Exception {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        LocalEventHub first = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        first.publish(List.of("a", "b"), null);
        first.publish(List.of("c"), null);
        Path segment = first.logSegments("0").get(0);
        first.close();
        long size = Files.size(segment);
        String torn = "{\"seq\":3,\"offset\":3,\"time\":\"2025-03-0";
        Files.writeString(segment, torn, StandardOpenOption.APPEND);

        LocalEventHub second = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        assertEquals(List.of("a", "b", "c"), second.read("0", 0, 100).stream().map(EventRecord::body).toList());
        assertEquals(size, Files.size(segment), "the torn bytes are cut off, so the next write starts on a line of its own");
        assertTrue(notes.stream().anyMatch(note -> note.contains("ignored the last " + torn.length() + " bytes")), notes.toString());
        assertEquals(3, second.publish(List.of("d"), null).get(0).sequenceNumber());
        second.close();
        notes.clear();
        assertEquals(List.of("a", "b", "c", "d"), open(1, checkpoints, EventLogOptions.DEFAULTS, 1000).read("0", 0, 100).stream()
                .map(EventRecord::body).toList());
        assertTrue(notes.isEmpty(), notes.toString());
    }

    @Test
    void aPublishCallThatACrashCutInTwoIsWholeOrAbsent() throws Exception {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        LocalEventHub first = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        first.publish(List.of("kept"), null);
        Path segment = first.logSegments("0").get(0);
        long whole = Files.size(segment);
        first.publish(List.of("x", "y", "z"), null);
        first.close();
        // Keep the call's first two lines, complete with their newlines: the third never reached the file.
        List<String> lines = Files.readAllLines(segment);
        Files.writeString(segment, String.join("\n", lines.subList(0, lines.size() - 1)) + "\n");

        LocalEventHub second = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        assertEquals(List.of("kept"), second.read("0", 0, 100).stream().map(EventRecord::body).toList());
        assertEquals(whole, Files.size(segment));
        assertTrue(notes.stream().anyMatch(note -> note.contains("a publish of 3 events with only 2 written")), notes.toString());
    }

    @Test
    void damageBeforeTheEndIsAnErrorThatNamesTheFileNotASilentLoss() throws Exception {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        LocalEventHub first = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        for (int i = 0; i < 5; i++) {
            first.publish(List.of("e" + i), null);
        }
        Path segment = first.logSegments("0").get(0);
        first.close();
        List<String> lines = new ArrayList<>(Files.readAllLines(segment));
        lines.set(2, "garbage");
        Files.write(segment, lines);

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> open(1, checkpoints, EventLogOptions.DEFAULTS, 1000));
        assertTrue(error.getMessage().contains(segment.toString()) && error.getMessage().contains("followed by more events"), error.getMessage());
    }

    @Test
    void consumedSegmentsAreDeletedSoTheLogDoesNotGrowForever() throws Exception {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        EventLogOptions small = new EventLogOptions(false, 2_000);
        LocalEventHub hub = open(1, checkpoints, small, 1_000_000);
        EventHubConsumer consumer = consumer(hub, checkpoints, (partition, batch) -> { });
        consumer.start();
        for (int i = 0; i < 2_000; i++) {
            hub.publish(List.of("{\"deviceId\":\"dev-1\",\"n\":" + i + "}"), null);
            if (i % 100 == 99) {
                assertTrue(consumer.awaitCaughtUp(Duration.ofSeconds(20)));
            }
        }
        assertTrue(consumer.awaitCaughtUp(Duration.ofSeconds(20)));
        hub.retainFrom(new Object(), "0", hub.nextSequenceNumber("0")); // a second consumer, also done
        hub.publish(List.of("one more"), null); // a roll or a checkpoint trims
        assertTrue(consumer.awaitCaughtUp(Duration.ofSeconds(20)));
        List<Path> segments = hub.logSegments("0");
        assertTrue(segments.size() <= 2, "only the segments with unconsumed events, and the one written: " + segments.size());
        try (var files = Files.list(segments.get(0).getParent())) {
            assertEquals(segments.size(), files.count(), "deleted on disk too");
        }
        hub.close();

        // Nothing registered: retention alone decides.
        LocalEventHub retained = LocalEventHub.durable("other", 1, Clock.systemUTC(), 50, dir.resolve("other"), small, checkpoints, notes::add);
        open.add(retained);
        for (int i = 0; i < 2_000; i++) {
            retained.publish(List.of("{\"n\":" + i + "}"), null);
        }
        assertTrue(retained.logSegments("0").size() <= 5, retained.logSegments("0").size() + " segments for 50 retained events");
        assertEquals(1_950, retained.partitionInfo("0").beginningSequenceNumber());
    }

    @Test
    void aPublishThatCannotBeWrittenIsRefusedAndStoresNothing() throws Exception {
        LocalEventHub hub = open(new InMemoryCheckpointStore());
        hub.publish(List.of("a"), null);
        hub.close();
        assertThrows(UncheckedIOException.class, () -> hub.publish(List.of("b"), null));
        assertThrows(UncheckedIOException.class, () -> hub.publishToPartition("1", List.of("b")));
        assertEquals(1, all(hub).size());
        assertEquals(1, hub.partitionIds().stream().mapToLong(hub::nextSequenceNumber).sum());
    }

    @Test
    void aLeftoverTemporarySegmentIsIgnoredAndAnUnsafeNameRefused() throws Exception {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        LocalEventHub first = open(1, checkpoints, EventLogOptions.DEFAULTS, 1000);
        first.publish(List.of("a"), null);
        first.close();
        Path leftover = dir.resolve("hub/0/" + PartitionLog.name(1) + ".tmp");
        Files.writeString(leftover, "{\"partit", StandardCharsets.UTF_8);
        assertEquals(1, open(1, checkpoints, EventLogOptions.DEFAULTS, 1000).nextSequenceNumber("0"));
        assertFalse(Files.exists(leftover));
        assertThrows(IllegalStateException.class, () -> LocalEventHub.durable("../escape", 1, Clock.systemUTC(), 10, dir,
                EventLogOptions.DEFAULTS, checkpoints, notes::add));
    }
}
