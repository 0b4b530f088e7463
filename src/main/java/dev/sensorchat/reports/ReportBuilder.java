package dev.sensorchat.reports;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.telemetry.WindowDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds hourly rollups, devices and alerts into a {@link FleetReport}: plain Java, fed page by page,
 * holding one small summary per device, metric and hour (never the readings themselves).
 */
public final class ReportBuilder {

    /** An hour counts as an anomaly when its extreme lies this many standard deviations from the average. */
    static final double ANOMALY_SCORE = 3;
    static final int TOP_ANOMALIES = 10;

    private final ReportPeriod period;
    private final String scope;
    private final Instant generatedAt;
    private final Map<String, DeviceEntry> devices = new TreeMap<>();
    private final List<FleetReport.Alert> alerts = new ArrayList<>();

    private static final class DeviceEntry {
        String name;
        List<String> tags = List.of();
        final Map<String, MetricEntry> metrics = new TreeMap<>();
    }

    private static final class MetricEntry {
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long minutes;
        final TreeMap<Instant, FleetReport.Hour> hours = new TreeMap<>();
    }

    public ReportBuilder(ReportPeriod period, String scope, Instant generatedAt) {
        this.period = period;
        this.scope = scope;
        this.generatedAt = generatedAt;
    }

    /** A device in scope; devices without data are reported too. */
    public ReportBuilder device(DeviceDocument device) {
        DeviceEntry entry = devices.computeIfAbsent(device.deviceId(), id -> new DeviceEntry());
        entry.name = device.name();
        entry.tags = device.tags() == null ? List.of() : device.tags();
        return this;
    }

    /** An hourly rollup of a device in scope; hours outside the period, and minute windows, are ignored. */
    public ReportBuilder hour(WindowDocument window) {
        if (!Resolution.HOUR.label().equals(window.resolution()) || window.start().isBefore(period.from())
                || !window.start().isBefore(period.to())) {
            return this;
        }
        DeviceEntry device = devices.get(window.deviceId());
        if (device == null) {
            return this; // not in scope
        }
        window.metrics().forEach((name, stats) -> add(device.metrics.computeIfAbsent(name, n -> new MetricEntry()),
                window.start(), stats, window.minutesWithData(name)));
        return this;
    }

    private static void add(MetricEntry metric, Instant hour, MetricStats stats, int minutes) {
        metric.count += stats.count();
        metric.sum += stats.sum();
        metric.min = Math.min(metric.min, stats.min());
        metric.max = Math.max(metric.max, stats.max());
        metric.minutes += minutes;
        metric.hours.put(hour, new FleetReport.Hour(hour, stats.count(), stats.min(), stats.average(), stats.max()));
    }

    /** An alert of a device in scope; alerts not open at any time in the period are ignored. */
    public ReportBuilder alert(AlertDocument alert) {
        if (!devices.containsKey(alert.deviceId()) || !alert.openedAt().isBefore(period.to())
                || (alert.resolvedAt() != null && alert.resolvedAt().isBefore(period.from()))) {
            return this;
        }
        Instant start = alert.openedAt().isAfter(period.from()) ? alert.openedAt() : period.from();
        Instant end = alert.resolvedAt() != null && alert.resolvedAt().isBefore(period.to()) ? alert.resolvedAt() : period.to();
        boolean opened = !alert.openedAt().isBefore(period.from());
        boolean resolved = alert.resolvedAt() != null && alert.resolvedAt().isBefore(period.to());
        alerts.add(new FleetReport.Alert(alert.id(), alert.deviceId(), alert.ruleName(), alert.severity().label(), alert.openedAt(),
                alert.resolvedAt(), opened, resolved, Duration.between(start, end).toMinutes()));
        return this;
    }

    public FleetReport build() {
        List<FleetReport.Device> deviceSections = new ArrayList<>();
        List<FleetReport.Anomaly> anomalies = new ArrayList<>();
        long readings = 0;
        int reporting = 0;
        double availabilitySum = 0;
        for (var device : devices.entrySet()) {
            List<FleetReport.Metric> metrics = new ArrayList<>();
            double best = 0;
            for (var metric : device.getValue().metrics.entrySet()) {
                MetricEntry m = metric.getValue();
                double availability = Math.min(1, (double) m.minutes / period.minutes());
                best = Math.max(best, availability);
                metrics.add(new FleetReport.Metric(metric.getKey(), m.count, m.min, m.sum / m.count, m.max, availability,
                        List.copyOf(m.hours.values())));
                readings += m.count;
                anomaly(device.getKey(), metric.getKey(), m).ifPresent(anomalies::add);
            }
            reporting += metrics.isEmpty() ? 0 : 1;
            availabilitySum += best;
            int opened = (int) alerts.stream().filter(a -> a.deviceId().equals(device.getKey()) && a.openedInPeriod()).count();
            deviceSections.add(new FleetReport.Device(device.getKey(), device.getValue().name, device.getValue().tags, best,
                    List.copyOf(metrics), opened));
        }
        alerts.sort(Comparator.comparing(FleetReport.Alert::openedAt).thenComparing(FleetReport.Alert::id));
        anomalies.sort(Comparator.comparingDouble(FleetReport.Anomaly::score).reversed()
                .thenComparing(FleetReport.Anomaly::deviceId).thenComparing(FleetReport.Anomaly::metric));
        FleetReport.Fleet fleet = new FleetReport.Fleet(devices.size(), reporting, readings,
                devices.isEmpty() ? 0 : availabilitySum / devices.size(),
                (int) alerts.stream().filter(FleetReport.Alert::openedInPeriod).count(),
                (int) alerts.stream().filter(FleetReport.Alert::resolvedInPeriod).count(),
                (int) alerts.stream().filter(a -> !a.resolvedInPeriod()).count(),
                alerts.stream().mapToLong(FleetReport.Alert::minutesOpen).sum());
        return new FleetReport(period.from(), period.to(), scope, generatedAt, fleet, List.copyOf(deviceSections), List.copyOf(alerts),
                List.copyOf(anomalies.subList(0, Math.min(TOP_ANOMALIES, anomalies.size()))));
    }

    /** The metric's most unusual hour, if it is unusual enough: its extreme, against the spread of the hourly averages. */
    private static java.util.Optional<FleetReport.Anomaly> anomaly(String deviceId, String metric, MetricEntry m) {
        if (m.hours.size() < 3) {
            return java.util.Optional.empty();
        }
        double average = m.sum / m.count;
        double squares = 0;
        for (FleetReport.Hour hour : m.hours.values()) {
            squares += (hour.avg() - average) * (hour.avg() - average);
        }
        double spread = Math.sqrt(squares / m.hours.size());
        if (spread < 1e-9) {
            return java.util.Optional.empty();
        }
        FleetReport.Anomaly worst = null;
        for (FleetReport.Hour hour : m.hours.values()) {
            double value = Math.abs(hour.max() - average) >= Math.abs(hour.min() - average) ? hour.max() : hour.min();
            double score = Math.abs(value - average) / spread;
            if (worst == null || score > worst.score()) {
                worst = new FleetReport.Anomaly(deviceId, metric, hour.start(), value, average, score);
            }
        }
        return worst.score() >= ANOMALY_SCORE ? java.util.Optional.of(worst) : java.util.Optional.empty();
    }
}
