package dev.sensorchat.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertIds;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Condition;
import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.common.Json;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.SilencePolicy;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.InMemoryStores;
import dev.sensorchat.storage.StoreMeter;
import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.TelemetryEvent;
import dev.sensorchat.telemetry.WindowDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The stream processor against the app's storage code on in-memory containers (no server: this
 * is about the processor's logic; the same code runs against the local Cosmos DB server in the
 * integration tests). A generated stream of 12 devices over 40 minutes, across an hour boundary,
 * with out-of-order and late readings and one overheating device, is delivered the way Event Hubs
 * does: in batches of any size, some twice, some again after a crash from an older checkpoint,
 * and by two instances at once. The read model must equal a ground truth computed here.
 */
class StreamProcessorTest {

    private static final String STREAM = "eh:0";
    private static final long T0 = Instant.parse("2026-11-20T08:40:00Z").toEpochMilli();
    private static final int DEVICES = 12;
    private static final int MINUTES = 40;
    private static final String HOT = "d-01";
    private static final Rule OVERHEAT = new Rule("overheat", "Overheating", RuleScope.all(), "temperature", Operator.GT, 80,
            null, 2, new Condition(Operator.LT, 70), Severity.CRITICAL, true, null, null, null);
    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(4);

    /** One reading as the test knows it, in stream order. */
    record Sent(long position, long enqueued, String deviceId, long ts, double temperature, double humidity) {
    }

    @AfterAll
    static void stop() {
        WRITERS.shutdown();
    }

    private static List<Sent> stream() {
        return stream(DEVICES);
    }

