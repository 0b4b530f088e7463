package dev.sensorchat.localhost.eventhubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalEventHubTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void sequenceNumbersAndOffsetsCountPerPartitionFromZero() {
        LocalEventHub hub = new LocalEventHub("telemetry", 4, Clock.fixed(T0, ZoneOffset.UTC));
        String key = "dev-1";
        String partition = Integer.toString(PartitionKeys.partitionFor(key, 4));

        List<EventRecord> first = hub.publish(List.of("ab", "é"), key);
        List<EventRecord> second = hub.publish(List.of("xyz"), key);

        assertEquals(List.of(
                new EventRecord(partition, 0, 0, T0, key, "ab"),
                new EventRecord(partition, 1, 2, T0, key, "é")), first);
        // "é" is two UTF-8 bytes: the next offset is 2 + 2
        assertEquals(List.of(new EventRecord(partition, 2, 4, T0, key, "xyz")), second);
        PartitionInfo info = hub.partitionInfo(partition);
        assertEquals(3, info.nextSequenceNumber());
        assertEquals(2, info.lastEnqueuedSequenceNumber());
        assertEquals(7, info.nextOffset());
        assertEquals(T0, info.lastEnqueuedTime());
        for (String other : hub.partitionIds()) {
            if (!other.equals(partition)) {
                assertEquals(0, hub.nextSequenceNumber(other));
                assertNull(hub.partitionInfo(other).lastEnqueuedTime());
            }
        }
    }

    @Test
    void aKeyedPublishSendsEachMessageToItsKeysPartitionInOrder() {
        LocalEventHub hub = new LocalEventHub("telemetry", 4, Clock.fixed(T0, ZoneOffset.UTC));
        // Keys on different partitions, and a message without one that takes the request's key.
        String a = "dev-a";
        String b = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "dev-" + i)
                .filter(key -> PartitionKeys.partitionFor(key, 4) != PartitionKeys.partitionFor(a, 4)).findFirst().orElseThrow();
        List<EventRecord> stored = hub.publishKeyed(List.of("a1", "b1", "a2", "x", "b2"), java.util.Arrays.asList(a, b, a, null, b), a);

        assertEquals(5, stored.size());
        assertEquals(List.of("a1", "a2", "x"), hub.read(hub.partitionFor(a), 0, 10).stream().map(EventRecord::body).toList());
        assertEquals(List.of(a, a, a), hub.read(hub.partitionFor(a), 0, 10).stream().map(EventRecord::partitionKey).toList());
        assertEquals(List.of("b1", "b2"), hub.read(hub.partitionFor(b), 0, 10).stream().map(EventRecord::body).toList());
        assertEquals(List.of(0L, 1L), hub.read(hub.partitionFor(b), 0, 10).stream().map(EventRecord::sequenceNumber).toList());
        assertThrows(IllegalArgumentException.class, () -> hub.publishKeyed(List.of("a"), List.of(), null));
    }

    @Test
    void enqueuedTimeIsTheClockAtPublish() {
        MutableClock clock = new MutableClock(T0);
        LocalEventHub hub = new LocalEventHub("h", 1, clock);
        hub.publish(List.of("a", "b"), null);
        clock.now = T0.plusSeconds(5);
        hub.publish(List.of("c"), null);
        List<EventRecord> events = hub.read("0", 0, 10);
        assertEquals(List.of(T0, T0, T0.plusSeconds(5)), events.stream().map(EventRecord::enqueuedTime).toList());
        assertEquals(2, hub.firstSequenceNumberAtOrAfter("0", T0.plusSeconds(1)));
        assertEquals(0, hub.firstSequenceNumberAtOrAfter("0", T0));
        assertEquals(3, hub.firstSequenceNumberAtOrAfter("0", T0.plusSeconds(6)));
    }

    @Test
    void keyedPublishesGoToTheKeysPartitionAndUnkeyedOnesRoundRobin() {
        LocalEventHub hub = new LocalEventHub("h", 3);
        for (String key : List.of("dev-1", "dev-2", "dev-3", "dev-4")) {
            List<EventRecord> stored = hub.publish(List.of("1", "2", "3"), key);
            String expected = Integer.toString(PartitionKeys.partitionFor(key, 3));
            assertEquals(expected, hub.partitionFor(key));
            stored.forEach(event -> assertEquals(expected, event.partitionId()));
            stored.forEach(event -> assertEquals(key, event.partitionKey()));
        }
        List<String> roundRobin = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<EventRecord> stored = hub.publish(List.of("a", "b"), i % 2 == 0 ? null : "");
            assertEquals(1, stored.stream().map(EventRecord::partitionId).distinct().count(), "one call, one partition");
            assertNull(stored.get(0).partitionKey());
            roundRobin.add(stored.get(0).partitionId());
        }
        assertEquals(List.of("0", "1", "2", "0", "1", "2"), roundRobin);
        assertEquals(List.of(), hub.publish(List.of(), "dev-1"));
        assertEquals("1", hub.publishToPartition("1", List.of("x")).get(0).partitionId());
    }

    @Test
    void manyConcurrentPublishersKeepEachKeysOrderAndContiguousSequenceNumbers() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 4);
        int publishers = 8;
        int callsEach = 500;
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String key = "dev-" + p;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < callsEach; i++) {
                    hub.publish(List.of(key + ":" + (2 * i), key + ":" + (2 * i + 1)), key);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : done) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Map<String, Integer> nextPerKey = new HashMap<>();
        long total = 0;
        for (String partition : hub.partitionIds()) {
            List<EventRecord> events = hub.read(partition, 0, Integer.MAX_VALUE);
            long offset = 0;
            for (int i = 0; i < events.size(); i++) {
                EventRecord event = events.get(i);
                assertEquals(i, event.sequenceNumber(), "contiguous sequence numbers in partition " + partition);
                assertEquals(offset, event.offset());
                offset += event.body().getBytes(StandardCharsets.UTF_8).length;
                String key = event.body().substring(0, event.body().indexOf(':'));
                int n = Integer.parseInt(event.body().substring(key.length() + 1));
                assertEquals(key, event.partitionKey());
                assertEquals(nextPerKey.getOrDefault(key, 0), n, "order of " + key);
                nextPerKey.put(key, n + 1);
            }
            total += events.size();
        }
        assertEquals((long) publishers * callsEach * 2, total);
    }

    @Test
    void retentionDropsTheOldestAndCountsThem() {
        LocalEventHub hub = new LocalEventHub("h", 1, Clock.systemUTC(), 5);
        for (int i = 0; i < 12; i++) {
            hub.publish(List.of("e" + i), null);
        }
        PartitionInfo info = hub.partitionInfo("0");
        assertEquals(7, info.beginningSequenceNumber());
        assertEquals(12, info.nextSequenceNumber());
        assertEquals(5, info.retainedEvents());
        assertEquals(7, info.droppedEvents());
        assertEquals(7, hub.droppedEvents());
        assertEquals(List.of("e7", "e8", "e9", "e10", "e11"), bodies(hub.read("0", 0, 100)));
        assertEquals(List.of("e9", "e10"), bodies(hub.read("0", 9, 2)));
        assertEquals(List.of(), hub.read("0", 12, 2));
    }

    @Test
    void eventsEveryConsumerIsPastLeaveMemoryAndTheSlowestConsumerKeepsItsOwn() {
        LocalEventHub hub = new LocalEventHub("h", 1, Clock.systemUTC(), 1_000_000);
        Object fast = new Object();
        Object slow = new Object();
        hub.retainFrom(fast, "0", 0);
        hub.retainFrom(slow, "0", 0);
        for (int i = 0; i < 100; i++) {
            hub.publish(List.of("e" + i), null);
        }
        hub.retainFrom(fast, "0", 90);
        hub.retainFrom(slow, "0", 40);
        assertEquals(40, hub.partitionInfo("0").beginningSequenceNumber());
        assertEquals(60, hub.partitionInfo("0").retainedEvents(), "what the slow consumer has not checkpointed stays");
        assertEquals(List.of("e40", "e41"), bodies(hub.read("0", 40, 2)));

        hub.retainFrom(slow, "0", 100);
        assertEquals(90, hub.partitionInfo("0").beginningSequenceNumber(), "now the other one's hold is the floor");
        hub.retainFrom(fast, "0", 100);
        PartitionInfo caughtUp = hub.partitionInfo("0");
        assertEquals(0, caughtUp.retainedEvents(), "both are past everything: nothing stays on the heap");
        assertEquals(100, caughtUp.beginningSequenceNumber());
        assertEquals(0, caughtUp.droppedEvents(), "released, not dropped: every consumer had them");
        hub.publish(List.of("e100"), null);
        assertEquals(List.of("e100"), bodies(hub.read("0", 100, 10)));
        assertEquals(101, hub.nextSequenceNumber("0"), "numbering goes on");
    }

    @Test
    void ringBufferKeepsOrderAcrossGrowthAndWrapping() {
        LocalEventHub hub = new LocalEventHub("h", 1, Clock.systemUTC(), 100);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            hub.publish(List.of("e" + i), null);
            List<EventRecord> window = hub.read("0", 0, Integer.MAX_VALUE);
            assertEquals(Math.min(i + 1, 100), window.size());
            for (int k = 0; k < window.size(); k++) {
                assertEquals(Math.max(0, i - 99) + k, window.get(k).sequenceNumber());
                assertEquals("e" + window.get(k).sequenceNumber(), window.get(k).body());
            }
            seen.add(window.get(window.size() - 1).sequenceNumber());
        }
        assertEquals(1000, seen.size());
    }

    @Test
    void unknownPartitionsAndBadArgumentsAreRefused() {
        LocalEventHub hub = new LocalEventHub("h", 2);
        assertThrows(IllegalArgumentException.class, () -> hub.read("2", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> hub.read("01", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> hub.partitionInfo("x"));
        assertThrows(IllegalArgumentException.class, () -> new LocalEventHub("h", 0));
        assertThrows(NullPointerException.class, () -> hub.publish(java.util.Arrays.asList("a", null), null));
        assertEquals(0, hub.nextSequenceNumber("0") + hub.nextSequenceNumber("1"), "a refused call stores nothing");
    }

    private static List<String> bodies(List<EventRecord> events) {
        return events.stream().map(EventRecord::body).toList();
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
