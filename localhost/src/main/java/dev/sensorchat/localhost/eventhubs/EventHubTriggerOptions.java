package dev.sensorchat.localhost.eventhubs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The Event Hubs trigger's batching options from host.json ({@code extensions.eventHubs}, extension 5.x
 * names and defaults).
 *
 * @param maxEventBatchSize at most this many events per invocation (default 100)
 * @param minEventBatchSize the trigger waits for this many, up to {@code maxWaitTime}, before invoking
 *     with fewer (default 1: no waiting)
 * @param maxWaitTime how long to wait to fill {@code minEventBatchSize}, counted from when the partition's
 *     consumer first sees an undelivered event (default 60 s; only used when the minimum is above 1)
 * @param initialPosition where to start a partition that has no checkpoint (default fromStart)
 */
public record EventHubTriggerOptions(int maxEventBatchSize, int minEventBatchSize, Duration maxWaitTime,
                                     StartPosition initialPosition) {

    public static final EventHubTriggerOptions DEFAULTS =
            new EventHubTriggerOptions(100, 1, Duration.ofSeconds(60), StartPosition.FROM_START);

    public EventHubTriggerOptions {
        Objects.requireNonNull(maxWaitTime, "maxWaitTime");
        Objects.requireNonNull(initialPosition, "initialPosition");
        if (maxEventBatchSize < 1) {
            throw new IllegalArgumentException("maxEventBatchSize must be at least 1, was " + maxEventBatchSize);
        }
        if (minEventBatchSize < 1 || minEventBatchSize > maxEventBatchSize) {
            throw new IllegalArgumentException("minEventBatchSize must be 1 to maxEventBatchSize (" + maxEventBatchSize
                    + "), was " + minEventBatchSize);
        }
        if (maxWaitTime.isNegative()) {
            throw new IllegalArgumentException("maxWaitTime must not be negative, was " + maxWaitTime);
        }
    }

    public EventHubTriggerOptions withBatchSizes(int max, int min) {
        return new EventHubTriggerOptions(max, min, maxWaitTime, initialPosition);
    }

    public EventHubTriggerOptions withMaxWaitTime(Duration wait) {
        return new EventHubTriggerOptions(maxEventBatchSize, minEventBatchSize, wait, initialPosition);
    }

    public EventHubTriggerOptions withInitialPosition(StartPosition position) {
        return new EventHubTriggerOptions(maxEventBatchSize, minEventBatchSize, maxWaitTime, position);
    }

    /**
     * Reads {@code extensions.eventHubs} of a parsed host.json (the whole document); missing fields take
     * the defaults. {@code prefetchCount} does not apply (everything is in memory), and checkpoints are
     * written after every successful batch whatever {@code batchCheckpointFrequency} says.
     */
    public static EventHubTriggerOptions fromHostJson(JsonNode hostJson) {
        JsonNode options = hostJson == null ? null : hostJson.path("extensions").path("eventHubs");
        if (options == null || !options.isObject()) {
            return DEFAULTS;
        }
        int max = options.path("maxEventBatchSize").asInt(DEFAULTS.maxEventBatchSize);
        int min = options.path("minEventBatchSize").asInt(DEFAULTS.minEventBatchSize);
        Duration wait = options.hasNonNull("maxWaitTime")
                ? TimeSpans.parse(options.get("maxWaitTime").asText()) : DEFAULTS.maxWaitTime;
        JsonNode initial = options.path("initialOffsetOptions");
        StartPosition position = initial.isObject()
                ? StartPosition.parse(text(initial, "type"), text(initial, "enqueuedTimeUtc"))
                : DEFAULTS.initialPosition;
        return new EventHubTriggerOptions(max, min, wait, position);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    /** ISO-8601, with or without a zone designator (then UTC). */
    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 time: '" + text + "'", e);
            }
        }
    }
}
