package dev.sensorchat.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates of one device over one window, as stored in the {@code telemetry} container
 * (partition key {@code deviceId}).
 *
 * @param id         {@code m:<start>} or {@code h:<start>}
 * @param deviceId   partition key
 * @param resolution {@code minute} or {@code hour}
 * @param start      window start (inclusive); the window ends one resolution later (exclusive)
 * @param metrics    statistics per metric
 * @param applied    highest applied position per source (see {@link AppliedPositions})
 * @param ttl        seconds until Cosmos DB deletes the document after its last write
 */
public record WindowDocument(String id, String deviceId, String resolution, Instant start,
                             Map<String, MetricStats> metrics, Map<String, Long> applied, Integer ttl) {

    public static WindowDocument empty(String deviceId, Resolution resolution, long startMs, int ttlSeconds) {
        return new WindowDocument(resolution.documentId(startMs), deviceId, resolution.label(), Instant.ofEpochMilli(startMs),
                Map.of(), Map.of(), ttlSeconds);
    }

    /**
     * Folds in the readings of {@code source} that come after what this document has applied, in
     * position order. Returns this document unchanged when all of them were applied before.
     */
    public WindowDocument apply(String source, List<SourcedReading> readings) {
        long applied = AppliedPositions.applied(this.applied, source);
        Map<String, MetricStats.Accumulator> accumulators = null;
        long highest = applied;
        for (SourcedReading sourced : readings) {
            if (sourced.position() <= applied) {
                continue;
            }
            if (accumulators == null) {
                accumulators = new TreeMap<>();
                for (var entry : metrics.entrySet()) {
                    accumulators.put(entry.getKey(), MetricStats.Accumulator.from(entry.getValue()));
                }
            }
            Reading reading = sourced.reading();
            for (int i = 0; i < reading.metricCount(); i++) {
                accumulators.computeIfAbsent(reading.metric(i), name -> new MetricStats.Accumulator())
                        .add(reading.timestampMs(), reading.value(i));
            }
            highest = Math.max(highest, sourced.position());
        }
        if (accumulators == null) {
            return this;
        }
        Map<String, MetricStats> folded = new TreeMap<>();
        accumulators.forEach((name, accumulator) -> folded.put(name, accumulator.toStats()));
        return new WindowDocument(id, deviceId, resolution, start, folded, AppliedPositions.advance(this.applied, source, highest), ttl);
    }
}
