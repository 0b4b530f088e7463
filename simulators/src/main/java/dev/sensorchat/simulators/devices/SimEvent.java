package dev.sensorchat.simulators.devices;

/**
 * One event as sent: the device (its partition key), the reading, and the line of JSON.
 *
 * @param valid           false for deliberately malformed events
 * @param malformedReason for those: the rejection reason the backend should give
 */
public record SimEvent(String deviceId, long ts, long seq, String[] metrics, double[] values, String line, boolean valid,
                       String malformedReason) {
}
