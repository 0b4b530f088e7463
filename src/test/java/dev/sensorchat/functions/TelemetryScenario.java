package dev.sensorchat.functions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A generated telemetry stream for a simulated Event Hub, with what the backend must make of it,
 * worked out here independently of the production code: exact window statistics, latest values,
 * the dead letters and the alerts.
 *
 * <p>Devices {@code dev-00}..: most report temperature and humidity once a minute; some send
 * bursts; a few ("hot" devices) overheat for four minutes and then cool down. Mixed in: events out
 * of order, events late but within the allowed lateness, and bad events of every kind.
 */
final class TelemetryScenario {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final int PARTITIONS = 4;
    static final int MINUTES = 25;
    static final int HOT_DEVICES = 4;
    /** The rule the scenario's alerts follow: raise above 80 for 2 readings in a row, clear below 70. */
    static final String RULE_JSON = """
            {"id": "overheat", "name": "Overheating", "scope": {"kind": "all"}, "metric": "temperature",
             "operator": ">", "threshold": 80, "consecutive": 2, "clear": {"operator": "<", "threshold": 70},
             "severity": "critical"}""";
    static final int HOT_FROM = 10;
    static final int HOT_UNTIL = 13;
    static final int COOLED_AT = 18;

    /** One event as Event Hubs would deliver it. */
    record Event(int partition, long sequenceNumber, String body, Instant enqueuedTime, String partitionKey,
                 String expectedRejection, List<Reading> readings) {
    }

    /** One reading as the test knows it. */
    record Reading(String deviceId, long ts, Map<String, Double> metrics) {
    }

    /** Exact statistics of one metric in one window, as the ground truth computes them. */
    record Stats(long count, double sum, double min, double max, long firstTs, long lastTs, double last) {
        Stats add(long ts, double value) {
            if (count == 0) {
                return new Stats(1, value, value, value, ts, ts, value);
            }
            return new Stats(count + 1, sum + value, Math.min(min, value), Math.max(max, value), Math.min(firstTs, ts),
                    Math.max(lastTs, ts), ts >= lastTs ? value : last);
        }
    }

    final int devices;
    final List<List<Event>> partitions = new ArrayList<>();

    private TelemetryScenario(int devices) {
        this.devices = devices;
    }

    static String deviceId(int index) {
        return String.format(Locale.ROOT, "dev-%02d", index);
    }

    static int partitionOf(String deviceId) {
        return Math.floorMod(deviceId.hashCode(), PARTITIONS);
    }

