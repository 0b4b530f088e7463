package dev.sensorchat.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The minute windows of event lines recomputed here, independently of the simulators' ground truth:
 * the telemetry contract applied to each line, then count, sum, min, max, last time and last value
 * per device, minute and metric; and a ground-truth file read into the same shape.
 */
final class RecomputedTruth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecomputedTruth() {
    }

    /** device|minute|metric → count, sum, min, max, lastTs, last. */
    static Map<String, double[]> windows(List<String> lines) {
        Map<String, double[]> windows = new TreeMap<>();
        for (String line : lines) {
            JsonNode event = parse(line);
            if (!valid(event)) {
                continue;
            }
            long ts = Instant.parse(event.get("ts").asText()).toEpochMilli();
            String minute = Instant.ofEpochMilli(ts - Math.floorMod(ts, 60_000L)).toString();
            for (Iterator<Map.Entry<String, JsonNode>> it = event.get("metrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> metric = it.next();
                double value = metric.getValue().asDouble();
                double[] s = windows.computeIfAbsent(event.get("deviceId").asText() + "|" + minute + "|" + metric.getKey(),
                        k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE, Long.MIN_VALUE, 0});
                s[0]++;
                s[1] += value;
                s[2] = Math.min(s[2], value);
                s[3] = Math.max(s[3], value);
                if (ts >= s[4]) {
                    s[4] = ts;
                    s[5] = value;
                }
            }
        }
        return windows;
    }

    /** How many lines the contract accepts. */
    static long validEvents(List<String> lines) {
        return lines.stream().map(RecomputedTruth::parse).filter(RecomputedTruth::valid).count();
    }

    /** A ground-truth file's windows, in the shape of {@link #windows}. */
    static Map<String, double[]> of(JsonNode groundTruth) {
        Map<String, double[]> windows = new TreeMap<>();
        for (JsonNode w : groundTruth.get("windows")) {
            windows.put(w.get("deviceId").asText() + "|" + w.get("start").asText() + "|" + w.get("metric").asText(), new double[] {
                    w.get("count").asDouble(), w.get("sum").asDouble(), w.get("min").asDouble(), w.get("max").asDouble(),
                    Instant.parse(w.get("lastTs").asText()).toEpochMilli(), w.get("last").asDouble()});
        }
        return windows;
    }

    private static boolean valid(JsonNode event) {
        return event != null && event.path("deviceId").asText("").matches("[A-Za-z0-9._:-]{1,128}") && event.has("ts");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException malformed) {
            return null;
        }
    }
}
