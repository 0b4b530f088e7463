package dev.sensorchat.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hourly rollup of one device from one source, as stored in the {@code telemetry} container
 * (partition key {@code deviceId}): written once the hour is final (minute windows are in
 * {@link MinuteWindows}). Kept far longer than minutes: reports are built from these.
 *
 * @param id         {@code h:<start>:<source key>}
 * @param deviceId   partition key
 * @param resolution {@code minute} or {@code hour}
 * @param start      window start (inclusive); the window ends one resolution later (exclusive)
 * @param metrics    statistics per metric
 * @param applied    highest applied position per source (see {@link AppliedPositions})
 * @param ttl        seconds until Cosmos DB deletes the document after its last write
 * @param minutes    hour windows only: per metric, the minutes of the hour that had a reading, as
 *                   bits 0-59 of a number written in hex (JSON numbers above 2^53 lose bits in
 *                   Cosmos DB), so availability (the share of minutes with data) comes from the
 *                   rollups; setting a bit twice changes nothing, so replays stay exact
 */
public record WindowDocument(String id, String deviceId, String resolution, Instant start,
                             Map<String, MetricStats> metrics, Map<String, Long> applied, Integer ttl,
                             Map<String, String> minutes) {

    /** An empty hourly rollup of one source ({@link MinuteWindows#hourId}). */
    public static WindowDocument emptyHour(String deviceId, long startMs, String source, int ttlSeconds) {
        return new WindowDocument(MinuteWindows.hourId(startMs, source), deviceId, Resolution.HOUR.label(), Instant.ofEpochMilli(startMs),
                Map.of(), Map.of(), ttlSeconds, Map.of());
    }

    private static Map<String, String> hex(Map<String, Long> masks) {
        if (masks == null) {
            return null;
        }
        Map<String, String> written = new TreeMap<>();
        masks.forEach((metric, mask) -> written.put(metric, Long.toHexString(mask)));
        return written;
    }

    /** Minutes of this hour in which {@code metric} had at least one reading. */
    public int minutesWithData(String metric) {
        String mask = minutes == null ? null : minutes.get(metric);
        return mask == null ? 0 : Long.bitCount(Long.parseUnsignedLong(mask, 16));
    }

    /**
     * Folds in the readings of {@code source} that come after what this document has applied, in
     * position order. Returns this document unchanged when all of them were applied before.
     */
    public WindowDocument apply(String source, List<SourcedReading> readings) {
        long applied = AppliedPositions.applied(this.applied, source);
        Map<String, MetricStats.Accumulator> accumulators = null;
        Map<String, Long> minuteMasks = null;
        if (Resolution.HOUR.label().equals(resolution)) {
            minuteMasks = new TreeMap<>();
            if (minutes != null) {
                for (var entry : minutes.entrySet()) {
                    minuteMasks.put(entry.getKey(), Long.parseUnsignedLong(entry.getValue(), 16));
                }
            }
        }
        long highest = applied;
        for (SourcedReading sourced : readings) {
            if (sourced.position() <= applied) {
                continue;
            }
            if (accumulators == null) {
                accumulators = new TreeMap<>();
                for (var entry : metrics.entrySet()) {
                    accumulators.put(entry.getKey(), MetricStats.Accumulator.from(entry.getValue()));
                }
            }
            Reading reading = sourced.reading();
            long minuteBit = 1L << (int) (Math.floorMod(reading.timestampMs(), 3_600_000L) / 60_000L);
            for (int i = 0; i < reading.metricCount(); i++) {
                accumulators.computeIfAbsent(reading.metric(i), name -> new MetricStats.Accumulator())
                        .add(reading.timestampMs(), reading.value(i));
                if (minuteMasks != null) {
                    minuteMasks.merge(reading.metric(i), minuteBit, (a, b) -> a | b);
                }
            }
            highest = Math.max(highest, sourced.position());
        }
        if (accumulators == null) {
            return this;
        }
        Map<String, MetricStats> folded = new TreeMap<>();
        accumulators.forEach((name, accumulator) -> folded.put(name, accumulator.toStats()));
        return new WindowDocument(id, deviceId, resolution, start, folded, AppliedPositions.advance(this.applied, source, highest), ttl,
                hex(minuteMasks));
    }
}
