package dev.sensorchat.localhost.eventhubs;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a consumer starts reading a partition that has no checkpoint: host.json's
 * {@code extensions.eventHubs.initialOffsetOptions}. A checkpoint, when there is one, always wins.
 *
 * @param kind fromStart (the oldest retained event), fromEnd (only events published after the consumer
 *     started) or fromEnqueuedTime
 * @param enqueuedTime for fromEnqueuedTime: the first event enqueued at or after it; else null
 */
public record StartPosition(Kind kind, Instant enqueuedTime) {

    public enum Kind { FROM_START, FROM_END, FROM_ENQUEUED_TIME }

    public static final StartPosition FROM_START = new StartPosition(Kind.FROM_START, null);
    public static final StartPosition FROM_END = new StartPosition(Kind.FROM_END, null);

    public StartPosition {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.FROM_ENQUEUED_TIME) != (enqueuedTime != null)) {
            throw new IllegalArgumentException("an enqueued time goes with fromEnqueuedTime, and only with it");
        }
    }

    public static StartPosition fromEnqueuedTime(Instant time) {
        return new StartPosition(Kind.FROM_ENQUEUED_TIME, Objects.requireNonNull(time, "time"));
    }

    /** host.json's {@code type} ("fromStart", "fromEnd", "fromEnqueuedTime"; any case) and {@code enqueuedTimeUtc}. */
    public static StartPosition parse(String type, String enqueuedTimeUtc) {
        switch (type == null ? "fromstart" : type.toLowerCase(Locale.ROOT)) {
            case "fromstart":
                return FROM_START;
            case "fromend":
                return FROM_END;
            case "fromenqueuedtime":
                if (enqueuedTimeUtc == null || enqueuedTimeUtc.isBlank()) {
                    throw new IllegalArgumentException("initialOffsetOptions type fromEnqueuedTime needs enqueuedTimeUtc");
                }
                return fromEnqueuedTime(EventHubTriggerOptions.instant(enqueuedTimeUtc));
            default:
                throw new IllegalArgumentException("unknown initialOffsetOptions type '" + type
                        + "' (expected fromStart, fromEnd or fromEnqueuedTime)");
        }
    }
}
