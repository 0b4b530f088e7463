package dev.sensorchat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.observability.StoreUsage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The metrics an operator's queries rely on, read back through the OpenTelemetry SDK (the agent's role in Azure). */
class IngestMetricsTest {

    private static final EventHubBatchProcessor.Summary BATCH = new EventHubBatchProcessor.Summary("2", 500, 497, 3,
            new java.util.TreeMap<>(Map.of("invalid_json", 2, "timestamp_too_old", 1)), 497, 120, 1, 14, new StoreUsage.Counts(16, 0, 0, 15, 42_000, 80.5, 16), 37, 1_250);

    @Test
    void aBatchIsCountedByOutcomeReasonAndPartition() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            IngestMetrics metrics = new IngestMetrics(meters.get(IngestMetrics.METER));
            metrics.record(BATCH);
            metrics.record(BATCH);
            var all = reader.collectAllMetrics();
            assertEquals(994, sum(all, "sensorchat.telemetry.events",
                    Attributes.of(IngestMetrics.PARTITION, "2", IngestMetrics.OUTCOME, "accepted")));
            assertEquals(4, sum(all, "sensorchat.telemetry.events",
                    Attributes.of(IngestMetrics.PARTITION, "2", IngestMetrics.OUTCOME, "dead_lettered", IngestMetrics.REASON, "invalid_json")));
            assertEquals(2, sum(all, "sensorchat.telemetry.alerts_opened", Attributes.of(IngestMetrics.PARTITION, "2")));
            assertEquals(28, sum(all, "sensorchat.telemetry.windows_written", Attributes.of(IngestMetrics.PARTITION, "2")));
            assertEquals(161.0, sum(all, "sensorchat.cosmos.request_units",
                    Attributes.of(IngestMetrics.PARTITION, "2", IngestMetrics.SOURCE, "modelled")), 1e-9);
            assertEquals(32.0, sum(all, "sensorchat.cosmos.request_units",
                    Attributes.of(IngestMetrics.PARTITION, "2", IngestMetrics.SOURCE, "charged")), 1e-9);
            MetricData lag = find(all, "sensorchat.telemetry.lag").orElseThrow();
            var point = lag.getHistogramData().getPoints().iterator().next();
            assertEquals(2, point.getCount());
            assertEquals(1_250, point.getMax(), 1e-9);
        }
    }

    @Test
    void theLogLineCarriesEveryFieldAQuerySplits() {
        String line = BATCH.logLine();
        assertEquals("telemetry batch partition=2 received=500 accepted=497 deadLettered=3 rejected.invalid_json=2 rejected.timestamp_too_old=1 "
                + "readings=497 devices=120 alertsOpened=1 windowsWritten=14 cosmosRequests=16 cosmosWrites=15 cosmosRuCharged=16.00 cosmosRuModelled=80.50 "
                + "durationMs=37 lagMs=1250", line);
        assertTrue(line.matches("telemetry batch( [A-Za-z0-9._]+=[^ =]+)+"), "key=value pairs, nothing else: " + line);
    }

    private static double sum(java.util.Collection<MetricData> all, String name, Attributes attributes) {
        MetricData metric = find(all, name).orElseThrow(() -> new AssertionError("no metric " + name));
        var points = switch (metric.getType()) {
            case LONG_SUM -> metric.getLongSumData().getPoints().stream()
                    .filter(p -> p.getAttributes().equals(attributes)).mapToDouble(p -> p.getValue());
            case DOUBLE_SUM -> metric.getDoubleSumData().getPoints().stream()
                    .filter(p -> p.getAttributes().equals(attributes)).mapToDouble(p -> p.getValue());
            default -> throw new AssertionError(metric.getType().toString());
        };
        return points.sum();
    }

    private static Optional<MetricData> find(java.util.Collection<MetricData> all, String name) {
        return all.stream().filter(m -> m.getName().equals(name)).findFirst();
    }
}
