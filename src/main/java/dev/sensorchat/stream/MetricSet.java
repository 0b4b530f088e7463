package dev.sensorchat.stream;

import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.Reading;
import java.util.Arrays;

/**
 * The statistics of a few metrics in one window. A device has a handful of metrics, and metric
 * names come from the parser's symbol table, so a linear scan that compares references first
 * beats a hash map on the hot path. The statistics of all metrics sit in one {@code long[]},
 * eight slots per metric (doubles as their bits): a reading touches one array, not an object per
 * metric, which matters when ten thousand devices take turns and none of them stays in cache.
 */
final class MetricSet {

    private static final int STRIDE = 8;
    private static final int COUNT = 0;
    private static final int SUM = 1;
    private static final int MIN = 2;
    private static final int MAX = 3;
    private static final int FIRST_TS = 4;
    private static final int LAST_TS = 5;
    private static final int LAST = 6;
    /** For hours only: the minutes of the hour that had a reading (bits 0-59). */
    private static final int MINUTE_MASK = 7;

    private String[] names = new String[4];
    private long[] slots = new long[4 * STRIDE];
    private int size;

    int size() {
        return size;
    }

    String name(int index) {
        return names[index];
    }

    /** A copy of one metric's statistics. */
    MetricStats.Accumulator stats(int index) {
        int at = index * STRIDE;
        return new MetricStats.Accumulator(slots[at + COUNT], d(slots[at + SUM]), d(slots[at + MIN]), d(slots[at + MAX]),
                slots[at + FIRST_TS], slots[at + LAST_TS], d(slots[at + LAST]));
    }

    long minuteMask(int index) {
        return slots[index * STRIDE + MINUTE_MASK];
    }

    int indexOf(String name) {
        return indexOf(names, size, name);
    }

    /** Whose names array lines up with this set's first names; null until one is seen to. */
    private Object alignedWith;

    private int indexFor(Reading reading, int i) {
        Object key = reading.metricsKey();
        if (key == alignedWith) {
            return i;
        }
        if (i == 0 && linesUp(names, size, reading)) {
            alignedWith = key;
            return 0;
        }
        int index = indexOf(reading.metric(i));
        return index >= 0 ? index : put(reading.metric(i), new MetricStats.Accumulator(), 0);
    }

    /** Whether the first of {@code size} names are the reading's metrics, the same instances in the same order. */
    static boolean linesUp(String[] names, int size, Reading reading) {
        if (reading.metricCount() > size) {
            return false;
        }
        for (int j = 0; j < reading.metricCount(); j++) {
            if (names[j] != reading.metric(j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where {@code name} is among the first {@code size} of {@code names}, or -1. References are
     * compared first: metric names and rule ids are shared instances, so a match is usually found
     * without comparing characters.
     */
    static int indexOf(String[] names, int size, String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Folds metric {@code i} of a reading in, creating its statistics on first use. Readings of a
     * device share one names array and keep their order, so once this set is seen to hold a
     * reading's metrics at the reading's own indexes, the index is {@code i} and the names are not
     * read: one cache miss less for each window, when ten thousand devices take turns.
     */
    void add(Reading reading, int i, long ts, double value) {
        fold(indexFor(reading, i) * STRIDE, ts, value);
    }

    /** As {@link #add(Reading, int, long, double)}, and marks the reading's minute of the hour. */
    void add(Reading reading, int i, long ts, double value, int minuteOfHour) {
        int at = indexFor(reading, i) * STRIDE;
        fold(at, ts, value);
        slots[at + MINUTE_MASK] |= 1L << minuteOfHour;
    }

    /** What {@link MetricStats.Accumulator#add} does, on the slots. */
    private void fold(int at, long ts, double value) {
        long[] s = slots;
        long count = s[at + COUNT];
        if (count == 0) {
            s[at + MIN] = bits(value);
            s[at + MAX] = bits(value);
            s[at + FIRST_TS] = ts;
            s[at + LAST_TS] = ts;
            s[at + LAST] = bits(value);
        } else {
            s[at + MIN] = bits(Math.min(d(s[at + MIN]), value)); // Math.min, not <: -0.0 is smaller than 0.0
            s[at + MAX] = bits(Math.max(d(s[at + MAX]), value));
            s[at + FIRST_TS] = Math.min(s[at + FIRST_TS], ts);
            if (ts >= s[at + LAST_TS]) {
                s[at + LAST_TS] = ts;
                s[at + LAST] = bits(value);
            }
        }
        s[at + SUM] = bits(d(s[at + SUM]) + value);
        s[at + COUNT] = count + 1;
    }

    int put(String name, MetricStats.Accumulator accumulator, long minuteMask) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            slots = Arrays.copyOf(slots, size * 2 * STRIDE);
        }
        names[size] = name;
        int at = size * STRIDE;
        slots[at + COUNT] = accumulator.count();
        slots[at + SUM] = bits(accumulator.sum());
        slots[at + MIN] = bits(accumulator.min());
        slots[at + MAX] = bits(accumulator.max());
        slots[at + FIRST_TS] = accumulator.firstTs();
        slots[at + LAST_TS] = accumulator.lastTs();
        slots[at + LAST] = bits(accumulator.last());
        slots[at + MINUTE_MASK] = minuteMask;
        return size++;
    }

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }
}
