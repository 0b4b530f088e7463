package dev.sensorchat.stream;

import dev.sensorchat.telemetry.MetricStats;
import java.util.Arrays;

/**
 * The statistics of a few metrics in one window, in parallel arrays: a device has a handful of
 * metrics, and metric names come from the parser's symbol table, so a linear scan that compares
 * references first beats a hash map on the hot path.
 */
final class MetricSet {

    private String[] names = new String[4];
    private MetricStats.Accumulator[] stats = new MetricStats.Accumulator[4];
    /** For hours only: per metric, the minutes of the hour that had a reading (bits 0-59). */
    private long[] minuteMasks;
    private int size;

    MetricSet(boolean withMinuteMasks) {
        if (withMinuteMasks) {
            minuteMasks = new long[4];
        }
    }

    int size() {
        return size;
    }

    String name(int index) {
        return names[index];
    }

    MetricStats.Accumulator stats(int index) {
        return stats[index];
    }

    long minuteMask(int index) {
        return minuteMasks[index];
    }

    int indexOf(String name) {
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

    MetricStats.Accumulator get(String name) {
        int index = indexOf(name);
        return index < 0 ? null : stats[index];
    }

    /** Folds a value in, creating the metric's statistics on first use. */
    void add(String name, long ts, double value) {
        int index = indexOf(name);
        if (index < 0) {
            index = put(name, new MetricStats.Accumulator(), 0);
        }
        stats[index].add(ts, value);
    }

    void markMinute(String name, int minuteOfHour) {
        int index = indexOf(name);
        minuteMasks[index] |= 1L << minuteOfHour;
    }

    int put(String name, MetricStats.Accumulator accumulator, long minuteMask) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            stats = Arrays.copyOf(stats, size * 2);
            if (minuteMasks != null) {
                minuteMasks = Arrays.copyOf(minuteMasks, size * 2);
            }
        }
        names[size] = name;
        stats[size] = accumulator;
        if (minuteMasks != null) {
            minuteMasks[size] = minuteMask;
        }
        return size++;
    }
}
