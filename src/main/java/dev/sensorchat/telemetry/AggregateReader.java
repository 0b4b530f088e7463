package dev.sensorchat.telemetry;

import dev.sensorchat.common.Json;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a device's aggregates: minute windows from the minute documents (one per device, hour and
 * source), hourly windows from the final rollups, and for hours not final yet from the running
 * rollup in the minute documents. Documents of several sources for the same hour are merged.
 * Every query stays inside the device's partition; a device's last hour is one or two documents.
 */
public final class AggregateReader {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    /** How much of the range one query covers: a day of minute documents, a month of hourly ones. */
    private static final long MINUTE_CHUNK = 24 * HOUR;
    private static final long HOUR_CHUNK = 31 * 24 * HOUR;
    /** A minute document without its minutes: what hourly reads need of it. */
    private static final String HOUR_FIELDS = "c.id, c.deviceId, c.resolution, c.start, c.source, c.applied, c.hour, c.masks";

    /**
     * One window of one metric.
     *
     * @param start window start; the window ends one resolution later
     */
    public record Window(Instant start, long count, double sum, double min, double max, double avg,
                         Instant firstTs, Instant lastTs, double last) {

        static Window of(long start, MetricStats.Accumulator stats) {
            return new Window(Instant.ofEpochMilli(start), stats.count(), stats.sum(), stats.min(), stats.max(),
                    stats.sum() / stats.count(), Instant.ofEpochMilli(stats.firstTs()), Instant.ofEpochMilli(stats.lastTs()), stats.last());
        }
    }

    private final CosmosStore<MinuteWindows> minutes;
    private final CosmosStore<WindowDocument> hours;

    public AggregateReader(CosmosStore<MinuteWindows> minutes, CosmosStore<WindowDocument> hours) {
        this.minutes = minutes;
        this.hours = hours;
    }

    /**
     * Windows that start in [from, to) and hold the metric, oldest first, {@code limit} at most a
     * page; the continuation is where the next page starts.
     */
    public Page<Window> read(String deviceId, String metric, Resolution resolution, Instant from, Instant to,
                             int limit, String continuation) {
        long start = continuation == null ? from.toEpochMilli() : resume(continuation, from, to);
        long end = to.toEpochMilli();
        List<Window> items = new ArrayList<>();
        long chunk = resolution == Resolution.MINUTE ? MINUTE_CHUNK : HOUR_CHUNK;
        for (long cursor = start; cursor < end && items.size() <= limit; ) {
            long chunkEnd = Math.min(end, Math.floorDiv(cursor, HOUR) * HOUR + chunk);
            items.addAll(resolution == Resolution.MINUTE ? minuteWindows(deviceId, metric, cursor, chunkEnd)
                    : hourWindows(deviceId, metric, cursor, chunkEnd));
            cursor = chunkEnd;
        }
        if (items.size() <= limit) {
            return new Page<>(items, null);
        }
        return new Page<>(List.copyOf(items.subList(0, limit)), "t" + items.get(limit).start().toEpochMilli());
    }

    /**
     * The hourly rollups of a device for hours starting in [from, to), one per hour whatever the
     * sources: final where the hour is final, else the running rollup. For reports.
     */
    public List<WindowDocument> hourlyRollups(String deviceId, Instant from, Instant to) {
        Map<Long, Map<String, MetricStats.Accumulator>> stats = new TreeMap<>();
        Map<Long, Map<String, Long>> masks = new TreeMap<>();
        for (var entry : hourParts(deviceId, from.toEpochMilli(), to.toEpochMilli()).entrySet()) {
            long hour = entry.getKey();
            for (Part part : entry.getValue().values()) {
                Map<String, MetricStats.Accumulator> merged = stats.computeIfAbsent(hour, h -> new TreeMap<>());
                part.stats.forEach((metric, s) -> merged.computeIfAbsent(metric, m -> new MetricStats.Accumulator()).merge(s));
                Map<String, Long> mergedMasks = masks.computeIfAbsent(hour, h -> new TreeMap<>());
                part.masks.forEach((metric, mask) -> mergedMasks.merge(metric, mask, (a, b) -> a | b));
            }
        }
        List<WindowDocument> rollups = new ArrayList<>(stats.size());
        stats.forEach((hour, metrics) -> {
            Map<String, MetricStats> out = new TreeMap<>();
            metrics.forEach((metric, accumulator) -> out.put(metric, accumulator.toStats()));
            Map<String, String> hex = new TreeMap<>();
            masks.get(hour).forEach((metric, mask) -> hex.put(metric, Long.toHexString(mask)));
            rollups.add(new WindowDocument("h:" + Json.format(Instant.ofEpochMilli(hour)), deviceId, Resolution.HOUR.label(),
                    Instant.ofEpochMilli(hour), out, Map.of(), null, hex));
        });
        return rollups;
    }

