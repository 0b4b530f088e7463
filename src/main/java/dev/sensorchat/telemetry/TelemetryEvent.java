package dev.sensorchat.telemetry;

import java.util.List;

/**
 * A valid event: one device's reading, or a burst of them, ordered by timestamp.
 *
 * @param deviceId  the device, already validated
 * @param deviceSeq the device's own counter, when it sent one (kept for diagnostics)
 * @param readings  at least one
 */
public record TelemetryEvent(String deviceId, Long deviceSeq, List<Reading> readings) {
}
