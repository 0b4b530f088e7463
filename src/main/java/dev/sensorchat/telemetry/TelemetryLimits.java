package dev.sensorchat.telemetry;

import java.time.Duration;

/**
 * The caps and time bounds of the telemetry contract.
 *
 * @param maxEventBytes        largest accepted event, in UTF-8 bytes
 * @param maxMetricsPerReading most metrics one reading may carry
 * @param maxReadingsPerEvent  most readings one burst may carry
 * @param maxFutureSkew        how far ahead of the reference time a timestamp may be (clock skew)
 * @param allowedLateness      how far behind the reference time a timestamp may be
 */
public record TelemetryLimits(int maxEventBytes, int maxMetricsPerReading, int maxReadingsPerEvent,
                              Duration maxFutureSkew, Duration allowedLateness) {

    /**
     * The largest magnitude a metric value may have. Far beyond any sensor's range, and small
     * enough that no window's sum can overflow to infinity (that needs about 10^293 readings).
     */
    public static final double MAX_MAGNITUDE = 1e15;
    public static final String MAX_MAGNITUDE_RULE = "metric values must be within ±1e15";

    public static final int MAX_EVENT_BYTES = 64 * 1024;
    public static final int MAX_METRICS_PER_READING = 32;
    public static final int MAX_READINGS_PER_EVENT = 500;
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(10);

    public static TelemetryLimits defaults() {
        return withLateness(DEFAULT_ALLOWED_LATENESS);
    }

    public static TelemetryLimits withLateness(Duration allowedLateness) {
        return new TelemetryLimits(MAX_EVENT_BYTES, MAX_METRICS_PER_READING, MAX_READINGS_PER_EVENT,
                MAX_FUTURE_SKEW, allowedLateness);
    }
}
