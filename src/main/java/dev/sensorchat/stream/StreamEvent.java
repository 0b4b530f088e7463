package dev.sensorchat.stream;

import dev.sensorchat.telemetry.TelemetryEvent;

/**
 * An accepted event with where it came from.
 *
 * @param position   its sequence number in the partition (or line in an upload): only grows
 * @param enqueuedMs when Event Hubs accepted it: the stream's clock
 */
public record StreamEvent(long position, long enqueuedMs, TelemetryEvent event) {
}
