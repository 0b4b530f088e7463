package dev.sensorchat.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.simulators.devices.Fleet;
import dev.sensorchat.simulators.devices.FleetSimulation;
import dev.sensorchat.simulators.devices.Scenario;
import dev.sensorchat.simulators.devices.SimEvent;
import dev.sensorchat.simulators.sinks.FileSink;
import dev.sensorchat.simulators.sinks.Outcomes;
import dev.sensorchat.simulators.sinks.Sink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {

    private static final long START = 1_795_305_600_000L; // 2026-11-22T00:00:00Z

    @TempDir
    Path dir;

    private static FleetSimulation simulation(long intervalMs, long durationMs) {
        Fleet fleet = new Fleet(1, Fleet.parseMix("thermostat=1"), Map.of(), Map.of(), List.of(), intervalMs, 0);
        return new FleetSimulation(fleet.profiles(1), 1, START, durationMs == 0 ? Long.MAX_VALUE : START + durationMs, Long.MAX_VALUE,
                Scenario.none(), false);
    }

    @Test
    void aSlowTargetHoldsTheGeneratorBackInsteadOfQueueingWithoutBound() {
        Outcomes outcomes = new Outcomes();
        AtomicLong maxLead = new AtomicLong();
        Runner[] runner = new Runner[1];
        Sink slow = new Sink() {
            @Override
            public void send(List<SimEvent> batch) throws InterruptedException {
                Thread.sleep(5);
                long lead = (runner[0].simulatedNow() - batch.get(batch.size() - 1).ts()) / 1_000; // events generated but not yet here
                maxLead.accumulateAndGet(lead, Math::max);
                outcomes.acknowledged(batch, 5_000_000);
            }

            @Override
            public void close() {
            }
        };
        runner[0] = new Runner(simulation(1_000, 600_000), slow, outcomes, new Runner.Settings(0, 10, 200, 2));
        Runner.Summary summary = runner[0].run();
        assertTrue(summary.succeeded());
        assertEquals(600, summary.sent());
        // In flight at most: the chunk being sent, two queued, one being filled.
        assertTrue(maxLead.get() <= 4 * 10, "the generator ran " + maxLead.get() + " events ahead");
    }

    @Test
    void interruptingSendsWhatWasGeneratedFlushesAndReports() throws Exception {
        Path file = dir.resolve("events.ndjson");
        Outcomes outcomes = new Outcomes();
        Runner runner = new Runner(simulation(10, 0), FileSink.toFile(file, outcomes), outcomes, new Runner.Settings(1, 100, 50, 4));
        CompletableFuture<Runner.Summary> run = CompletableFuture.supplyAsync(runner::run);
        Thread.sleep(700);
        runner.stop(5_000);
        Runner.Summary summary = run.get(5, TimeUnit.SECONDS);
        assertTrue(summary.interrupted());
        assertFalse(summary.succeeded());
        assertTrue(summary.sent() > 20, "real time at 100 events/s for 0.7 s: " + summary.sent());
        assertEquals(summary.sent(), summary.acknowledged());
        assertEquals(summary.sent(), Files.readAllLines(file).size(), "everything sent is flushed to the file");
    }

    @Test
    void speedPacesSimulatedTimeAgainstTheWallClock() {
        Outcomes outcomes = new Outcomes();
        long started = System.nanoTime();
        Sink discard = new Sink() {
            @Override
            public void send(List<SimEvent> batch) {
                outcomes.acknowledged(batch, 1);
            }

            @Override
            public void close() {
            }
        };
        // 60 simulated seconds at 120x: half a second.
        Runner.Summary summary = new Runner(simulation(1_000, 60_000), discard, outcomes, new Runner.Settings(120, 100, 50, 4)).run();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(60, summary.sent());
        assertTrue(seconds > 0.4 && seconds < 3, seconds + " s");
    }

    @Test
    void aTargetThatFailsEndsTheRunWithTheReason() {
        Outcomes outcomes = new Outcomes();
        Sink broken = new Sink() {
            @Override
            public void send(List<SimEvent> batch) throws java.io.IOException {
                outcomes.failed(batch.size(), "disk full");
                throw new java.io.IOException("disk full");
            }

            @Override
            public void close() {
            }
        };
        Runner.Summary summary = new Runner(simulation(1_000, 600_000), broken, outcomes, new Runner.Settings(0, 10, 200, 2)).run();
        assertFalse(summary.succeeded());
        assertEquals("disk full", summary.error());
        assertEquals(10, summary.failed());
        assertEquals(Map.of("disk full", 10L), summary.failureReasons());
    }

    @Test
    void aStopGivesUpOnWhatIsStillQueuedAfterTheStopTimeoutAndCountsIt() throws Exception {
        Outcomes outcomes = new Outcomes();
        Sink slow = new Sink() {
            @Override
            public void send(List<SimEvent> batch) throws InterruptedException {
                Thread.sleep(100);
                outcomes.acknowledged(batch, 100_000_000);
            }

            @Override
            public void close() {
            }
        };
        Runner runner = new Runner(simulation(1_000, 0), slow, outcomes, new Runner.Settings(0, 10, 200, 8));
        CompletableFuture<Runner.Summary> run = CompletableFuture.supplyAsync(runner::run);
        Thread.sleep(300); // the queue is full: 8 chunks would take 0.8 s
        long stopped = System.nanoTime();
        runner.stop(250);
        Runner.Summary summary = run.get(5, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - stopped) / 1e9;
        assertTrue(seconds >= 0.2 && seconds < 0.6, "sent for the stop timeout, then gave up: " + seconds + " s");
        assertTrue(summary.interrupted());
        assertEquals(summary.sent(), summary.acknowledged());
        assertEquals(0, summary.unanswered());
        assertTrue(summary.unsent() >= 40, "the queued chunks are counted as not sent: " + summary.unsent());
    }

    @Test
    void aSendThatHangsIsAbandonedShortlyAfterTheStopTimeoutAndCountedAsUnanswered() throws Exception {
        Outcomes outcomes = new Outcomes();
        CompletableFuture<Void> late = new CompletableFuture<>();
        Sink hanging = new Sink() {
            @Override
            public void send(List<SimEvent> batch) throws InterruptedException {
                try {
                    Thread.sleep(3_600_000); // an endpoint that never answers
                } finally {
                    late.thenRun(() -> outcomes.acknowledged(batch, 1)); // its answer, after the run gave up on it
                }
            }

            @Override
            public void close() {
            }
        };
        Runner runner = new Runner(simulation(1_000, 0), hanging, outcomes, new Runner.Settings(0, 10, 200, 2));
        CompletableFuture<Runner.Summary> run = CompletableFuture.supplyAsync(runner::run);
        Thread.sleep(200);
        long stopped = System.nanoTime();
        runner.stop(200);
        Runner.Summary summary = run.get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - stopped) / 1e9;
        assertTrue(seconds < 0.2 + Runner.ABANDON_AFTER_MS / 1000.0 + 1, seconds + " s");
        assertEquals(10, summary.sent());
        assertEquals(10, summary.unanswered(), "handed over, never answered");
        assertEquals(0, summary.acknowledged());
        late.complete(null);
        assertEquals(0, outcomes.acknowledged(), "an answer after the run ended changes nothing: the summary and ground truth agree");
    }
}