    static TelemetryScenario generate(int deviceCount, long seed) {
        TelemetryScenario scenario = new TelemetryScenario(deviceCount);
        Random random = new Random(seed);
        List<Pending> pending = new ArrayList<>();
        for (int d = 0; d < deviceCount; d++) {
            String id = deviceId(d);
            long offset = (d * 1_437L) % 50_000;
            List<Reading> readings = new ArrayList<>();
            for (int minute = 0; minute < MINUTES; minute++) {
                long ts = T0.toEpochMilli() + minute * 60_000L + offset;
                readings.add(new Reading(id, ts, Map.of("temperature", temperature(d, minute, random), "humidity",
                        Math.round(400 + random.nextGaussian() * 50) / 10.0)));
            }
            if (d % 7 == 3 && d >= HOT_DEVICES) {
                for (int i = 0; i < readings.size(); i += 3) { // bursts of three readings
                    List<Reading> burst = readings.subList(i, Math.min(readings.size(), i + 3));
                    pending.add(Pending.valid(id, burst, burst.get(burst.size() - 1).ts() + 2_000));
                }
            } else {
                for (Reading reading : readings) {
                    pending.add(Pending.valid(id, List.of(reading), reading.ts() + 2_000));
                }
            }
            if (d >= HOT_DEVICES && d % 5 == 1) {
                // Late but within the allowed lateness: an extra reading 8 minutes older than its enqueue time.
                long enqueued = T0.toEpochMilli() + 20 * 60_000L + offset;
                pending.add(Pending.valid(id, List.of(new Reading(id, enqueued - 8 * 60_000L,
                        Map.of("temperature", 33.5, "humidity", 41.0))), enqueued));
            }
        }
        addBadEvents(pending, deviceCount);
        pending.sort(Comparator.comparingLong(Pending::enqueued));
        // Out of order: some devices' events swap places with their successor in the stream.
        for (int i = 0; i + 1 < pending.size(); i++) {
            Pending a = pending.get(i);
            if (a.rejection == null && a.deviceIndex() >= HOT_DEVICES && a.deviceIndex() % 5 == 2 && random.nextInt(4) == 0) {
                for (int j = i + 1; j < pending.size(); j++) {
                    if (pending.get(j).deviceId.equals(a.deviceId)) {
                        pending.set(i, pending.get(j));
                        pending.set(j, a);
                        break;
                    }
                }
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            scenario.partitions.add(new ArrayList<>());
        }
        long[] sequence = new long[PARTITIONS];
        for (Pending event : pending) {
            int partition = partitionOf(event.deviceId);
            long seq = 100 + sequence[partition]++;
            // Enqueue times must grow within a partition, as Event Hubs assigns them.
            List<Event> list = scenario.partitions.get(partition);
            Instant enqueued = Instant.ofEpochMilli(event.enqueued);
            if (!list.isEmpty() && !enqueued.isAfter(list.get(list.size() - 1).enqueuedTime())) {
                enqueued = list.get(list.size() - 1).enqueuedTime().plusMillis(1);
            }
            String body = event.body != null ? event.body : body(event.deviceId, event.readings);
            list.add(new Event(partition, seq, body, enqueued, event.deviceId, event.rejection, event.readings));
        }
        return scenario;
    }

    private static double temperature(int device, int minute, Random random) {
        if (device < HOT_DEVICES) {
            if (minute >= HOT_FROM && minute <= HOT_UNTIL) {
                return 90 + minute;
            }
            if (minute > HOT_UNTIL && minute < COOLED_AT) {
                return 75; // between the thresholds: nothing changes
            }
            return minute < HOT_FROM ? 50 : 60;
        }
        return Math.round((20 + device % 10 + 3 * Math.sin(minute / 4.0) + random.nextGaussian()) * 100) / 100.0;
    }

    /** Bad events of every kind, each on a non-hot device so the alerts stay predictable. */
    private static void addBadEvents(List<Pending> pending, int deviceCount) {
        long base = T0.toEpochMilli() + 5 * 60_000L;
        for (int i = 0; i < 12; i++) {
            String id = deviceId(HOT_DEVICES + (i * 5) % (deviceCount - HOT_DEVICES));
            long enqueued = base + i * 97_000L;
            String ts = "\"" + Instant.ofEpochMilli(enqueued - 1_000) + "\"";
            Pending bad = switch (i % 6) {
                case 0 -> Pending.bad(id, "{\"deviceId\":\"" + id + "\",\"ts\":" + ts + ",\"metrics\":{\"temperature\":NaN}}",
                        enqueued, "non_finite_value");
                case 1 -> Pending.bad(id, "{\"deviceId\":\"" + id + "\",\"ts\":" + ts + ",\"metrics\":{\"temperature\":21", enqueued,
                        "invalid_json");
                case 2 -> Pending.bad(id, "{\"deviceId\":\"bad device!\",\"ts\":" + ts + ",\"metrics\":{\"temperature\":21}}",
                        enqueued, "invalid_device_id");
                case 3 -> Pending.bad(id, "{\"deviceId\":\"" + id + "\",\"ts\":\"" + Instant.ofEpochMilli(enqueued + 8 * 60_000L)
                        + "\",\"metrics\":{\"temperature\":21}}", enqueued, "future_timestamp");
                case 4 -> Pending.bad(id, "{\"deviceId\":\"" + id + "\",\"ts\":\"" + Instant.ofEpochMilli(enqueued - 11 * 60_000L)
                        + "\",\"metrics\":{\"temperature\":21}}", enqueued, "too_late");
                default -> Pending.bad(id, "{\"deviceId\":\"" + id + "\",\"ts\":" + ts + ",\"metrics\":{\"temperature\":21},"
                        + "\"meta\":\"\uFFFD\"}", enqueued, "invalid_utf8");
            };
            pending.add(bad);
        }
    }

    private static String body(String deviceId, List<Reading> readings) {
        StringBuilder json = new StringBuilder("{\"deviceId\":\"").append(deviceId).append('"');
        if (readings.size() == 1) {
            json.append(",\"ts\":\"").append(Instant.ofEpochMilli(readings.get(0).ts())).append("\",\"metrics\":").append(metrics(readings.get(0)));
        } else {
            json.append(",\"readings\":[");
            for (int i = 0; i < readings.size(); i++) {
                json.append(i == 0 ? "" : ",").append("{\"ts\":").append(readings.get(i).ts()).append(",\"metrics\":")
                        .append(metrics(readings.get(i))).append('}');
            }
            json.append(']');
        }
        return json.append('}').toString();
    }

    private static String metrics(Reading reading) {
        StringBuilder json = new StringBuilder("{");
        new TreeMap<>(reading.metrics()).forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(name).append("\":").append(value));
        return json.append('}').toString();
    }

