package dev.sensorchat.telemetry;

import dev.sensorchat.common.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowAggregationTest {

    private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    private static PositionedEvent event(long position, String device, long ts, double temperature) {
        return new PositionedEvent(position, new TelemetryEvent(device, null,
                List.of(new Reading(ts, new String[] {"temperature"}, new double[] {temperature}))));
    }

    @Test
    void batchIsGroupedByDeviceAndWindow() {
        Map<String, DeviceBatch> devices = BatchAggregator.group(List.of(
                event(1, "a", T0 + 1_000, 20),
                event(2, "b", T0 + 2_000, 30),
                event(3, "a", T0 + 61_000, 21),
                event(4, "a", T0 + 3_700_000, 22)));

        DeviceBatch a = devices.get("a");
        assertEquals(List.of("a", "b"), List.copyOf(devices.keySet()));
        assertEquals(List.of(T0, T0 + 60_000, T0 + 3_660_000), List.copyOf(a.windows(Resolution.MINUTE).keySet()));
        assertEquals(List.of(T0, T0 + 3_600_000), List.copyOf(a.windows(Resolution.HOUR).keySet()));
        assertEquals(List.of(1L, 3L, 4L), a.readings().stream().map(SourcedReading::position).toList());
    }

    @Test
    void windowStatisticsAreExact() {
        DeviceBatch batch = BatchAggregator.group(List.of(
                event(10, "a", T0 + 30_000, 5.0),
                event(11, "a", T0 + 10_000, -2.5), // out of order within the window
                event(12, "a", T0 + 50_000, 7.25),
                event(13, "a", T0 + 50_000, 8.0))).get("a"); // same time: the later arrival is "last"

        MinuteWindows window = MinuteWindows.empty("a", T0, "upload:gw-1/a.csv", 600).apply(batch.windows(Resolution.MINUTE).get(T0));

        MetricStats expected = new MetricStats(4, 5.0 - 2.5 + 7.25 + 8.0, -2.5, 8.0,
                Instant.ofEpochMilli(T0 + 10_000), Instant.ofEpochMilli(T0 + 50_000), 8.0);
        assertEquals(expected, window.minute(0, "temperature").toStats());
        assertEquals(expected, window.hour().get("temperature"), "the hour so far");
        assertEquals(Map.of("temperature", "1"), window.masks(), "minute 0 has data");
        assertEquals(MinuteWindows.id(T0, "upload:gw-1/a.csv"), window.id());
        assertTrue(window.id().matches("m:2026-11-22T10:00:00\\.000Z:upload:[0-9a-f]{16}"), window.id());
        assertEquals(13L, window.applied());
        assertEquals(600, window.ttl());
    }

    @Test
    void replayedReadingsAreSkippedWhateverTheBatchBoundaries() {
        List<PositionedEvent> stream = List.of(event(1, "a", T0 + 1_000, 1), event(2, "a", T0 + 2_000, 2),
                event(3, "a", T0 + 3_000, 3), event(4, "a", T0 + 4_000, 4));
        MinuteWindows once = apply(MinuteWindows.empty("a", T0, "upload:x", 60), stream);

        // First delivery [1,2,3], then a redelivery from the checkpoint cut differently: [1,2] and [3,4].
        MinuteWindows replayed = apply(MinuteWindows.empty("a", T0, "upload:x", 60), stream.subList(0, 3));
        replayed = apply(replayed, stream.subList(0, 2));
        replayed = apply(replayed, stream.subList(2, 4));

        assertEquals(Json.MAPPER.valueToTree(once), Json.MAPPER.valueToTree(replayed));
        assertSame(once, apply(once, stream), "a full replay changes nothing");
    }

    @Test
    void sourcesAreTrackedSeparately() {
        WindowDocument window = WindowDocument.emptyHour("a", T0, "eh:0", 60)
                .apply("eh:0", List.of(new SourcedReading(100, reading(T0, 1))))
                .apply("eh:1", List.of(new SourcedReading(5, reading(T0 + 1, 2))));
        assertEquals(2, window.metrics().get("temperature").count());
        assertEquals(Map.of("eh:0", 100L, "eh:1", 5L), window.applied());
    }

    @Test
    void onlyTheNewestUploadSourcesAreRemembered() {
        Map<String, Long> applied = Map.of("eh:0", 7L);
        for (int i = 0; i < AppliedPositions.MAX_UPLOAD_SOURCES + 5; i++) {
            applied = AppliedPositions.advance(applied, AppliedPositions.uploadSource("f" + i), 1);
        }
        assertEquals(AppliedPositions.MAX_UPLOAD_SOURCES + 1, applied.size());
        assertEquals(7L, applied.get("eh:0"), "Event Hubs partitions are never dropped");
        assertEquals(-1, AppliedPositions.applied(applied, AppliedPositions.uploadSource("f0")));
    }

    private static Reading reading(long ts, double value) {
        return new Reading(ts, new String[] {"temperature"}, new double[] {value});
    }

    private static MinuteWindows apply(MinuteWindows window, List<PositionedEvent> events) {
        DeviceBatch batch = BatchAggregator.group(events).get("a");
        return window.apply(batch.windows(Resolution.MINUTE).get(T0));
    }
}