    private List<Window> minuteWindows(String deviceId, String metric, long from, long to) {
        Map<Long, MetricStats.Accumulator> windows = new TreeMap<>();
        for (MinuteWindows document : query(minutes, deviceId, MinuteWindows.RESOLUTION, Math.floorDiv(from, HOUR) * HOUR, to)) {
            for (var minute : document.minutes().entrySet()) {
                double[] compact = minute.getValue().get(metric);
                long start = document.startMs() + Integer.parseInt(minute.getKey()) * MINUTE;
                if (compact == null || start < from || start >= to) {
                    continue;
                }
                windows.computeIfAbsent(start, s -> new MetricStats.Accumulator()).merge(MinuteWindows.expand(compact, start));
            }
        }
        List<Window> found = new ArrayList<>(windows.size());
        windows.forEach((start, stats) -> found.add(Window.of(start, stats)));
        return found;
    }

    private List<Window> hourWindows(String deviceId, String metric, long from, long to) {
        List<Window> found = new ArrayList<>();
        for (var entry : hourParts(deviceId, from, to).entrySet()) {
            MetricStats.Accumulator merged = new MetricStats.Accumulator();
            for (Part part : entry.getValue().values()) {
                MetricStats.Accumulator stats = part.stats.get(metric);
                if (stats != null) {
                    merged.merge(stats);
                }
            }
            if (merged.count() > 0) {
                found.add(Window.of(entry.getKey(), merged));
            }
        }
        return found;
    }

    /** One source's rollup of one hour. */
    private record Part(Map<String, MetricStats.Accumulator> stats, Map<String, Long> masks) {
    }

    /**
     * Per hour starting in [from, to), per source: the final rollup where there is one, else the
     * running rollup of the source's minute document.
     */
    private Map<Long, Map<String, Part>> hourParts(String deviceId, long from, long to) {
        long firstHour = Math.floorDiv(from + HOUR - 1, HOUR) * HOUR;
        Map<Long, Map<String, Part>> parts = new TreeMap<>();
        for (WindowDocument rollup : query(hours, deviceId, Resolution.HOUR.label(), firstHour, to)) {
            Map<String, MetricStats.Accumulator> stats = new TreeMap<>();
            Map<String, Long> masks = new TreeMap<>();
            rollup.metrics().forEach((metric, s) -> {
                stats.put(metric, MetricStats.Accumulator.from(s));
                String mask = rollup.minutes() == null ? null : rollup.minutes().get(metric);
                masks.put(metric, mask == null ? 0L : Long.parseUnsignedLong(mask, 16));
            });
            String source = rollup.applied().isEmpty() ? rollup.id() : rollup.applied().keySet().iterator().next();
            parts.computeIfAbsent(rollup.start().toEpochMilli(), h -> new TreeMap<>()).put(source, new Part(stats, masks));
        }
        // The running rollups, without their minutes: hours that are not final yet (usually the last one or two).
        for (MinuteWindows document : query(minutes, deviceId, MinuteWindows.RESOLUTION, firstHour, to, HOUR_FIELDS)) {
            Map<String, Part> ofHour = parts.computeIfAbsent(document.startMs(), h -> new TreeMap<>());
            if (ofHour.containsKey(document.source()) || document.hour() == null) {
                continue; // final already
            }
            Map<String, MetricStats.Accumulator> stats = new TreeMap<>();
            document.hour().forEach((metric, s) -> stats.put(metric, MetricStats.Accumulator.from(s)));
            Map<String, Long> masks = new TreeMap<>();
            if (document.masks() != null) {
                document.masks().forEach((metric, mask) -> masks.put(metric, Long.parseUnsignedLong(mask, 16)));
            }
            ofHour.put(document.source(), new Part(stats, masks));
        }
        parts.values().removeIf(Map::isEmpty);
        return parts;
    }

    private static <T> List<T> query(CosmosStore<T> store, String deviceId, String resolution, long from, long to) {
        return query(store, deviceId, resolution, from, to, "*");
    }

    private static <T> List<T> query(CosmosStore<T> store, String deviceId, String resolution, long from, long to, String fields) {
        if (from >= to) {
            return List.of();
        }
        return store.query(SqlQuery.of("SELECT " + fields + " FROM c WHERE c.resolution = @resolution AND c.start >= @from AND c.start < @to")
                .with("@resolution", resolution)
                .with("@from", Json.format(Instant.ofEpochMilli(from)))
                .with("@to", Json.format(Instant.ofEpochMilli(to)))
                .inPartition(deviceId));
    }

    private static long resume(String token, Instant from, Instant to) {
        try {
            long start = Long.parseLong(token.substring(1));
            if (token.charAt(0) != 't' || start < from.toEpochMilli() || start >= to.toEpochMilli()) {
                throw new IllegalArgumentException(token);
            }
            return start;
        } catch (RuntimeException e) {
            throw new StoreException.BadContinuation(e);
        }
    }
}