    /** An event before it has a partition and sequence number. */
    private record Pending(String deviceId, List<Reading> readings, long enqueued, String body, String rejection) {
        static Pending valid(String deviceId, List<Reading> readings, long enqueued) {
            return new Pending(deviceId, List.copyOf(readings), enqueued, null, null);
        }

        static Pending bad(String deviceId, String body, long enqueued, String reason) {
            return new Pending(deviceId, List.of(), enqueued, body, reason);
        }

        int deviceIndex() {
            return Integer.parseInt(deviceId.substring(4));
        }
    }

    // ---- ground truth ------------------------------------------------------------------------

    /** Valid events in the order the backend applies them: by partition, then sequence number. */
    List<Event> validEvents() {
        List<Event> valid = new ArrayList<>();
        partitions.forEach(list -> list.stream().filter(e -> e.expectedRejection() == null).forEach(valid::add));
        return valid;
    }

    List<Event> badEvents() {
        List<Event> bad = new ArrayList<>();
        partitions.forEach(list -> list.stream().filter(e -> e.expectedRejection() != null).forEach(bad::add));
        return bad;
    }

    /** device → window start → metric → stats, for windows of {@code windowMillis}. */
    Map<String, Map<Long, Map<String, Stats>>> windows(long windowMillis) {
        Map<String, Map<Long, Map<String, Stats>>> truth = new TreeMap<>();
        for (Event event : validEvents()) {
            // Within one event (a burst), readings apply in time order.
            List<Reading> readings = new ArrayList<>(event.readings());
            readings.sort(Comparator.comparingLong(Reading::ts));
            for (Reading reading : readings) {
                long start = Math.floorDiv(reading.ts(), windowMillis) * windowMillis;
                Map<String, Stats> window = truth.computeIfAbsent(reading.deviceId(), d -> new TreeMap<>())
                        .computeIfAbsent(start, s -> new TreeMap<>());
                reading.metrics().forEach((metric, value) -> window.merge(metric, new Stats(0, 0, 0, 0, 0, 0, 0).add(reading.ts(), value),
                        (old, one) -> old.add(reading.ts(), value)));
            }
        }
        return truth;
    }

    /** device → metric → [value, ts] of the latest reading (ties: later arrival). */
    Map<String, Map<String, double[]>> latest() {
        Map<String, Map<String, double[]>> truth = new HashMap<>();
        for (Event event : validEvents()) {
            for (Reading reading : event.readings()) {
                Map<String, double[]> device = truth.computeIfAbsent(reading.deviceId(), d -> new HashMap<>());
                reading.metrics().forEach((metric, value) -> {
                    double[] current = device.get(metric);
                    if (current == null || reading.ts() >= current[1]) {
                        device.put(metric, new double[] {value, reading.ts()});
                    }
                });
            }
        }
        return truth;
    }

    /** Hot device → [openedAt, resolvedAt] of its one alert. */
    Map<String, long[]> expectedAlerts() {
        Map<String, long[]> alerts = new LinkedHashMap<>();
        for (int d = 0; d < Math.min(HOT_DEVICES, devices); d++) {
            long offset = (d * 1_437L) % 50_000;
            alerts.put(deviceId(d), new long[] {
                    T0.toEpochMilli() + (HOT_FROM + 1) * 60_000L + offset, // second reading above 80
                    T0.toEpochMilli() + COOLED_AT * 60_000L + offset});    // first reading below 70
        }
        return alerts;
    }
}
