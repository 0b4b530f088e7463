package dev.sensorchat.telemetry;

/**
 * A reading with its position in its source: the Event Hubs sequence number of the event that
 * carried it, or the line number in an upload. Positions only grow within a source, which is
 * what makes replays detectable.
 */
public record SourcedReading(long position, Reading reading) {
}
