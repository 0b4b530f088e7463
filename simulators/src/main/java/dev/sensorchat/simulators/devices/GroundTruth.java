package dev.sensorchat.simulators.devices;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exact per-device, per-minute aggregates of the valid events the target acknowledged, in the
 * order they were acknowledged (for a device, the order they were sent): what the backend must end
 * up with. Thread-safe. Counts, sums, extremes, first and last times, and the
 * value at the last time (on equal times, the later one sent), as the backend defines them.
 */
public final class GroundTruth {

    /** Statistics of one metric in one window. */
    static final class Stats {
        long count;
        double sum;
        double min;
        double max;
        long firstTs;
        long lastTs;
        double last;

        void add(long ts, double value) {
            if (count == 0) {
                min = value;
                max = value;
                firstTs = ts;
                lastTs = ts;
                last = value;
            } else {
                min = Math.min(min, value);
                max = Math.max(max, value);
                firstTs = Math.min(firstTs, ts);
                if (ts >= lastTs) {
                    lastTs = ts;
                    last = value;
                }
            }
            count++;
            sum += value;
        }
    }

    private final Map<String, Map<Long, Map<String, Stats>>> windows = new TreeMap<>();
    private long events;

    public synchronized void add(SimEvent event) {
        if (!event.valid()) {
            return;
        }
        events++;
        long minute = Math.floorDiv(event.ts(), 60_000L) * 60_000L;
        Map<String, Stats> window = windows.computeIfAbsent(event.deviceId(), d -> new TreeMap<>())
                .computeIfAbsent(minute, m -> new TreeMap<>());
        for (int i = 0; i < event.metrics().length; i++) {
            window.computeIfAbsent(event.metrics()[i], m -> new Stats()).add(event.ts(), event.values()[i]);
        }
    }

    public synchronized long validEvents() {
        return events;
    }

    /**
     * Writes {@code {"validEvents": n, "windows": [{"deviceId", "start", "metric", "count", "sum", "min", "max",
     * "firstTs", "lastTs", "last"}, ...]}}, sorted by device, window and metric.
     */
    public synchronized void write(Path file) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("validEvents", events);
            json.writeArrayFieldStart("windows");
            for (var device : windows.entrySet()) {
                for (var window : device.getValue().entrySet()) {
                    for (var metric : window.getValue().entrySet()) {
                        Stats s = metric.getValue();
                        json.writeStartObject();
                        json.writeStringField("deviceId", device.getKey());
                        json.writeStringField("start", Instant.ofEpochMilli(window.getKey()).toString());
                        json.writeStringField("metric", metric.getKey());
                        json.writeNumberField("count", s.count);
                        json.writeNumberField("sum", s.sum);
                        json.writeNumberField("min", s.min);
                        json.writeNumberField("max", s.max);
                        json.writeStringField("firstTs", Instant.ofEpochMilli(s.firstTs).toString());
                        json.writeStringField("lastTs", Instant.ofEpochMilli(s.lastTs).toString());
                        json.writeNumberField("last", s.last);
                        json.writeEndObject();
                    }
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
