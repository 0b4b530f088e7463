package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.sensorchat.AppContext;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.ingest.IngestMetrics;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.telemetry.Timestamps;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Event Hubs → telemetry. A batch of events from one partition goes to
 * {@link EventHubBatchProcessor}; this class only translates the host's binding data.
 *
 * <p>A failure (Cosmos DB still failing after the store's own retries) fails the invocation, so
 * the batch is not checkpointed; the retry policy re-runs it until it succeeds, which is safe
 * because every write is idempotent. Bad events never fail a batch: they are dead-lettered.
 */
public final class TelemetryFunction {

    private final Supplier<EventHubBatchProcessor> processor;
    private final Supplier<IngestMetrics> metrics;

    public TelemetryFunction() {
        this(() -> AppContext.shared().eventHubBatches(), () -> AppContext.shared().ingestMetrics());
    }

    TelemetryFunction(Supplier<EventHubBatchProcessor> processor, Supplier<IngestMetrics> metrics) {
        this.processor = processor;
        this.metrics = metrics;
    }

    @FunctionName("telemetry")
    @ExponentialBackoffRetry(maxRetryCount = -1, minimumInterval = "00:00:05", maximumInterval = "00:05:00")
    public void run(
            @EventHubTrigger(name = "events", eventHubName = "%TELEMETRY_HUB%", connection = "TelemetryEventHub",
                    consumerGroup = "%TELEMETRY_CONSUMER_GROUP%", cardinality = Cardinality.MANY, dataType = "string")
            String[] events,
            @BindingName("PartitionContext") Map<String, Object> partitionContext,
            @BindingName("SystemPropertiesArray") Map<String, Object>[] systemProperties,
            ExecutionContext context) {
        String partitionId = String.valueOf(partitionContext.get("PartitionId"));
        String eventHub = String.valueOf(partitionContext.getOrDefault("EventHubName", ""));
        List<EventHubBatchProcessor.Event> batch = new ArrayList<>(events.length);
        for (int i = 0; i < events.length; i++) {
            Map<String, Object> properties = systemProperties[i];
            batch.add(new EventHubBatchProcessor.Event(events[i],
                    number(properties.get("SequenceNumber")),
                    enqueuedTime(properties.get("EnqueuedTimeUtc")),
                    properties.get("Offset") == null ? null : String.valueOf(properties.get("Offset")),
                    properties.get("PartitionKey") == null ? null : String.valueOf(properties.get("PartitionKey"))));
        }
        try (Invocation invocation = Invocations.open(context)) {
            EventHubBatchProcessor.Summary summary;
            try {
                summary = processor.get().process(eventHub, partitionId, batch);
            } catch (RuntimeException e) {
                StoreUsage.Counts store = invocation.store().total();
                context.getLogger().log(Level.SEVERE, "telemetry batch failed partition=" + partitionId + " received=" + events.length
                        + " cosmosRequests=" + store.requests() + " error=" + e.getClass().getSimpleName() + ": the batch is retried", e);
                throw e;
            }
            context.getLogger().info(summary::logLine);
            metrics.get().record(summary);
        }
    }

    /** The host passes numbers as JSON numbers or strings, depending on the worker version. */
    private static long number(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        return Long.parseLong(String.valueOf(value));
    }

    /** The host's enqueued time (a batch's {@code EnqueuedTimeUtc}) is ISO-8601, with or without a zone designator (then UTC). */
    public static Instant enqueuedTime(Object value) {
        String text = String.valueOf(value);
        Instant simple = Timestamps.utcInstant(text);
        if (simple != null) {
            return simple;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }
}
