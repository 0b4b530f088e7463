package dev.sensorchat.telemetry;

import java.util.Arrays;

/**
 * One reading of one device: a timestamp and metric values. Arrays rather than a map keep the
 * hot path free of per-metric objects; metric names are canonical strings shared by all readings.
 */
public final class Reading {

    private final long timestampMs;
    private final String[] metrics;
    private final double[] values;

    public Reading(long timestampMs, String[] metrics, double[] values) {
        if (metrics.length != values.length) {
            throw new IllegalArgumentException("metrics and values differ in length");
        }
        this.timestampMs = timestampMs;
        this.metrics = metrics;
        this.values = values;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public int metricCount() {
        return metrics.length;
    }

    public String metric(int index) {
        return metrics[index];
    }

    public double value(int index) {
        return values[index];
    }

    /** The value of {@code metric}, or NaN when this reading does not carry it. */
    public double valueOf(String metric) {
        for (int i = 0; i < metrics.length; i++) {
            if (metrics[i].equals(metric)) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    /**
     * The identity of this reading's names array, to compare by reference: readings the parser
     * built with the same metrics in the same order share it.
     */
    public Object metricsKey() {
        return metrics;
    }

    /**
     * Whether {@code other} carries the very same names array: readings the parser built with the
     * same metrics share one, so this is a reference comparison, and false says nothing.
     */
    public boolean hasMetricsOf(Reading other) {
        return other != null && other.metrics == metrics;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Reading that && timestampMs == that.timestampMs
                && Arrays.equals(metrics, that.metrics) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestampMs) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Reading[").append(timestampMs);
        for (int i = 0; i < metrics.length; i++) {
            text.append(' ').append(metrics[i]).append('=').append(values[i]);
        }
        return text.append(']').toString();
    }
}
