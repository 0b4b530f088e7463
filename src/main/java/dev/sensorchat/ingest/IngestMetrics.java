package dev.sensorchat.ingest;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

/**
 * The telemetry batches' metrics, through the OpenTelemetry API. In Azure the Application
 * Insights Java agent collects them into {@code customMetrics} (attributes become
 * {@code customDimensions}); the local host reads them for {@code /admin/status}; without either
 * they cost nothing. One instance per process: instruments are built once.
 */
public final class IngestMetrics {

    public static final String METER = "dev.sensorchat";

    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("partition");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> SOURCE = AttributeKey.stringKey("source");

    private final LongCounter events;
    private final LongCounter alertsOpened;
    private final LongCounter windowsWritten;
    private final DoubleCounter requestUnits;
    private final LongHistogram duration;
    private final LongHistogram lag;

    public IngestMetrics(Meter meter) {
        events = meter.counterBuilder("sensorchat.telemetry.events").setUnit("{event}")
                .setDescription("Events received, by outcome (accepted, dead_lettered) and reason").build();
        alertsOpened = meter.counterBuilder("sensorchat.telemetry.alerts_opened").setUnit("{alert}").build();
        windowsWritten = meter.counterBuilder("sensorchat.telemetry.windows_written").setUnit("{document}")
                .setDescription("Minute-window and hourly-rollup documents written").build();
        requestUnits = meter.counterBuilder("sensorchat.cosmos.request_units").ofDoubles().setUnit("{RU}")
                .setDescription("Cosmos DB request units of telemetry batches: as charged by the server, and as modelled from document sizes").build();
        duration = meter.histogramBuilder("sensorchat.telemetry.batch.duration").ofLongs().setUnit("ms").build();
        lag = meter.histogramBuilder("sensorchat.telemetry.lag").ofLongs().setUnit("ms")
                .setDescription("Now minus the enqueued time of a batch's newest event").build();
    }

    /** The process's metrics on the global OpenTelemetry (the agent's, the local host's, or a no-op). */
    public static IngestMetrics global() {
        return new IngestMetrics(GlobalOpenTelemetry.getMeter(METER));
    }

    public void record(EventHubBatchProcessor.Summary batch) {
        Attributes partition = Attributes.of(PARTITION, batch.partition());
        if (batch.accepted() > 0) {
            events.add(batch.accepted(), Attributes.of(PARTITION, batch.partition(), OUTCOME, "accepted"));
        }
        batch.rejected().forEach((reason, count) ->
                events.add(count, Attributes.of(PARTITION, batch.partition(), OUTCOME, "dead_lettered", REASON, reason)));
        if (batch.alertsOpened() > 0) {
            alertsOpened.add(batch.alertsOpened(), partition);
        }
        if (batch.windowsWritten() > 0) {
            windowsWritten.add(batch.windowsWritten(), partition);
        }
        if (batch.store().requests() > 0) {
            requestUnits.add(batch.store().chargedRu(), Attributes.of(PARTITION, batch.partition(), SOURCE, "charged"));
            requestUnits.add(batch.store().modelledRu(), Attributes.of(PARTITION, batch.partition(), SOURCE, "modelled"));
        }
        duration.record(batch.durationMs(), partition);
        lag.record(batch.lagMs(), partition);
    }
}
