package dev.sensorchat.telemetry;

/** A valid event and its position in its source (sequence number or line number). */
public record PositionedEvent(long position, TelemetryEvent event) {
}
