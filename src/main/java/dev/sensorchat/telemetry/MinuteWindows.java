package dev.sensorchat.telemetry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sensorchat.common.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The minute windows of one device in one hour, from one source, as stored in the
 * {@code telemetry} container (partition key {@code deviceId}): one document per device, hour and
 * source instead of one per minute, so a device's last hour is one or two point-sized reads and
 * a minute costs one small patch. Each source (an Event Hubs partition, an upload) writes its own
 * document, so sources never contend; readers merge them.
 *
 * @param id       {@code m:<hour start>:<source key>}
 * @param start    the hour's start
 * @param source   where the readings came from ({@code eh:3}, {@code upload:<blob name>})
 * @param applied  the highest position of that source folded in (exactly-once bookkeeping)
 * @param hour     the hour so far, per metric (the final hourly rollup is its own document)
 * @param masks    per metric, the minutes of the hour with a reading (bits 0-59, in hex), as the
 *                 final rollup has them: for availability without reading the minutes
 * @param minutes  per minute of the hour ({@code "00"}..{@code "59"}), per metric, compact:
 *                 {@code [count, sum, min, max, first offset ms, last offset ms, last]}, offsets
 *                 from the minute's start
 * @param ttl      seconds Cosmos DB keeps it after its last write (the minute retention)
 */
public record MinuteWindows(String id, String deviceId, String resolution, Instant start, String source, long applied,
                            Map<String, MetricStats> hour, Map<String, String> masks, Map<String, Map<String, double[]>> minutes,
                            Integer ttl) {

    public static final String RESOLUTION = "minute";
    private static final String[] MINUTE_KEYS = new String[60];

    static {
        for (int i = 0; i < 60; i++) {
            MINUTE_KEYS[i] = (i < 10 ? "0" : "") + i;
        }
    }

    public static String id(long hourStartMs, String source) {
        return "m:" + Json.format(Instant.ofEpochMilli(hourStartMs)) + ":" + sourceKey(source);
    }

    /** The hourly rollup's id for the same hour and source. */
    public static String hourId(long hourStartMs, String source) {
        return "h:" + Json.format(Instant.ofEpochMilli(hourStartMs)) + ":" + sourceKey(source);
    }

    /**
     * Event Hubs sources are short and safe in ids; an upload is named by a hash of its blob name,
     * which may be long and hold characters ids cannot.
     */
    public static String sourceKey(String source) {
        if (!source.startsWith(AppliedPositions.UPLOAD_PREFIX)) {
            return source;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return "upload:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String minuteKey(int minuteOfHour) {
        return MINUTE_KEYS[minuteOfHour];
    }

    public static MinuteWindows empty(String deviceId, long hourStartMs, String source, int ttlSeconds) {
        return new MinuteWindows(id(hourStartMs, source), deviceId, RESOLUTION, Instant.ofEpochMilli(hourStartMs), source, -1,
                Map.of(), Map.of(), Map.of(), ttlSeconds);
    }

    /** The compact form of one minute's statistics. */
    public static double[] compact(MetricStats.Accumulator stats, long minuteStartMs) {
        return new double[] {stats.count(), stats.sum(), stats.min(), stats.max(),
                stats.firstTs() - minuteStartMs, stats.lastTs() - minuteStartMs, stats.last()};
    }

    public static MetricStats.Accumulator expand(double[] compact, long minuteStartMs) {
        return new MetricStats.Accumulator((long) compact[0], compact[1], compact[2], compact[3],
                minuteStartMs + (long) compact[4], minuteStartMs + (long) compact[5], compact[6]);
    }

    @JsonIgnore
    public long startMs() {
        return start.toEpochMilli();
    }

    /** One minute's statistics of one metric, or null when that minute has none. */
    public MetricStats.Accumulator minute(int minuteOfHour, String metric) {
        Map<String, double[]> metrics = minutes.get(minuteKey(minuteOfHour));
        double[] compact = metrics == null ? null : metrics.get(metric);
        return compact == null ? null : expand(compact, startMs() + minuteOfHour * 60_000L);
    }

    /**
     * Folds in the readings of this document's source that come after {@code applied}, in position
     * order; unchanged when all of them were applied before. For sources written by read, modify
     * and write (uploads); live streams write from their own state.
     */
    public MinuteWindows apply(List<SourcedReading> readings) {
        Map<String, MetricStats.Accumulator> hourly = null;
        Map<Integer, Map<String, MetricStats.Accumulator>> byMinute = null;
        long highest = applied;
        long hourStart = startMs();
        for (SourcedReading sourced : readings) {
            if (sourced.position() <= applied) {
                continue;
            }
            if (hourly == null) {
                hourly = new TreeMap<>();
                for (var entry : hour.entrySet()) {
                    hourly.put(entry.getKey(), MetricStats.Accumulator.from(entry.getValue()));
                }
                byMinute = new TreeMap<>();
            }
            Reading reading = sourced.reading();
            int minute = (int) ((reading.timestampMs() - hourStart) / 60_000L);
            Map<String, MetricStats.Accumulator> minuteStats = byMinute.get(minute);
            if (minuteStats == null) {
                minuteStats = new TreeMap<>();
                Map<String, double[]> stored = minutes.get(minuteKey(minute));
                if (stored != null) {
                    long minuteStart = hourStart + minute * 60_000L;
                    for (var entry : stored.entrySet()) {
                        minuteStats.put(entry.getKey(), expand(entry.getValue(), minuteStart));
                    }
                }
                byMinute.put(minute, minuteStats);
            }
            for (int i = 0; i < reading.metricCount(); i++) {
                hourly.computeIfAbsent(reading.metric(i), name -> new MetricStats.Accumulator()).add(reading.timestampMs(), reading.value(i));
                minuteStats.computeIfAbsent(reading.metric(i), name -> new MetricStats.Accumulator()).add(reading.timestampMs(), reading.value(i));
            }
            highest = Math.max(highest, sourced.position());
        }
        if (hourly == null) {
            return this;
        }
        Map<String, MetricStats> foldedHour = new TreeMap<>();
        hourly.forEach((metric, accumulator) -> foldedHour.put(metric, accumulator.toStats()));
        Map<String, Map<String, double[]>> foldedMinutes = new TreeMap<>(minutes);
        byMinute.forEach((minute, metrics) -> {
            Map<String, double[]> compacted = new TreeMap<>();
            long minuteStart = hourStart + minute * 60_000L;
            metrics.forEach((metric, accumulator) -> compacted.put(metric, compact(accumulator, minuteStart)));
            foldedMinutes.put(minuteKey(minute), compacted);
        });
        Map<String, Long> bits = new TreeMap<>();
        foldedMinutes.forEach((minute, metrics) -> metrics.keySet().forEach(metric ->
                bits.merge(metric, 1L << Integer.parseInt(minute), (a, b) -> a | b)));
        Map<String, String> foldedMasks = new TreeMap<>();
        bits.forEach((metric, mask) -> foldedMasks.put(metric, Long.toHexString(mask)));
        return new MinuteWindows(id, deviceId, resolution, start, source, highest, foldedHour, foldedMasks, foldedMinutes, ttl);
    }
}
