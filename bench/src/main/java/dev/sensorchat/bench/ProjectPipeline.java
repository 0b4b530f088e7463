package dev.sensorchat.bench;

import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.devices.SilencePolicy;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.stream.Rules;
import dev.sensorchat.stream.StreamSettings;
import dev.sensorchat.stream.StreamStore;
import dev.sensorchat.stream.TelemetryStreams;
import dev.sensorchat.telemetry.TelemetryLimits;
import dev.sensorchat.telemetry.TelemetryParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The app's Event Hub pipeline as the function runs it (parse and validate, the partition's
 * stream: aggregation, rules, segment, flushes, checkpoints), on one thread, over a given store.
 */
final class ProjectPipeline {

    /** Raise above 30, at once; and above 30 three readings in a row. Both clear at 30 or below. */
    static final List<Rule> RULES = List.of(
            new Rule("over-30", "Over 30", RuleScope.all(), "temperature", Operator.GT, 30, null, null, null, Severity.WARNING,
                    true, null, null, null),
            new Rule("three-over-30", "Over 30, three in a row", RuleScope.all(), "temperature", Operator.GT, 30, null, 3, null,
                    Severity.CRITICAL, true, null, null, null));

    private final TelemetryStreams streams;
    private final EventHubBatchProcessor processor;

    ProjectPipeline(StreamStore store) {
        Rules rules = Rules.of(RULES);
        StreamSettings settings = StreamSettings.defaults(Duration.ofMinutes(10), Duration.ofDays(7), Duration.ofDays(400),
                SilencePolicy.defaults());
        streams = new TelemetryStreams(store, () -> rules, settings, Runnable::run, Duration.ofDays(1));
        processor = new EventHubBatchProcessor(new TelemetryParser(TelemetryLimits.withLateness(Duration.ofMinutes(10))), streams,
                (name, content, type, metadata) -> true);
    }

    /** One invocation's input: a partition and its events as the trigger binds them. */
    record Batch(String partition, List<EventHubBatchProcessor.Event> events) {
    }

    /** The workload's events cut into batches, partitions taking turns. */
    static List<Batch> batches(Workload workload, int batchSize) {
        return batches(workload.partitions, batchSize);
    }

    static List<Batch> batches(List<List<Workload.Event>> partitionEvents, int batchSize) {
        List<Batch> batches = new ArrayList<>();
        int partitions = partitionEvents.size();
        int[] next = new int[partitions];
        boolean more = true;
        while (more) {
            more = false;
            for (int p = 0; p < partitions; p++) {
                List<Workload.Event> events = partitionEvents.get(p);
                if (next[p] >= events.size()) {
                    continue;
                }
                int end = Math.min(events.size(), next[p] + batchSize);
                List<EventHubBatchProcessor.Event> batch = new ArrayList<>(end - next[p]);
                for (int i = next[p]; i < end; i++) {
                    Workload.Event e = events.get(i);
                    batch.add(new EventHubBatchProcessor.Event(e.body(), e.sequenceNumber(), Instant.ofEpochMilli(e.enqueuedMs()),
                            Long.toString(e.sequenceNumber() * 200), e.deviceId()));
                }
                batches.add(new Batch(Integer.toString(p), batch));
                next[p] = end;
                more = true;
            }
        }
        return batches;
    }

    void run(List<Batch> batches) {
        for (Batch batch : batches) {
            processor.process("telemetry", batch.partition(), batch.events());
        }
    }

    /** What the streams still hold goes to the store (the idle flush). */
    void settle() {
        streams.flushIdle();
    }

    void close() {
        streams.close();
    }
}
