package dev.sensorchat.telemetry;

/**
 * Why one event (or upload line) was rejected.
 *
 * @param reason machine-readable reason
 * @param field  the offending field as a path, e.g. {@code readings[2].metrics.temperature}, or null
 * @param detail a short human-readable explanation
 */
public record Rejection(RejectReason reason, String field, String detail) {

    static Rejection of(RejectReason reason, String field, String detail) {
        return new Rejection(reason, field, detail);
    }
}
