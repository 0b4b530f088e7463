package dev.sensorchat.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic fleet: {@code devices} devices with three metrics each, one reading a second
 * per device for {@code seconds}, spread over Event Hubs partitions by device. Within a partition
 * the devices report in a fixed order across each second, so timestamps never go backwards in a
 * partition (the stream engines compared here then see the same order). Some devices overheat
 * now and then: every 50th device for 8 seconds at second 30 of each minute (both alerts open),
 * every 50th from the 25th for 2 seconds (only the threshold alert opens).
 */
final class Workload {

    /** One event as the Event Hub trigger hands it over. */
    record Event(String body, long sequenceNumber, long enqueuedMs, String deviceId, long ts, double temperature,
                 double humidity, double co2) {
    }

    static final long T0 = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    final int devices;
    final int seconds;
    final int partitionCount;
    final long seed;
    private final List<List<Integer>> members = new ArrayList<>();
    private final double[] base;
    /** The events of {@code [0, seconds)}, per partition, when generated at once. */
    final List<List<Event>> partitions;

    private Workload(int devices, int seconds, int partitionCount, long seed) {
        this.devices = devices;
        this.seconds = seconds;
        this.partitionCount = partitionCount;
        this.seed = seed;
        for (int p = 0; p < partitionCount; p++) {
            members.add(new ArrayList<>());
        }
        for (int d = 0; d < devices; d++) {
            members.get(Math.floorMod(deviceId(d).hashCode(), partitionCount)).add(d);
        }
        SplittableRandom random = new SplittableRandom(seed);
        base = new double[devices];
        for (int d = 0; d < devices; d++) {
            base[d] = 18 + random.nextDouble() * 6;
        }
        partitions = new ArrayList<>();
    }

    static String deviceId(int index) {
        return String.format(Locale.ROOT, "dev-%05d", index);
    }

    /** The whole workload, generated at once. */
    static Workload generate(int devices, int seconds, int partitionCount, long seed) {
        Workload workload = describe(devices, seconds, partitionCount, seed);
        workload.partitions.addAll(workload.slice(0, seconds));
        return workload;
    }

    /** The workload without its events: generate them a slice at a time with {@link #slice}. */
    static Workload describe(int devices, int seconds, int partitionCount, long seed) {
        return new Workload(devices, seconds, partitionCount, seed);
    }

    /** The events of seconds {@code [from, to)}, per partition; the same whichever slices they come in. */
    List<List<Event>> slice(int from, int to) {
        List<List<Event>> slice = new ArrayList<>();
        StringBuilder json = new StringBuilder(160);
        for (int p = 0; p < partitionCount; p++) {
            List<Integer> inPartition = members.get(p);
            List<Event> events = new ArrayList<>(inPartition.size() * (to - from));
            for (int s = from; s < to; s++) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + s * 31L + p);
                for (int k = 0; k < inPartition.size(); k++) {
                    int d = inPartition.get(k);
                    long ts = T0 + s * 1000L + (long) k * 1000 / inPartition.size();
                    int inMinute = s % 60;
                    double temperature = round(base[d] + random.nextDouble() * 2);
                    if (d % 50 == 0 && inMinute >= 30 && inMinute < 38) {
                        temperature = round(31 + random.nextDouble() * 4);
                    } else if (d % 50 == 25 && inMinute >= 40 && inMinute < 42) {
                        temperature = round(30.5 + random.nextDouble());
                    }
                    double humidity = round(40 + random.nextDouble() * 20);
                    double co2 = Math.round(400 + random.nextDouble() * 400);
                    String id = deviceId(d);
                    json.setLength(0);
                    json.append("{\"deviceId\":\"").append(id).append("\",\"ts\":\"").append(ISO.format(Instant.ofEpochMilli(ts)))
                            .append("\",\"seq\":").append(s).append(",\"metrics\":{\"temperature\":").append(temperature)
                            .append(",\"humidity\":").append(humidity).append(",\"co2\":").append(co2).append("}}");
                    long sequence = (long) s * inPartition.size() + k;
                    events.add(new Event(json.toString(), sequence, ts + 120, id, ts, temperature, humidity, co2));
                }
            }
            slice.add(events);
        }
        return slice;
    }

    long events() {
        return partitions.stream().mapToLong(List::size).sum();
    }

    /** The mean size of an event body in UTF-8, over a sample of the same shape (ASCII, so chars are bytes). */
    static double meanEventBytes(long seed) {
        return describe(100, 10, 1, seed).slice(0, 10).get(0).stream().mapToInt(event -> event.body().length()).average().orElse(0);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