    private static List<Sent> stream(int devices) {
        Random random = new Random(11);
        List<Sent> readings = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            String id = String.format("d-%02d", d);
            for (long ts = T0 + d * 700L; ts < T0 + MINUTES * 60_000L; ts += 10_000) {
                int minute = (int) ((ts - T0) / 60_000);
                double temperature = id.equals(HOT) && minute >= 10 && minute < 13 ? 90 + random.nextInt(5)
                        : id.equals(HOT) && minute >= 13 ? 60 : 20 + d + random.nextInt(100) / 10.0;
                long enqueued = ts + 150;
                if (!id.equals(HOT) && random.nextInt(60) == 0) {
                    enqueued = ts + 180_000; // late: three minutes, within the allowed lateness
                } else if (!id.equals(HOT) && random.nextInt(40) == 0) {
                    enqueued = ts + 10_500; // out of order: after the device's next reading
                }
                readings.add(new Sent(-1, enqueued, id, ts, temperature, 40 + random.nextInt(200) / 10.0));
            }
        }
        readings.sort(Comparator.comparingLong(Sent::enqueued));
        List<Sent> positioned = new ArrayList<>(readings.size());
        for (int i = 0; i < readings.size(); i++) {
            Sent r = readings.get(i);
            positioned.add(new Sent(1000 + i, r.enqueued(), r.deviceId(), r.ts(), r.temperature(), r.humidity()));
        }
        return positioned;
    }

    private static List<StreamEvent> events(List<Sent> sent) {
        List<StreamEvent> events = new ArrayList<>(sent.size());
        for (Sent s : sent) {
            Reading reading = new Reading(s.ts(), new String[] {"temperature", "humidity"}, new double[] {s.temperature(), s.humidity()});
            events.add(new StreamEvent(s.position(), s.enqueued(), new TelemetryEvent(s.deviceId(), s.position(), List.of(reading))));
        }
        return events;
    }

    /** Exact statistics computed here, in stream order, per device and window start. */
    private static Map<String, Map<Long, Map<String, MetricStats>>> truth(List<Sent> sent, long window) {
        Map<String, Map<Long, Map<String, MetricStats.Accumulator>>> folding = new TreeMap<>();
        for (Sent s : sent) {
            Map<String, MetricStats.Accumulator> stats = folding.computeIfAbsent(s.deviceId(), k -> new TreeMap<>())
                    .computeIfAbsent(Math.floorDiv(s.ts(), window) * window, k -> new TreeMap<>());
            stats.computeIfAbsent("temperature", k -> new MetricStats.Accumulator()).add(s.ts(), s.temperature());
            stats.computeIfAbsent("humidity", k -> new MetricStats.Accumulator()).add(s.ts(), s.humidity());
        }
        Map<String, Map<Long, Map<String, MetricStats>>> done = new TreeMap<>();
        folding.forEach((device, windows) -> windows.forEach((start, metrics) -> {
            Map<String, MetricStats> out = new TreeMap<>();
            metrics.forEach((metric, accumulator) -> out.put(metric, accumulator.toStats()));
            done.computeIfAbsent(device, k -> new TreeMap<>()).put(start, out);
        }));
        return done;
    }

    /** A fresh store, and processors (instances) on it. */
    private static final class Fixture {
        final StoreMeter meter = new StoreMeter();
        final InMemoryStores stores = new InMemoryStores(meter);
        final StreamStore store = stores.streamStore(Duration.ofDays(2));
        final StreamSettings settings = StreamSettings.defaults(Duration.ofMinutes(10), Duration.ofDays(7), Duration.ofDays(400),
                SilencePolicy.defaults());

        StreamProcessor instance() {
            Rules rules = Rules.of(List.of(OVERHEAT));
            return new StreamProcessor(STREAM, store, () -> rules, settings, WRITERS);
        }

        /** The read model of one device: minutes and hours, merged over documents. */
        Map<Long, Map<String, MetricStats>> minutes(String deviceId) {
            Map<Long, Map<String, MetricStats>> found = new TreeMap<>();
            for (ObjectNode json : stores.container(Containers.TELEMETRY).partition(deviceId)) {
                if (json.path("id").asText().startsWith("m:")) {
                    MinuteWindows doc = convert(json, MinuteWindows.class);
                    doc.minutes().forEach((key, metrics) -> {
                        long start = doc.startMs() + Integer.parseInt(key) * 60_000L;
                        Map<String, MetricStats> stats = new TreeMap<>();
                        metrics.forEach((metric, compact) -> stats.put(metric, MinuteWindows.expand(compact, start).toStats()));
                        found.put(start, stats);
                    });
                }
            }
            return found;
        }

        Map<Long, Map<String, MetricStats>> hours(String deviceId, boolean finalOnly) {
            Map<Long, Map<String, MetricStats>> found = new TreeMap<>();
            for (ObjectNode json : stores.container(Containers.TELEMETRY).partition(deviceId)) {
                String id = json.path("id").asText();
                if (id.startsWith("h:")) {
                    WindowDocument doc = convert(json, WindowDocument.class);
                    found.put(doc.start().toEpochMilli(), doc.metrics());
                } else if (id.startsWith("m:") && !finalOnly) {
                    MinuteWindows doc = convert(json, MinuteWindows.class);
                    found.putIfAbsent(doc.startMs(), doc.hour());
                }
            }
            return found;
        }

        List<AlertDocument> alerts() {
            List<AlertDocument> alerts = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                for (ObjectNode json : stores.container(Containers.ALERTS).partition(String.format("d-%02d", d))) {
                    alerts.add(convert(json, AlertDocument.class));
                }
            }
            return alerts;
        }

        DeviceDocument device(String deviceId) {
            return store.device(deviceId).orElseThrow().value();
        }

        long writes() {
            return meter.total().writes();
        }
    }

    private static <T> T convert(ObjectNode json, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deliver(StreamProcessor processor, List<StreamEvent> batch) {
        processor.process(batch, batch.get(batch.size() - 1).position());
    }

    private static void assertReadModelEqualsTruth(Fixture fixture, List<Sent> sent) {
        assertReadModelEqualsTruth(fixture, sent, DEVICES);
    }

    private static void assertReadModelEqualsTruth(Fixture fixture, List<Sent> sent, int devices) {
        Map<String, Map<Long, Map<String, MetricStats>>> minutes = truth(sent, 60_000);
        Map<String, Map<Long, Map<String, MetricStats>>> hours = truth(sent, 3_600_000);
        assertEquals(devices, minutes.size());
        for (String device : minutes.keySet()) {
            assertEquals(minutes.get(device), fixture.minutes(device), "minutes of " + device);
            assertEquals(hours.get(device), fixture.hours(device, false), "hours of " + device);
            // 08:00 is final: its rollup is its own document, with the hour's readings exactly.
            long eight = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
            assertEquals(Map.of(eight, hours.get(device).get(eight)), fixture.hours(device, true), "final hours of " + device);
        }
    }

    private static void assertOneOverheatAlert(Fixture fixture, List<Sent> sent) {
        List<Sent> hot = sent.stream().filter(s -> s.deviceId().equals(HOT)).sorted(Comparator.comparingLong(Sent::ts)).toList();
        long opened = hot.stream().filter(s -> s.temperature() > 80).skip(1).findFirst().orElseThrow().ts();
        long resolved = hot.stream().filter(s -> s.ts() > opened && s.temperature() < 70).findFirst().orElseThrow().ts();
        List<AlertDocument> alerts = fixture.alerts();
        assertEquals(1, alerts.size(), "one alert: replays and a second instance open nothing twice");
        AlertDocument alert = alerts.get(0);
        assertEquals(AlertIds.of(HOT, "overheat", opened), alert.id());
        assertEquals(AlertState.RESOLVED, alert.state());
        assertEquals(Instant.ofEpochMilli(resolved), alert.resolvedAt());
        assertEquals(List.of(AlertState.OPEN, AlertState.RESOLVED), alert.transitions().stream().map(AlertDocument.Transition::state).toList());
    }

    @Test
    void oneInstanceWritesTheExactAggregatesAndFarFewerDocumentsThanEvents() {
        Fixture fixture = new Fixture();
        List<Sent> sent = stream();
        List<StreamEvent> events = events(sent);
        StreamProcessor processor = fixture.instance();
        for (int i = 0; i < events.size(); i += 50) {
            deliver(processor, events.subList(i, Math.min(events.size(), i + 50)));
        }
        processor.flushIdle();
        assertReadModelEqualsTruth(fixture, sent);
        assertOneOverheatAlert(fixture, sent);
        // Devices report every 10 s here: six readings a minute, written as about one minute
        // patch, one device patch and a share of a segment.
        double writesPerEvent = (double) fixture.writes() / events.size();
        assertTrue(writesPerEvent < 0.4, "writes per event: " + writesPerEvent + " " + fixture.meter.byContainer());
        assertEquals(1, processor.recoveries(), "one start, no rebuilds");
    }

    @Test
    void aReplayedBatchWritesNothingAndAFreshOneWritesOneSegment() {
        Fixture fixture = new Fixture();
        List<StreamEvent> events = events(stream());
        StreamProcessor processor = fixture.instance();
        deliver(processor, events.subList(0, 40));
        deliver(processor, events.subList(40, 80));
        long streamWrites = fixture.meter.of("streams").writes();
        long before = fixture.writes();
        deliver(processor, events.subList(0, 80));
        deliver(processor, events.subList(40, 60));
        assertEquals(before, fixture.writes(), "replays write nothing");
        deliver(processor, events.subList(70, 100)); // 20 new events after 10 replayed ones
        assertEquals(streamWrites + 1, fixture.meter.of("streams").writes(), "one segment; no checkpoint due yet");
    }

    @Test
    void atLeastOnceDeliveryWithCrashesGivesTheSameAggregates() {
        Fixture fixture = new Fixture();
        List<Sent> sent = stream();
        List<StreamEvent> events = events(sent);
        Random random = new Random(5);
        StreamProcessor processor = fixture.instance();
        int checkpoint = 0;
        int position = 0;
        int crashes = 0;
        while (position < events.size()) {
            List<StreamEvent> batch = events.subList(position, Math.min(events.size(), position + 5 + random.nextInt(60)));
            deliver(processor, batch);
            int roll = random.nextInt(10);
            if (roll == 0) {
                continue; // delivered again: the host did not store its checkpoint
            }
            if (roll == 1) {
                processor = fixture.instance(); // the instance died: a new one starts from the host's checkpoint
                position = checkpoint;
                crashes++;
                continue;
            }
            position += batch.size();
            if (random.nextBoolean()) {
                checkpoint = position;
            }
        }
        processor.flushIdle();
        assertTrue(crashes > 3, "crashes: " + crashes);
        assertReadModelEqualsTruth(fixture, sent);
        assertOneOverheatAlert(fixture, sent);
    }

    /**
     * R1 at scale: over 100,000 events, random batches are delivered again 1 to 3 times, and
     * instances die and restart from older checkpoints, cut differently each time; the read model
     * still equals the ground truth exactly, with one overheat alert.
     */
    @Test
    void overAHundredThousandEventsRedeliveredAtRandomTheAggregatesAreExact() {
        int devices = 460;
        Fixture fixture = new Fixture();
        List<Sent> sent = stream(devices);
        List<StreamEvent> events = events(sent);
        assertTrue(events.size() >= 100_000, "events: " + events.size());
        Random random = new Random(23);
        StreamProcessor processor = fixture.instance();
        int checkpoint = 0;
        int position = 0;
        long delivered = 0;
        int replays = 0;
        int crashes = 0;
        while (position < events.size()) {
            List<StreamEvent> batch = events.subList(position, Math.min(events.size(), position + 50 + random.nextInt(950)));
            int times = random.nextInt(8) == 0 ? 2 + random.nextInt(3) : 1; // sometimes 1 to 3 redeliveries
            for (int t = 0; t < times; t++) {
                deliver(processor, batch);
                delivered += batch.size();
            }
            replays += times - 1;
            if (random.nextInt(15) == 0) {
                processor = fixture.instance(); // died: a new instance resumes from the host's last checkpoint
                position = checkpoint;
                crashes++;
                continue;
            }
            position += batch.size();
            if (random.nextInt(3) == 0) {
                checkpoint = position;
            }
        }
        processor.flushIdle();
        assertTrue(replays > 10 && crashes > 3, "replays " + replays + ", crashes " + crashes);
        assertTrue(delivered > events.size(), "delivered " + delivered + " for " + events.size());
        assertReadModelEqualsTruth(fixture, sent, devices);
        assertOneOverheatAlert(fixture, sent);
    }

    @Test
    void twoInstancesOnOnePartitionAtOnceGiveTheSameAggregates() {
        Fixture fixture = new Fixture();
        List<Sent> sent = stream();
        List<StreamEvent> events = events(sent);
        StreamProcessor first = fixture.instance();
        StreamProcessor second = fixture.instance();
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < events.size(); i += 7) {
                deliver(first, events.subList(i, Math.min(events.size(), i + 7)));
            }
        });
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < events.size(); i += 11) {
                deliver(second, events.subList(i, Math.min(events.size(), i + 11)));
            }
        });
        CompletableFuture.allOf(a, b).join();
        first.flushIdle();
        second.flushIdle();
        assertTrue(first.recoveries() + second.recoveries() > 2, "they really raced");
        assertReadModelEqualsTruth(fixture, sent);
        assertOneOverheatAlert(fixture, sent);
    }

    /**
     * A flush of more minutes than a patch holds writes the document with one request: several
     * patches would leave it, between them, at a position ahead of minutes still to come, and an
     * instance reading a minute back then would lose the readings it trusts are in it.
     */
    @Test
    void aFlushOfManyMinutesWritesTheDocumentWholeInOneRequest() {
        Fixture fixture = new Fixture();
        List<String> minuteWrites = new ArrayList<>();
        StreamStore recording = (StreamStore) java.lang.reflect.Proxy.newProxyInstance(StreamStore.class.getClassLoader(),
                new Class<?>[] {StreamStore.class}, (proxy, method, args) -> {
                    if (method.getName().endsWith("Minutes")) {
                        minuteWrites.add(method.getName());
                    }
                    try {
                        return method.invoke(fixture.store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        StreamSettings rarely = new StreamSettings(fixture.settings.allowedLateness(), Duration.ofHours(2),
                fixture.settings.checkpointInterval(), fixture.settings.checkpointSegments(), fixture.settings.shards(),
                fixture.settings.minuteTtl(), fixture.settings.hourTtl(), fixture.settings.segmentTtl(), fixture.settings.silence());
        StreamProcessor processor = new StreamProcessor(STREAM, recording, () -> Rules.NONE, rarely, WRITERS);
        long eight = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < 120; i++) { // 20 minutes, six readings each
            long ts = eight + 5_000 + i * 10_000L;
            sent.add(new Sent(1000 + i, ts + 150, "d-00", ts, 20 + i % 7, 40 + i % 11));
        }
        List<StreamEvent> events = events(sent);
        for (int i = 0; i < events.size(); i += 10) {
            deliver(processor, events.subList(i, i + 10));
        }
        processor.flushIdle();

        assertEquals(List.of("createMinutes", "replaceMinutes"), minuteWrites,
                "created by the first batch, then 20 minutes at once in one replace");
        assertEquals(truth(sent, 60_000).get("d-00"), fixture.minutes("d-00"));
    }

    /**
     * The cost target at live load: devices reporting every second, a batch holding about one
     * event per device (the worst case for any per-device write). The per-event design writes
     * 1,000 documents per 1,000 events; this must write at most 50, and read no more than it writes.
     */
    @Test
    void atOneReadingASecondABatchOfAllDevicesCostsAtMostFiftyWritesPerThousandEvents() {
        Fixture fixture = new Fixture();
        StreamProcessor processor = fixture.instance();
        int devices = 100;
        long position = 0;
        long events = 0;
        for (int second = 0; second < 600; second++) {
            List<StreamEvent> batch = new ArrayList<>(devices);
            for (int d = 0; d < devices; d++) {
                long ts = T0 + second * 1000L + d * 7L;
                Reading reading = new Reading(ts, new String[] {"temperature", "humidity", "co2"},
                        new double[] {20 + (second % 7), 40 + d % 10, 600 + second % 50});
                batch.add(new StreamEvent(position++, ts + 200, new TelemetryEvent(String.format("live-%03d", d), null, List.of(reading))));
            }
            deliver(processor, batch);
            events += batch.size();
        }
        StoreUsage.Counts total = fixture.meter.total();
        double writesPerThousand = 1000.0 * total.writes() / events;
        assertTrue(writesPerThousand <= 50, writesPerThousand + " writes per 1,000 events: " + fixture.meter.byContainer());
        assertTrue(total.reads() <= total.writes(), "reads " + total.reads() + ", writes " + total.writes());
        assertTrue(total.writeBytes() < events * 100, total.writeBytes() / events + " bytes written per event");
    }

    @Test
    void devicesRegisterWithTheirLatestValuesAndSilenceDeadline() {
        Fixture fixture = new Fixture();
        List<Sent> sent = stream();
        StreamProcessor processor = fixture.instance();
        List<StreamEvent> events = events(sent);
        for (int i = 0; i < events.size(); i += 100) {
            deliver(processor, events.subList(i, Math.min(events.size(), i + 100)));
        }
        processor.flushIdle();
        Map<String, Sent> latest = new HashMap<>();
        for (Sent s : sent) {
            latest.merge(s.deviceId(), s, (a, b) -> b.ts() >= a.ts() ? b : a);
        }
        for (Sent expected : latest.values()) {
            DeviceDocument device = fixture.device(expected.deviceId());
            assertEquals(Instant.ofEpochMilli(expected.ts()), device.lastSeen());
            assertEquals(expected.temperature(), device.latest().get("temperature").value());
            assertEquals(10_000, device.intervalMs(), 1500, "learned interval of " + device.deviceId());
            assertTrue(device.silentAfter().isAfter(device.lastSeen().plus(Duration.ofMinutes(1))), "deadline allows for the reporting lag");
            assertEquals(0, device.activeAlerts());
            assertFalse(device.tags() == null);
        }
    }
}
