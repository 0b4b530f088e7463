package dev.sensorchat.reports;

import java.time.Instant;
import java.util.List;

/**
 * A fleet report: built from the hourly rollups, never from raw events. This record is the
 * machine-readable form ({@code fleet.json}); the CSV and HTML forms are rendered from it.
 *
 * @param scope       which devices: {@code all}, {@code device:<id>} or {@code tag:<tag>}
 * @param devices     every device in scope, in id order, with or without data
 * @param alerts      alerts open at any time in the period, by opening time
 * @param topAnomalies the most unusual hours, at most one per device and metric, most unusual first
 */
public record FleetReport(Instant from, Instant to, String scope, Instant generatedAt, Fleet fleet, List<Device> devices,
                          List<Alert> alerts, List<Anomaly> topAnomalies) {

    /**
     * The fleet at a glance.
     *
     * @param reporting      devices with at least one reading in the period
     * @param availability   mean of the devices' availability
     * @param alertsOpenAtEnd alerts still open or acknowledged when the period ended
     * @param alertMinutes   minutes alerts were open within the period, summed
     */
    public record Fleet(int devices, int reporting, long readings, double availability, int alertsOpened, int alertsResolved,
                        int alertsOpenAtEnd, long alertMinutes) {
    }

    /** @param availability the best availability of its metrics (the share of minutes with data) */
    public record Device(String deviceId, String name, List<String> tags, double availability, List<Metric> metrics,
                         int alertsOpened) {
    }

    /**
     * One metric of one device over the period.
     *
     * @param hourly one point per hour with data, in time order
     */
    public record Metric(String metric, long count, double min, double avg, double max, double availability, List<Hour> hourly) {
    }

    public record Hour(Instant start, long count, double min, double avg, double max) {
    }

    /**
     * @param minutesOpen minutes it was open (or acknowledged) within the period
     * @param resolvedAt  null while still open
     */
    public record Alert(String id, String deviceId, String rule, String severity, Instant openedAt, Instant resolvedAt,
                        boolean openedInPeriod, boolean resolvedInPeriod, long minutesOpen) {
    }

    /**
     * An hour whose extreme value lies far from the metric's usual level: {@code score} is its distance
     * from the period's average, in standard deviations of the hourly averages.
     */
    public record Anomaly(String deviceId, String metric, Instant hour, double value, double average, double score) {
    }
}
