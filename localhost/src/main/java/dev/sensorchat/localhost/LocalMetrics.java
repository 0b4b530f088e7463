package dev.sensorchat.localhost;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The app's OpenTelemetry metrics, kept in this process for {@code /admin/status}: the part the
 * Application Insights agent plays in Azure. The app's classes see the host's OpenTelemetry API
 * (its class loader asks the host's first), so the global set here is the one the app records on.
 */
final class LocalMetrics implements MetricReader {

    /** One data point: a metric's name, its attributes, and its cumulative value. */
    record Point(String metric, Map<String, String> attributes, double sum, long count, double max) {
    }

    private static LocalMetrics installed;

    private volatile CollectionRegistration registration;

    private LocalMetrics() {
    }

    /** Sets the process's global OpenTelemetry once; later hosts in the same process share it. */
    static synchronized LocalMetrics install() {
        if (installed == null) {
            LocalMetrics reader = new LocalMetrics();
            SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
            try {
                GlobalOpenTelemetry.set(OpenTelemetrySdk.builder().setMeterProvider(meters).build());
            } catch (IllegalStateException alreadySet) {
                meters.close(); // something else owns the global: metrics stay empty here
            }
            installed = reader;
        }
        return installed;
    }

    /** Every point recorded so far, cumulative since the process started. */
    List<Point> points() {
        CollectionRegistration current = registration;
        if (current == null) {
            return List.of();
        }
        List<Point> points = new ArrayList<>();
        for (MetricData metric : current.collectAllMetrics()) {
            Collection<? extends PointData> data = metric.getData().getPoints();
            for (PointData point : data) {
                Map<String, String> attributes = attributes(point.getAttributes());
                switch (metric.getType()) {
                    case LONG_SUM -> points.add(new Point(metric.getName(), attributes,
                            ((io.opentelemetry.sdk.metrics.data.LongPointData) point).getValue(), 0, 0));
                    case DOUBLE_SUM -> points.add(new Point(metric.getName(), attributes,
                            ((io.opentelemetry.sdk.metrics.data.DoublePointData) point).getValue(), 0, 0));
                    case HISTOGRAM -> {
                        HistogramPointData histogram = (HistogramPointData) point;
                        points.add(new Point(metric.getName(), attributes, histogram.getSum(), histogram.getCount(),
                                histogram.hasMax() ? histogram.getMax() : 0));
                    }
                    default -> {
                        // gauges and exponential histograms: the app records none
                    }
                }
            }
        }
        return points;
    }

    private static Map<String, String> attributes(Attributes attributes) {
        Map<String, String> map = new TreeMap<>();
        attributes.forEach((AttributeKey<?> key, Object value) -> map.put(key.getKey(), String.valueOf(value)));
        return map;
    }

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
