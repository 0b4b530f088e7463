package dev.sensorchat.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sensorchat.common.Json;
import dev.sensorchat.stream.StreamEvent;
import dev.sensorchat.stream.TelemetryStreams;
import dev.sensorchat.telemetry.AppliedPositions;
import dev.sensorchat.telemetry.TelemetryParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One Event Hubs batch, end to end: parse and validate every event, dead-letter the bad ones, and
 * hand the good ones to the partition's stream (which aggregates, evaluates rules and commits the
 * batch with one write). Plain Java: the function adapter hands it the events and their system
 * properties.
 */
public final class EventHubBatchProcessor {

    private static final Pattern PARTITION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * One event as delivered.
     *
     * @param body           the event body as the host decoded it (UTF-8)
     * @param sequenceNumber its position in the partition
     * @param enqueuedTime   when Event Hubs accepted it: the reference for timestamp checks
     */
    public record Event(String body, long sequenceNumber, Instant enqueuedTime, String offset, String partitionKey) {
    }

    /** Counts of one batch, for the log. */
    public record Summary(int received, int accepted, int deadLettered, int readings, int devices) {
    }

    private final TelemetryParser parser;
    private final TelemetryStreams streams;
    private final DeadLetters deadLetters;

    public EventHubBatchProcessor(TelemetryParser parser, TelemetryStreams streams, DeadLetters deadLetters) {
        this.parser = parser;
        this.streams = streams;
        this.deadLetters = deadLetters;
    }

    public Summary process(String eventHub, String partitionId, List<Event> events) {
        if (!PARTITION_ID.matcher(partitionId).matches()) {
            throw new IllegalArgumentException("Unexpected partition id from the host: " + partitionId);
        }
        if (events.isEmpty()) {
            return new Summary(0, 0, 0, 0, 0);
        }
        List<StreamEvent> accepted = new ArrayList<>(events.size());
        int readings = 0;
        int deadLettered = 0;
        long last = Long.MIN_VALUE;
        for (Event event : events) {
            last = Math.max(last, event.sequenceNumber());
            long enqueued = event.enqueuedTime().toEpochMilli();
            TelemetryParser.Result result = parser.parse(event.body(), enqueued);
            if (result instanceof TelemetryParser.Accepted ok) {
                accepted.add(new StreamEvent(event.sequenceNumber(), enqueued, ok.event()));
                readings += ok.event().readings().size();
            } else if (result instanceof TelemetryParser.Rejected bad) {
                deadLetter(DeadLetter.of(bad.rejection(), new DeadLetter.Source("eventhub", eventHub, partitionId,
                        event.sequenceNumber(), event.offset(), event.enqueuedTime(), event.partitionKey()), event.body()));
                deadLettered++;
            }
        }
        var outcome = streams.process(AppliedPositions.eventHubSource(partitionId), accepted, last);
        return new Summary(events.size(), accepted.size(), deadLettered, readings, outcome.devices());
    }

    /** Written once: a redelivered bad event finds its dead letter already there. */
    private void deadLetter(DeadLetter letter) {
        try {
            byte[] json = Json.MAPPER.writeValueAsString(letter).getBytes(StandardCharsets.UTF_8);
            deadLetters.putIfAbsent(letter.blobName(), json, "application/json", Map.of("reason", letter.reason()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dead letter not serialisable", e);
        }
    }
}
