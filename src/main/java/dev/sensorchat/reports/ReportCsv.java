package dev.sensorchat.reports;

import dev.sensorchat.common.Numbers;
import java.util.List;

/**
 * {@code fleet.csv}: one row per device and metric (a device without data gets one row with an
 * empty metric), with the period's statistics; RFC 4180 quoting.
 */
public final class ReportCsv {

    static final List<String> HEADER = List.of("from", "to", "deviceId", "name", "metric", "count", "min", "avg", "max",
            "availability", "alertsOpened");

    private ReportCsv() {
    }

    public static String render(FleetReport report) {
        StringBuilder csv = new StringBuilder(String.join(",", HEADER)).append("\r\n");
        for (FleetReport.Device device : report.devices()) {
            if (device.metrics().isEmpty()) {
                row(csv, report, device, "", "0", "", "", "", "0", device.alertsOpened());
            }
            for (FleetReport.Metric metric : device.metrics()) {
                row(csv, report, device, metric.metric(), Long.toString(metric.count()), number(metric.min()), number(metric.avg()),
                        number(metric.max()), number(metric.availability()), device.alertsOpened());
            }
        }
        return csv.toString();
    }

    private static void row(StringBuilder csv, FleetReport report, FleetReport.Device device, String metric, String count,
                            String min, String avg, String max, String availability, int alertsOpened) {
        csv.append(report.from()).append(',').append(report.to()).append(',').append(quote(device.deviceId())).append(',')
                .append(quote(device.name())).append(',').append(quote(metric)).append(',').append(count).append(',')
                .append(min).append(',').append(avg).append(',').append(max).append(',').append(availability).append(',')
                .append(alertsOpened).append("\r\n");
    }

    /** Up to 6 decimals, no exponent, no trailing zeros: exact enough to check, short enough to read. */
    static String number(double value) {
        return Numbers.exact(value);
    }

    private static String quote(String text) {
        if (text == null) {
            return "";
        }
        // A leading =, +, - or @ would run as a formula in a spreadsheet.
        String safe = text.matches("^[=+\\-@].*") ? "'" + text : text;
        return safe.matches(".*[\",\r\n].*") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
