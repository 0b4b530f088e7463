package dev.sensorchat.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads upload lines in CSV form: a header {@code deviceId,ts,<metric>,...}, then one reading per
 * line. An empty cell means the reading does not carry that metric. Values contain no commas
 * (device ids, timestamps and numbers cannot), so there is no quoting.
 */
public final class CsvReadings {

    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(NaN|Infinity|inf)", Pattern.CASE_INSENSITIVE);

    private final String[] metrics;

    private CsvReadings(String[] metrics) {
        this.metrics = metrics;
    }

    /** Parses the header; the whole file is rejected when it is not usable. */
    public static CsvReadings fromHeader(String header, TelemetryLimits limits) {
        String[] columns = header.strip().split(",", -1);
        if (columns.length < 3 || !columns[0].strip().equals("deviceId") || !columns[1].strip().equals("ts")) {
            throw new IllegalArgumentException("the CSV header must be deviceId,ts,<metric>[,<metric>...]");
        }
        String[] metrics = new String[columns.length - 2];
        for (int i = 2; i < columns.length; i++) {
            String name = columns[i].strip();
            if (!TelemetryParser.isMetricName(name)) {
                throw new IllegalArgumentException("column " + (i + 1) + " of the CSV header is not a metric name: '" + name + "'");
            }
            for (int j = 0; j < i - 2; j++) {
                if (metrics[j].equals(name)) {
                    throw new IllegalArgumentException("metric '" + name + "' appears twice in the CSV header");
                }
            }
            metrics[i - 2] = name;
        }
        if (metrics.length > limits.maxMetricsPerReading()) {
            throw new IllegalArgumentException("the CSV header has more than " + limits.maxMetricsPerReading() + " metrics");
        }
        return new CsvReadings(metrics);
    }

    /** One data line as an event (times not yet checked), or why it is rejected. */
    public TelemetryParser.Result parse(String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != metrics.length + 2) {
            return rejected(RejectReason.INVALID_FIELD, null, "expected " + (metrics.length + 2) + " columns, found " + cells.length);
        }
        String deviceId = cells[0].strip();
        if (deviceId.isEmpty()) {
            return rejected(RejectReason.MISSING_FIELD, "deviceId", "deviceId is required");
        }
        if (!TelemetryParser.isDeviceId(deviceId)) {
            return rejected(RejectReason.INVALID_DEVICE_ID, "deviceId", TelemetryParser.DEVICE_ID_RULE);
        }
        String tsText = cells[1].strip();
        long ts;
        try {
            if (tsText.isEmpty()) {
                return rejected(RejectReason.MISSING_FIELD, "ts", "ts is required");
            }
            ts = tsText.chars().allMatch(Character::isDigit) ? Long.parseLong(tsText) : TelemetryParser.parseIsoInstant(tsText, "ts");
        } catch (NumberFormatException e) {
            return rejected(RejectReason.INVALID_FIELD, "ts", "epoch milliseconds must be a 64-bit integer");
        } catch (TelemetryParser.Reject reject) {
            return new TelemetryParser.Rejected(reject.rejection);
        }
        List<String> names = new ArrayList<>(metrics.length);
        List<Double> values = new ArrayList<>(metrics.length);
        for (int i = 0; i < metrics.length; i++) {
            String cell = cells[i + 2].strip();
            if (cell.isEmpty()) {
                continue;
            }
            if (NON_FINITE.matcher(cell).matches()) {
                return rejected(RejectReason.NON_FINITE_VALUE, metrics[i], "metric values must be finite");
            }
            if (!NUMBER.matcher(cell).matches()) {
                return rejected(RejectReason.INVALID_FIELD, metrics[i], "metric values must be numbers");
            }
            double value = Double.parseDouble(cell);
            if (!Double.isFinite(value)) {
                return rejected(RejectReason.NON_FINITE_VALUE, metrics[i], "metric values must be finite");
            }
            if (Math.abs(value) > TelemetryLimits.MAX_MAGNITUDE) {
                return rejected(RejectReason.VALUE_OUT_OF_RANGE, metrics[i], TelemetryLimits.MAX_MAGNITUDE_RULE);
            }
            names.add(metrics[i]);
            values.add(value);
        }
        if (names.isEmpty()) {
            return rejected(RejectReason.INVALID_FIELD, "metrics", "a line needs at least one metric value");
        }
        double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return new TelemetryParser.Accepted(new TelemetryEvent(deviceId, null,
                List.of(new Reading(ts, names.toArray(String[]::new), array))));
    }

    private static TelemetryParser.Result rejected(RejectReason reason, String field, String detail) {
        return new TelemetryParser.Rejected(new Rejection(reason, field, detail));
    }
}
