package dev.sensorchat.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sensorchat.common.Json;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.stream.StreamEvent;
import dev.sensorchat.stream.TelemetryStreams;
import dev.sensorchat.telemetry.AppliedPositions;
import dev.sensorchat.telemetry.TelemetryParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * What one batch did, for the log line and the metrics of its invocation.
     *
     * @param rejected       dead-lettered events by reason code
     * @param alertsOpened   alerts this batch opened
     * @param windowsWritten minute-window and hourly-rollup documents written for this batch
     * @param store          this invocation's Cosmos DB requests (all zero outside an invocation)
     * @param durationMs     time spent on the batch
     * @param lagMs          now minus the enqueued time of the batch's newest event: how far behind its partition is
     */
    public record Summary(String partition, int received, int accepted, int deadLettered, Map<String, Integer> rejected,
                          int readings, int devices, int alertsOpened, long windowsWritten, StoreUsage.Counts store,
                          long durationMs, long lagMs) {

        /** The batch as one line of {@code key=value} fields, which a log query can split (KQL {@code parse-kv}). */
        public String logLine() {
            StringBuilder line = new StringBuilder(256).append("telemetry batch partition=").append(partition)
                    .append(" received=").append(received).append(" accepted=").append(accepted)
                    .append(" deadLettered=").append(deadLettered);
            rejected.forEach((reason, count) -> line.append(" rejected.").append(reason).append('=').append(count));
            return line.append(" readings=").append(readings).append(" devices=").append(devices)
                    .append(" alertsOpened=").append(alertsOpened).append(" windowsWritten=").append(windowsWritten)
                    .append(" cosmosRequests=").append(store.requests()).append(" cosmosWrites=").append(store.writes())
                    .append(" cosmosRuCharged=").append(String.format(Locale.ROOT, "%.2f", store.chargedRu()))
                    .append(" cosmosRuModelled=").append(String.format(Locale.ROOT, "%.2f", store.modelledRu()))
                    .append(" durationMs=").append(durationMs).append(" lagMs=").append(lagMs).toString();
        }
    }

    private final TelemetryParser parser;
    private final TelemetryStreams streams;
    private final DeadLetters deadLetters;
    private final Clock clock;

    public EventHubBatchProcessor(TelemetryParser parser, TelemetryStreams streams, DeadLetters deadLetters) {
        this(parser, streams, deadLetters, Clock.systemUTC());
    }

    public EventHubBatchProcessor(TelemetryParser parser, TelemetryStreams streams, DeadLetters deadLetters, Clock clock) {
        this.parser = parser;
        this.streams = streams;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public Summary process(String eventHub, String partitionId, List<Event> events) {
        if (!PARTITION_ID.matcher(partitionId).matches()) {
            throw new IllegalArgumentException("Unexpected partition id from the host: " + partitionId);
        }
        long started = System.nanoTime();
        if (events.isEmpty()) {
            return new Summary(partitionId, 0, 0, 0, Map.of(), 0, 0, 0, 0, StoreUsage.Counts.ZERO, 0, 0);
        }
        List<StreamEvent> accepted = new ArrayList<>(events.size());
        int readings = 0;
        int deadLettered = 0;
        Map<String, Integer> rejected = Map.of();
        long last = Long.MIN_VALUE;
        long newestEnqueued = Long.MIN_VALUE;
        for (Event event : events) {
            last = Math.max(last, event.sequenceNumber());
            long enqueued = event.enqueuedTime().toEpochMilli();
            newestEnqueued = Math.max(newestEnqueued, enqueued);
            TelemetryParser.Result result = parser.parse(event.body(), enqueued);
            if (result instanceof TelemetryParser.Accepted ok) {
                accepted.add(new StreamEvent(event.sequenceNumber(), enqueued, ok.event()));
                readings += ok.event().readings().size();
            } else if (result instanceof TelemetryParser.Rejected bad) {
                deadLetter(DeadLetter.of(bad.rejection(), new DeadLetter.Source("eventhub", eventHub, partitionId,
                        event.sequenceNumber(), event.offset(), event.enqueuedTime(), event.partitionKey()), event.body()));
                deadLettered++;
                if (rejected.isEmpty()) {
                    rejected = new TreeMap<>();
                }
                rejected.merge(bad.rejection().reason().code(), 1, Integer::sum);
            }
        }
        var outcome = streams.process(AppliedPositions.eventHubSource(partitionId), accepted, last);
        StoreUsage usage = Invocation.current().map(Invocation::store).orElse(null);
        return new Summary(partitionId, events.size(), accepted.size(), deadLettered, rejected, readings, outcome.devices(),
                outcome.alertsOpened(), usage == null ? 0 : usage.of(Containers.TELEMETRY.name()).writes(),
                usage == null ? StoreUsage.Counts.ZERO : usage.total(),
                (System.nanoTime() - started) / 1_000_000, Math.max(0, clock.millis() - newestEnqueued));
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
