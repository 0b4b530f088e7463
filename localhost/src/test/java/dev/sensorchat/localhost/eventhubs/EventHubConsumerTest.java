package dev.sensorchat.localhost.eventhubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHubConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EventHubTriggerOptions IMMEDIATE =
            EventHubTriggerOptions.DEFAULTS.withBatchSizes(100, 1).withMaxWaitTime(Duration.ofSeconds(60));
    private static final RetryPolicy FAST_FOREVER =
            RetryPolicy.exponentialBackoff(-1, Duration.ofMillis(1), Duration.ofMillis(5));

    private final List<EventHubConsumer> consumers = new ArrayList<>();

    @AfterEach
    void stopConsumers() {
        consumers.forEach(consumer -> consumer.stop(Duration.ofSeconds(5)));
    }

    private EventHubConsumer start(EventHubConsumer.Builder builder) {
        EventHubConsumer consumer = builder.listener(ConsumerListener.NONE).build();
        consumers.add(consumer);
        consumer.start();
        return consumer;
    }

    @Test
    void batchesNeverExceedTheMaximumAndEachPartitionIsDeliveredOnceInOrder() throws Exception {
        LocalEventHub hub = new LocalEventHub("telemetry", 4);
        Map<String, List<String>> sentPerKey = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            String key = "dev-" + i % 50;
            String body = key + ":" + i;
            hub.publish(List.of(body), key);
            sentPerKey.computeIfAbsent(key, k -> new ArrayList<>()).add(body);
        }
        Recorder recorder = new Recorder();
        EventHubConsumer consumer = start(EventHubConsumer.builder(hub, recorder)
                .options(IMMEDIATE.withBatchSizes(64, 1)));

        // More publishers while it runs.
        List<CompletableFuture<Void>> publishers = new ArrayList<>();
        List<List<String>> sentLive = new CopyOnWriteArrayList<>();
        for (int p = 0; p < 4; p++) {
            String key = "live-" + p;
            List<String> sent = new ArrayList<>();
            sentLive.add(sent);
            publishers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 300; i++) {
                    List<String> bodies = List.of(key + ":" + (3 * i), key + ":" + (3 * i + 1), key + ":" + (3 * i + 2));
                    hub.publish(bodies, key);
                    sent.addAll(bodies);
                }
            }));
        }
        CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertTrue(consumer.awaitCaughtUp(WAIT));

        assertFalse(recorder.overlapped, "a partition ran two batches at once");
        Map<String, List<String>> receivedPerKey = new HashMap<>();
        for (String partition : hub.partitionIds()) {
            List<Recorder.Call> calls = recorder.calls(partition);
            assertEquals(64, calls.get(0).batch().size(), "a full first batch from a backlog");
            calls.forEach(call -> assertTrue(call.batch().size() <= 64 && !call.batch().isEmpty()));
            List<Long> sequence = recorder.delivered(partition).stream().map(EventRecord::sequenceNumber).toList();
            assertEquals(LongStream.range(0, hub.nextSequenceNumber(partition)).boxed().toList(), sequence,
                    "partition " + partition + " delivered once each, in order");
            recorder.delivered(partition).forEach(event -> {
                assertEquals(partition, event.partitionId());
                receivedPerKey.computeIfAbsent(event.partitionKey(), k -> new ArrayList<>()).add(event.body());
            });
        }
        sentPerKey.forEach((key, bodies) -> assertEquals(bodies, receivedPerKey.get(key), key));
        for (List<String> sent : sentLive) {
            String key = sent.get(0).substring(0, sent.get(0).indexOf(':'));
            assertEquals(sent, receivedPerKey.get(key), key);
        }
        ConsumerStats stats = consumer.stats();
        assertEquals(2000 + 4 * 900, stats.deliveredEvents());
        assertEquals(recorder.calls().size(), stats.deliveredBatches());
        assertEquals(0, stats.failures());
        assertEquals(0, stats.backlog());
    }

    @Test
    void belowTheMinimumItWaitsUpToMaxWaitTimeThenDeliversWhatThereIs() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1);
        Recorder recorder = new Recorder();
        start(EventHubConsumer.builder(hub, recorder)
                .options(IMMEDIATE.withBatchSizes(100, 10).withMaxWaitTime(Duration.ofMillis(400))));

        long published = System.nanoTime();
        hub.publish(List.of("a", "b", "c"), null);
        Thread.sleep(150);
        assertEquals(List.of(), recorder.calls(), "too early: under the minimum and within maxWaitTime");
        awaitCalls(recorder, 1);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
        assertTrue(waitedMs >= 390, "delivered after " + waitedMs + " ms");
        assertEquals(List.of("a", "b", "c"), bodies(recorder.calls().get(0).batch()));
    }

    @Test
    void reachingTheMinimumDeliversWithoutWaitingForMaxWaitTime() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1);
        Recorder recorder = new Recorder();
        start(EventHubConsumer.builder(hub, recorder)
                .options(IMMEDIATE.withBatchSizes(100, 10).withMaxWaitTime(Duration.ofSeconds(60))));

        long started = System.nanoTime();
        hub.publish(List.of("1", "2", "3", "4"), null);
        Thread.sleep(50);
        hub.publish(List.of("5", "6", "7", "8", "9", "10"), null);
        awaitCalls(recorder, 1);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30));
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
                bodies(recorder.calls().get(0).batch()));
    }

    @Test
    void aFailedBatchComesBackUnchangedUntilItSucceedsAndIsCheckpointedOnlyThen() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 2);
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        List<String> checkpointViolations = new CopyOnWriteArrayList<>();
        // Batches starting at a multiple of 3 fail twice before succeeding.
        Map<String, Integer> attempts = new java.util.concurrent.ConcurrentHashMap<>();
        Recorder recorder = new Recorder(call -> {
            OptionalLong checkpoint = store.read("h", "$Default", call.partitionId());
            if (checkpoint.orElse(-1) != call.first() - 1) {
                checkpointViolations.add("batch from " + call.first() + " saw checkpoint " + checkpoint);
            }
            int attempt = attempts.merge(call.partitionId() + "@" + call.first(), 1, Integer::sum);
            return call.first() % 3 == 0 && attempt <= 2;
        });
        EventHubConsumer consumer = start(EventHubConsumer.builder(hub, recorder).checkpointStore(store)
                .options(IMMEDIATE.withBatchSizes(16, 1)).retryPolicy(FAST_FOREVER));

        for (int i = 0; i < 500; i++) {
            hub.publish(List.of("e" + i), "k" + i % 7);
            if (i % 50 == 0) {
                Thread.sleep(2);
            }
        }
        assertTrue(consumer.awaitCaughtUp(WAIT));

        assertEquals(List.of(), checkpointViolations);
        long failed = 0;
        for (String partition : hub.partitionIds()) {
            List<Recorder.Call> calls = recorder.calls(partition);
            for (int i = 0; i < calls.size(); i++) {
                if (!calls.get(i).succeeded()) {
                    failed++;
                    assertEquals(calls.get(i).batch(), calls.get(i + 1).batch(), "a failed batch is redelivered as it was");
                }
            }
            assertEquals(LongStream.range(0, hub.nextSequenceNumber(partition)).boxed().toList(),
                    recorder.delivered(partition).stream().map(EventRecord::sequenceNumber).toList());
            assertEquals(OptionalLong.of(hub.nextSequenceNumber(partition) - 1), store.read("h", "$default", partition));
        }
        assertTrue(failed > 0);
        ConsumerStats stats = consumer.stats();
        assertEquals(failed, stats.failures());
        assertEquals(failed, stats.redeliveries());
        assertEquals(500, stats.deliveredEvents());
        assertEquals(0, stats.abandonedBatches());
    }

    @Test
    void whenRetriesRunOutTheBatchIsCheckpointedPastAndReported() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1);
        List<String> exhausted = new CopyOnWriteArrayList<>();
        List<Duration> delays = new CopyOnWriteArrayList<>();
        ConsumerListener listener = new ConsumerListener() {
            @Override
            public void batchFailed(String consumer, String partitionId, List<EventRecord> batch, int attempt,
                                    Throwable error, Duration retryIn) {
                delays.add(retryIn);
            }

            @Override
            public void retriesExhausted(String consumer, String partitionId, List<EventRecord> batch, int attempts,
                                         Throwable lastError) {
                exhausted.add(consumer + " " + partitionId + " " + bodies(batch) + " after " + attempts + ": "
                        + lastError.getMessage());
            }
        };
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Recorder recorder = new Recorder(call -> call.batch().get(0).body().equals("poison"));
        EventHubConsumer consumer = EventHubConsumer.builder(hub, recorder).name("telemetry").checkpointStore(store)
                .options(IMMEDIATE.withBatchSizes(1, 1)).listener(listener)
                .retryPolicy(RetryPolicy.exponentialBackoff(2, Duration.ofMillis(1), Duration.ofMillis(2))).build();
        consumers.add(consumer);
        hub.publish(List.of("a", "poison", "b"), null);
        consumer.start();
        assertTrue(consumer.awaitCaughtUp(WAIT));

        assertEquals(List.of("a", "poison", "poison", "poison", "b"),
                recorder.calls().stream().map(call -> call.batch().get(0).body()).toList());
        assertEquals(List.of("telemetry 0 [poison] after 3: planned failure of 1 events"), exhausted);
        assertEquals(java.util.Arrays.asList(Duration.ofMillis(1), Duration.ofMillis(2), null), delays);
        assertEquals(OptionalLong.of(2), store.read("h", "$Default", "0"));
        ConsumerStats stats = consumer.stats();
        assertEquals(new ConsumerStats(2, 2, 3, 2, 1, 1, 0, 0, 0), stats);
    }

    @Test
    void withoutARetryPolicyAFailedBatchIsSkippedAtOnce() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1);
        Recorder recorder = new Recorder(call -> call.batch().get(0).body().equals("bad"));
        hub.publish(List.of("bad"), null);
        hub.publish(List.of("good"), null);
        EventHubConsumer consumer = start(EventHubConsumer.builder(hub, recorder).options(IMMEDIATE.withBatchSizes(1, 1)));
        assertTrue(consumer.awaitCaughtUp(WAIT));
        assertEquals(List.of("bad", "good"), recorder.calls().stream().map(call -> call.batch().get(0).body()).toList());
        assertEquals(1, consumer.stats().abandonedBatches());
    }

    @Test
    void fromStartReadsWhatIsAlreadyThereAndFromEndOnlyWhatComesAfterStart() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 2);
        hub.publishToPartition("0", List.of("old-0"));
        hub.publishToPartition("1", List.of("old-1a", "old-1b"));
        Recorder fromStart = new Recorder();
        Recorder fromEnd = new Recorder();
        EventHubConsumer first = start(EventHubConsumer.builder(hub, fromStart).name("first")
                .options(IMMEDIATE.withInitialPosition(StartPosition.FROM_START)));
        EventHubConsumer second = start(EventHubConsumer.builder(hub, fromEnd).name("second").consumerGroup("other")
                .options(IMMEDIATE.withInitialPosition(StartPosition.FROM_END)));
        assertEquals(Map.of("0", 1L, "1", 2L), second.positions());

        hub.publishToPartition("0", List.of("new-0"));
        hub.publishToPartition("1", List.of("new-1"));
        assertTrue(first.awaitCaughtUp(WAIT));
        assertTrue(second.awaitCaughtUp(WAIT));

        assertEquals(List.of("old-0", "new-0"), bodies(fromStart.delivered("0")));
        assertEquals(List.of("old-1a", "old-1b", "new-1"), bodies(fromStart.delivered("1")));
        assertEquals(List.of("new-0"), bodies(fromEnd.delivered("0")));
        assertEquals(List.of("new-1"), bodies(fromEnd.delivered("1")));
    }

    @Test
    void aCheckpointWinsOverTheStartPosition() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1);
        hub.publish(List.of("a", "b", "c", "d"), null);
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        store.write("H", "$Default", "0", 1);
        Recorder recorder = new Recorder();
        EventHubConsumer consumer = start(EventHubConsumer.builder(hub, recorder).checkpointStore(store)
                .options(IMMEDIATE.withInitialPosition(StartPosition.FROM_END)));
        assertTrue(consumer.awaitCaughtUp(WAIT));
        assertEquals(List.of("c", "d"), bodies(recorder.delivered("0")));
    }

    @Test
    void fromEnqueuedTimeStartsAtTheFirstEventEnqueuedThenOrLater() throws Exception {
        LocalEventHubTest.MutableClock clock = new LocalEventHubTest.MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        LocalEventHub hub = new LocalEventHub("h", 1, clock);
        hub.publish(List.of("early"), null);
        clock.now = Instant.parse("2025-01-01T00:01:00Z");
        hub.publish(List.of("on-time", "also"), null);
        Recorder recorder = new Recorder();
        EventHubConsumer consumer = start(EventHubConsumer.builder(hub, recorder).options(
                IMMEDIATE.withInitialPosition(StartPosition.fromEnqueuedTime(Instant.parse("2025-01-01T00:00:30Z")))));
        assertTrue(consumer.awaitCaughtUp(WAIT));
        assertEquals(List.of("on-time", "also"), bodies(recorder.delivered("0")));
    }

    @Test
    void eventsDroppedByRetentionBeforeDeliveryAreSkippedAndReported() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1, java.time.Clock.systemUTC(), 5);
        for (int i = 0; i < 12; i++) {
            hub.publish(List.of("e" + i), null);
        }
        List<String> expired = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder();
        EventHubConsumer consumer = EventHubConsumer.builder(hub, recorder).options(IMMEDIATE)
                .listener(new ConsumerListener() {
                    @Override
                    public void eventsExpired(String name, String partitionId, long from, long to) {
                        expired.add(partitionId + ":" + from + ".." + to);
                    }
                }).build();
        consumers.add(consumer);
        consumer.start();
        assertTrue(consumer.awaitCaughtUp(WAIT));
        assertEquals(List.of("e7", "e8", "e9", "e10", "e11"), bodies(recorder.delivered("0")));
        assertEquals(List.of("0:0..6"), expired);
        assertEquals(7, consumer.stats().expiredEvents());
    }

    @Test
    void stopLetsTheRunningBatchFinishAndCheckpoint() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1);
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        List<String> handled = new CopyOnWriteArrayList<>();
        EventHubConsumer consumer = start(EventHubConsumer.builder(hub, (partition, batch) -> {
            inHandler.countDown();
            release.await();
            handled.addAll(bodies(batch));
        }).checkpointStore(store).options(IMMEDIATE));
        hub.publish(List.of("a", "b"), null);
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> consumer.stop(Duration.ofSeconds(20)));
        Thread.sleep(100);
        assertFalse(stopped.isDone(), "stop waits for the running batch");
        hub.publish(List.of("after-stop"), null);
        release.countDown();
        assertTrue(stopped.get(20, TimeUnit.SECONDS));

        assertEquals(List.of("a", "b"), handled);
        assertEquals(OptionalLong.of(1), store.read("h", "$Default", "0"));
        assertEquals(1, consumer.stats().backlog(), "nothing delivered after stop");
    }

    @Test
    void stopCutsARetryWaitShortAndLeavesTheBatchUncheckpointed() throws Exception {
        LocalEventHub hub = new LocalEventHub("h", 1);
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Recorder recorder = new Recorder(call -> true);
        EventHubConsumer consumer = start(EventHubConsumer.builder(hub, recorder).checkpointStore(store).options(IMMEDIATE)
                .retryPolicy(RetryPolicy.exponentialBackoff(-1, Duration.ofHours(1), Duration.ofHours(1))));
        hub.publish(List.of("x"), null);
        awaitCalls(recorder, 1);
        long stopping = System.nanoTime();
        assertTrue(consumer.stop(Duration.ofSeconds(10)));
        assertTrue(System.nanoTime() - stopping < TimeUnit.SECONDS.toNanos(10));
        assertEquals(OptionalLong.empty(), store.read("h", "$Default", "0"));
        assertEquals(1, recorder.calls().size());
    }

    @Test
    void aConsumerStartsOnce() {
        EventHubConsumer consumer = start(EventHubConsumer.builder(new LocalEventHub("h", 1), new Recorder()));
        assertThrows(IllegalStateException.class, consumer::start);
    }

    private static void awaitCalls(Recorder recorder, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (recorder.calls().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + recorder.calls().size() + " calls");
            }
            Thread.sleep(5);
        }
    }

    private static List<String> bodies(List<EventRecord> events) {
        return events.stream().map(EventRecord::body).toList();
    }
}
