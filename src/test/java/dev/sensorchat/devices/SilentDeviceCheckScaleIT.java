package dev.sensorchat.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.storage.ChangeFeedPage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreMeter;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The silent-device check over a large fleet in the local Cosmos DB server: every silent device
 * gets exactly one offline alert (in the alerts change feed too, where notifications start) within
 * the runs its budget allows, devices already offline or reporting get none, and telemetry batches
 * go through while two instances work off the backlog. Elapsed times and requests per device are
 * printed, never asserted (the README's "Silent devices" section quotes them). The fleet is 3,000
 * silent devices; {@code -Dsensorchat.silentDevices=10000} (and {@code -Dsensorchat.silentBudget})
 * for the figures, {@code -Dsensorchat.debugSlow=true} to print each run and each telemetry batch
 * over a second.
 */
@ExtendWith(LocalAzureExtension.class)
class SilentDeviceCheckScaleIT {

    private static final int SILENT = Integer.getInteger("sensorchat.silentDevices", 3_000);
    private static final int BUDGET = Integer.getInteger("sensorchat.silentBudget", 1_000);
    private static final int ALREADY_OFFLINE = Math.max(10, SILENT / 20);
    private static final int REPORTING = Math.max(10, SILENT / 20);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final long T0 = System.nanoTime();

    private static AppContext app(Map<String, String> settings) {
        return new AppContext(new AppSettings(settings), new TestClock(NOW));
    }

    private static Map<String, String> settings(LocalAzure azure) {
        Map<String, String> settings = new HashMap<>(azure.appSettings());
        settings.put(AppContext.SILENT_DEVICES_MAX_PER_RUN, Integer.toString(BUDGET));
        return settings;
    }

    @Test
    void aLargeSilentFleetGetsOneOfflineAlertPerDeviceWithinTheRunsItsBudgetAllows(LocalAzure azure) throws Exception {
        try (AppContext app = app(settings(azure))) {
            Fleet fleet = seed(app);
            SilentDeviceCheck check = app.silentDeviceCheck();
            int expectedRuns = (SILENT + BUDGET - 1) / BUDGET;
            List<String> runs = new ArrayList<>();
            StoreUsage.Counts before = app.storeMeter().total();
            long started = System.nanoTime();
            int opened = 0;
            for (int run = 1; run <= expectedRuns; run++) {
                long runStarted = System.nanoTime();
                SilentDeviceCheck.Result result = check.run();
                runs.add(String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - runStarted) / 1e9));
                assertEquals(Math.min(BUDGET, SILENT - opened), result.opened().size(), "run " + run);
                opened += result.opened().size();
                assertEquals(SILENT - opened, result.pending(), "run " + run + ": " + result.summary(BUDGET));
                assertEquals(SILENT + ALREADY_OFFLINE, result.silent());
                assertEquals(0, result.failed());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            StoreUsage.Counts used = app.storeMeter().total().minus(before);
            StoreUsage.Counts idleBefore = app.storeMeter().total();
            long idleStarted = System.nanoTime();
            assertEquals("silent=" + (SILENT + ALREADY_OFFLINE) + " opened=0", check.run().summary(BUDGET));
            double idleSeconds = (System.nanoTime() - idleStarted) / 1e9;
            StoreUsage.Counts idle = app.storeMeter().total().minus(idleBefore);
            System.out.printf(Locale.ROOT, "AFTER %,d silent devices (+%,d already offline, %,d reporting), at most %,d a run: "
                            + "%d runs (%s), %.1f s in all; %,d requests (%.2f per device), %,d documents read, %,d written, "
                            + "modelled %.0f RU (%.1f per device); a run with nothing left to do: %.2f s, %d requests, %.0f RU%n",
                    SILENT, ALREADY_OFFLINE, REPORTING, BUDGET, expectedRuns, String.join(", ", runs), seconds, used.requests(),
                    used.requests() / (double) SILENT, used.reads(), used.writes(), used.modelledRu(), used.modelledRu() / SILENT,
                    idleSeconds, idle.requests(), idle.modelledRu());

            fleet.assertExactlyOneOfflineAlertEach(app);
        }
    }

    @Test
    void telemetryBatchesGoThroughWhileTwoInstancesWorkOffABacklog(LocalAzure azure) throws Exception {
        Map<String, String> settings = settings(azure);
        try (AppContext one = app(settings); AppContext other = app(settings)) { // two instances, one database
            Fleet fleet = seed(one);
            EventHubBatchProcessor telemetry = one.eventHubBatches();
            List<String> live = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                live.add(String.format(Locale.ROOT, "live-%02d", i));
            }
            AtomicLongSequence sequence = new AtomicLongSequence();
            List<Double> idle = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                idle.add(batch(telemetry, live, sequence));
            }

            AtomicBoolean checking = new AtomicBoolean(true);
            AtomicInteger runs = new AtomicInteger();
            List<Double> during = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> ingest = CompletableFuture.runAsync(() -> {
                while (checking.get()) {
                    long at = System.nanoTime();
                    double seconds = batch(telemetry, live, sequence);
                    if (seconds > 1 && Boolean.getBoolean("sensorchat.debugSlow")) {
                        System.out.printf(Locale.ROOT, "SLOW batch at +%.1f s took %.1f s%n", (at - T0) / 1e9, seconds);
                    }
                    if (checking.get()) {
                        during.add(seconds); // finished while the checks were still running
                    }
                    sleep(200);
                }
            });
            long started = System.nanoTime();
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> workOff(one.silentDeviceCheck(), runs));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> workOff(other.silentDeviceCheck(), runs));
            int opened = a.get() + b.get();
            double seconds = (System.nanoTime() - started) / 1e9;
            checking.set(false);
            ingest.get();

            assertEquals(SILENT, opened, "each alert opened by exactly one instance");
            assertTrue(runs.get() <= 2 * ((SILENT + BUDGET - 1) / BUDGET + 1), runs.get() + " runs");
            assertTrue(!during.isEmpty(), "no telemetry batch went through while the checks ran");
            one.telemetryStreams().flushIdle(); // the devices' documents trail their streams by up to the flush period
            Instant last = Instant.ofEpochMilli(sequence.lastTs);
            for (String device : live) {
                assertEquals(last, one.devices().find(device).map(DeviceDocument::lastSeen).orElseThrow(),
                        device + "'s readings reached the read model");
            }
            fleet.assertExactlyOneOfflineAlertEach(one);
            List<Double> sorted = new ArrayList<>(during);
            Collections.sort(sorted);
            Collections.sort(idle);
            System.out.printf(Locale.ROOT, "AFTER two instances worked off %,d silent devices (at most %,d a run each) in %.1f s, "
                            + "%d runs; %d telemetry batches of 50 events meanwhile: median %.3f s, max %.3f s (idle: median %.3f s)%n",
                    SILENT, BUDGET, seconds, runs.get(), sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                    idle.get(idle.size() / 2));
        }
    }

    /** Runs the check until nothing is left for it; returns the alerts it opened. */
    private static int workOff(SilentDeviceCheck check, AtomicInteger runs) {
        int opened = 0;
        SilentDeviceCheck.Result result;
        do {
            long at = System.nanoTime();
            result = check.run();
            if (Boolean.getBoolean("sensorchat.debugSlow")) {
                System.out.printf(Locale.ROOT, "RUN %s at +%.1f s took %.1f s: %s%n", Thread.currentThread().getName(), (at - T0) / 1e9,
                        (System.nanoTime() - at) / 1e9, result.summary(BUDGET));
            }
            runs.incrementAndGet();
            assertEquals(0, result.failed(), result.summary(BUDGET));
            assertTrue(result.opened().size() <= BUDGET);
            opened += result.opened().size();
        } while (result.pending() > 0 || !result.opened().isEmpty());
        return opened;
    }

    private static final class AtomicLongSequence {
        long sequence;
        long lastTs;
    }

    /** One Event Hubs batch: a reading from each live device, now. Returns how long it took. */
    private static double batch(EventHubBatchProcessor telemetry, List<String> devices, AtomicLongSequence sequence) {
        List<EventHubBatchProcessor.Event> events = new ArrayList<>();
        Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        synchronized (sequence) {
            for (String device : devices) {
                sequence.sequence++;
                events.add(new EventHubBatchProcessor.Event("{\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                        + "\",\"metrics\":{\"temperature\":21.5}}", sequence.sequence, ts.plusMillis(20), String.valueOf(sequence.sequence * 100), device));
            }
            long started = System.nanoTime();
            EventHubBatchProcessor.Summary summary = telemetry.process("telemetry", "0", events);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(devices.size(), summary.accepted());
            sequence.lastTs = ts.toEpochMilli();
            return seconds;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Who is silent, who already has an offline alert, who reports. */
    private record Fleet(Set<String> silent, Map<String, String> alreadyOffline, Set<String> reporting) {

        void assertExactlyOneOfflineAlertEach(AppContext app) {
            CosmosStore<AlertDocument> alerts = app.store(Containers.ALERTS, AlertDocument.class);
            Map<String, List<String>> byDevice = new TreeMap<>();
            for (JsonNode alert : alerts.query(SqlQuery.of("SELECT c.id, c.deviceId FROM c WHERE c.type = @type AND c.ruleId = @rule")
                    .with("@type", AlertDocument.TYPE).with("@rule", AlertDocument.OFFLINE), JsonNode.class)) {
                byDevice.computeIfAbsent(alert.get("deviceId").asText(), id -> new ArrayList<>()).add(alert.get("id").asText());
            }
            Set<String> expected = new HashSet<>(silent);
            expected.addAll(alreadyOffline.keySet());
            assertEquals(expected, byDevice.keySet(), "offline alerts for exactly the silent devices");
            byDevice.forEach((device, ids) -> assertEquals(1, ids.size(), device + " has " + ids));
            alreadyOffline.forEach((device, id) -> assertEquals(List.of(id), byDevice.get(device), device + " kept its alert"));

            Map<String, Integer> active = new HashMap<>();
            for (JsonNode device : app.store(Containers.DEVICES, DeviceDocument.class)
                    .query(SqlQuery.of("SELECT c.deviceId, c.activeAlerts, c.offline FROM c"), JsonNode.class)) {
                String id = device.get("deviceId").asText();
                if (expected.contains(id)) {
                    assertEquals(byDevice.get(id).get(0), device.path("offline").path("alertId").asText(), id);
                }
                active.put(id, device.path("activeAlerts").asInt());
            }
            expected.forEach(id -> assertEquals(1, active.get(id), id + " counts its alert once"));
            reporting.forEach(id -> assertEquals(0, active.get(id), id));

            // Notifications start from the alerts change feed: each alert is there, once.
            Map<String, Integer> inFeed = new HashMap<>();
            ChangeFeedPage<AlertDocument> page = alerts.readChangesFromBeginning(1_000);
            while (!page.changes().isEmpty()) {
                page.changes().stream().filter(AlertDocument::isOffline).forEach(alert -> inFeed.merge(alert.deviceId(), 1, Integer::sum));
                page = alerts.readChanges(page.continuation(), 1_000);
            }
            assertEquals(expected, inFeed.keySet());
            assertTrue(inFeed.values().stream().allMatch(n -> n == 1), "each alert once in the change feed");
        }
    }

    /** Seeds the fleet as the streams would have written it, 16 writes at a time. */
    private static Fleet seed(AppContext app) throws Exception {
        CosmosStore<DeviceDocument> devices = app.store(Containers.DEVICES, DeviceDocument.class);
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> writes = new ArrayList<>();
            Set<String> silent = new HashSet<>();
            Set<String> offline = new HashSet<>();
            Set<String> reporting = new HashSet<>();
            for (int i = 0; i < SILENT + ALREADY_OFFLINE + REPORTING; i++) {
                String id = String.format(Locale.ROOT, "fleet-%06d", i);
                // Silent for an hour and more, each a little longer than the next; or reporting a second ago.
                boolean reports = i >= SILENT + ALREADY_OFFLINE;
                Instant lastSeen = reports ? NOW.minusSeconds(1) : NOW.minus(Duration.ofHours(1)).minusSeconds(i);
                (reports ? reporting : i < SILENT ? silent : offline).add(id);
                writes.add(writers.submit(() -> devices.upsert(device(app, id, lastSeen))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            Map<String, String> alreadyOffline = new HashMap<>();
            List<Future<?>> alerts = new ArrayList<>();
            for (String id : offline) {
                alerts.add(writers.submit(() -> {
                    DeviceDocument device = app.devices().find(id).orElseThrow();
                    AlertDocument alert = app.alerts().openOffline(id, device.lastSeen(), Severity.WARNING).orElseThrow();
                    synchronized (alreadyOffline) {
                        alreadyOffline.put(id, alert.id());
                    }
                }));
            }
            for (Future<?> alert : alerts) {
                alert.get();
            }
            return new Fleet(silent, alreadyOffline, reporting);
        } finally {
            writers.shutdown();
        }
    }

    private static DeviceDocument device(AppContext app, String id, Instant lastSeen) {
        long interval = 60_000;
        return new DeviceDocument(id, id, id, null, List.of(), lastSeen.minus(Duration.ofDays(1)), lastSeen,
                Map.of("temperature", new DeviceDocument.LatestValue(21.5, lastSeen)), 0, null, Map.of("eh:0", 10L), interval,
                app.silencePolicy().silentAfter(id, List.of(), lastSeen, interval), null, null);
    }
}
