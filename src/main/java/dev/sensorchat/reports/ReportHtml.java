package dev.sensorchat.reports;

import dev.sensorchat.common.Numbers;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a {@link FleetReport} as {@code fleet.html}: one self-contained page (no scripts, no external
 * style sheets, fonts or images) with inline SVG charts, readable on screen and printable on A4.
 *
 * <p>Every piece of text taken from the report is escaped, in element content and in attribute values alike;
 * the output is ASCII only (other characters become numeric references), so it reads the same whatever
 * charset it is served with, and it is well-formed XML as well as HTML. The same report always renders to
 * the same string.
 *
 * <p>Classes a reader (or a test) can rely on: {@code svg.alert-timeline} with one {@code rect.alert-bar} per
 * alert drawn ({@code sev-info}, {@code sev-warning} or {@code sev-critical}), {@code section.device} per
 * device, {@code tr.metric} per metric and in it {@code svg.sparkline} when the metric has hourly data,
 * {@code table.anomalies}, {@code table.alert-list} and {@code .card} for the fleet summary.
 */
public final class ReportHtml {

    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /** Severity colours; unknown severities are grey. Set as SVG attributes, so they survive printing and copying. */
    private static final Map<String, String> SEVERITY_COLOURS = new LinkedHashMap<>();

    static {
        SEVERITY_COLOURS.put("info", "#2563eb");
        SEVERITY_COLOURS.put("warning", "#d97706");
        SEVERITY_COLOURS.put("critical", "#dc2626");
    }

    private static final String OTHER_COLOUR = "#6b7280";
    /** The timeline's time axis and day lines. */
    static final String AXIS = "#9aa5b1";
    static final String SPARK_LINE = "#1d4ed8";
    static final String SPARK_BAND = "#bfdbfe";
    /** The alert list stops here; fleet.json and fleet.csv have every alert. */
    static final int MAX_LISTED_ALERTS = 200;

    // Alert timeline geometry, in viewBox units.
    private static final int TL_WIDTH = 1000;
    private static final int TL_LABELS = 170;
    private static final int TL_RIGHT = 14;
    private static final int TL_AXIS = 30;
    private static final int TL_LANE = 22;
    private static final int TL_BAR = 14;
    /** Extra height per row when a device's alerts overlap. */
    private static final int TL_ROW = 17;
    private static final double TL_MIN_BAR = 2;

    // Sparkline geometry, in viewBox units.
    private static final int SP_WIDTH = 220;
    private static final int SP_HEIGHT = 40;
    private static final int SP_PAD = 3;

    private static final String CSS = """
            :root { color-scheme: light; }
            * { box-sizing: border-box; }
            html { background: #f4f6f8; }
            body { margin: 0; color: #1f2933; background: #f4f6f8;
              font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
            main { max-width: 1120px; margin: 0 auto; padding: 24px; }
            h1 { font-size: 24px; margin: 0 0 4px; }
            h2 { font-size: 18px; margin: 0 0 10px; }
            h3 { font-size: 16px; margin: 0; }
            .period { font-size: 16px; margin: 0; }
            .meta { color: #52606d; margin: 2px 0 0; }
            .muted { color: #52606d; }
            .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(122px, 1fr)); gap: 10px; margin: 18px 0 0; }
            .card { background: #fff; border: 1px solid #d9e0e7; border-radius: 6px; padding: 10px 12px; }
            .card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
            .card .label { color: #52606d; font-size: 12px; }
            .card.warn .value { color: #b45309; }
            .card.bad .value { color: #b91c1c; }
            .panel { background: #fff; border: 1px solid #d9e0e7; border-radius: 6px; padding: 14px 16px; margin: 16px 0 0; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e9ef; vertical-align: middle; }
            th { font-size: 12px; font-weight: 600; color: #52606d; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .nowrap { white-space: nowrap; }
            .low { color: #b91c1c; font-weight: 600; }
            .sev { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; }
            .sev-info { background: #2563eb; } .sev-warning { background: #d97706; }
            .sev-critical { background: #dc2626; } .sev-other { background: #6b7280; }
            .legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 10px; font-size: 12px; color: #52606d; }
            svg.alert-timeline { display: block; width: 100%; height: auto; }
            svg.sparkline { display: block; width: 220px; height: 40px; }
            table.metrics { table-layout: fixed; }
            table.metrics th.num { width: 12%; }
            table.metrics th.spark { width: 240px; }
            .device { margin: 0; padding: 12px 0 14px; border-top: 1px solid #d9e0e7; }
            .device:first-of-type { border-top: 0; padding-top: 0; }
            .device-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 14px; margin: 0 0 6px; }
            .device-head code { color: #52606d; }
            .tag { display: inline-block; background: #e8edf3; border-radius: 3px; padding: 0 6px; margin-right: 4px; font-size: 12px; }
            .no-data, .no-alerts, .no-anomalies { color: #52606d; font-style: italic; margin: 4px 0; }
            footer { color: #52606d; font-size: 12px; margin: 16px 0 0; }
            @page { size: A4; margin: 12mm; }
            @media print {
              html, body { background: #fff; font-size: 10pt; }
              body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              main { max-width: none; padding: 0; }
              .cards { grid-template-columns: repeat(4, 1fr); }
              .panel { border: 0; padding: 0; margin-top: 12pt; }
              .card { border-color: #bcc5cf; }
              h2 { break-after: avoid; page-break-after: avoid; }
              .summary, svg.alert-timeline, .device { break-inside: avoid; page-break-inside: avoid; }
              thead { display: table-header-group; }
              tr { break-inside: avoid; page-break-inside: avoid; }
              th, td { padding: 2px 6px; }
              table.metrics th.num { width: 11%; }
              table.metrics th.spark { width: 172px; }
              svg.sparkline { width: 160px; height: 29px; }
            }
            """;

    /** The page's one style element, as written; its hash lets a page that embeds the report allow it and no other inline style. */
    private static final String STYLE_ELEMENT = "\n" + CSS;

    /** A CSP source for the report's style element ({@code 'sha256-...'}), for pages that show the report in a frame. */
    public static String styleHashSource() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(STYLE_ELEMENT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "'sha256-" + java.util.Base64.getEncoder().encodeToString(digest) + "'";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ReportHtml() {
    }

    public static String render(FleetReport report) {
        long fromMs = report.from().toEpochMilli();
        long toMs = Math.max(report.to().toEpochMilli(), fromMs + 1);
        List<FleetReport.Device> devices = orEmpty(report.devices());
        Map<String, FleetReport.Device> byId = new HashMap<>();
        for (FleetReport.Device device : devices) {
            byId.putIfAbsent(device.deviceId(), device);
        }
        String period = periodText(report.from(), report.to());
        String scope = scopeText(report.scope());

        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>Fleet report &#183; ").append(esc(period)).append(" &#183; ").append(esc(scope)).append("</title>\n")
                .append("<style>").append(STYLE_ELEMENT).append("</style>\n</head>\n<body>\n<main>\n");

        h.append("<header>\n<h1>Fleet report</h1>\n<p class=\"period\">").append(esc(period)).append("</p>\n")
                .append("<p class=\"meta\">Scope: <span class=\"scope\">").append(esc(scope)).append("</span>");
        if (report.generatedAt() != null) {
            h.append(" &#183; generated <time datetime=\"").append(esc(report.generatedAt().toString())).append("\">")
                    .append(esc(dateTime(report.generatedAt()))).append(" UTC</time>");
        }
        h.append(" &#183; from hourly rollups</p>\n</header>\n");

        summary(h, report.fleet());
        alerts(h, report, devices, byId, fromMs, toMs);
        anomalies(h, orEmpty(report.topAnomalies()), byId);
        devices(h, devices, fromMs, toMs);

        h.append("<footer>sensorchat fleet report &#183; ").append(esc(period)).append(" &#183; ").append(esc(scope))
                .append(". Times are UTC. The same data is in fleet.json and fleet.csv.</footer>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    // ---------------------------------------------------------------------------------------------- sections

    private static void summary(StringBuilder h, FleetReport.Fleet f) {
        h.append("<section class=\"summary\" aria-label=\"Fleet summary\">\n<div class=\"cards\">\n");
        if (f == null) {
            h.append("</div>\n</section>\n");
            return;
        }
        card(h, "devices", count(f.devices()), "devices", "");
        card(h, "reporting", count(f.reporting()) + " <span class=\"muted\">of " + count(f.devices()) + "</span>", "reporting",
                f.reporting() < f.devices() ? "warn" : "");
        card(h, "readings", count(f.readings()), "readings", "");
        card(h, "availability", percent(f.availability()), "availability", f.availability() < 0.9 ? "warn" : "");
        card(h, "alerts-opened", count(f.alertsOpened()), "alerts opened", "");
        card(h, "alerts-resolved", count(f.alertsResolved()), "alerts resolved", "");
        card(h, "alerts-open", count(f.alertsOpenAtEnd()), "open at end", f.alertsOpenAtEnd() > 0 ? "bad" : "");
        card(h, "alert-minutes", count(f.alertMinutes()), "alert minutes" + (f.alertMinutes() >= 60 ? " (" + hoursMinutes(f.alertMinutes()) + ")" : ""), "");
        h.append("</div>\n</section>\n");
    }

    /** {@code value} is already markup (numbers and fixed text); {@code label} is fixed text. */
    private static void card(StringBuilder h, String key, String value, String label, String mood) {
        h.append("<div class=\"card").append(mood.isEmpty() ? "" : " " + mood).append("\" data-key=\"").append(key).append("\">")
                .append("<div class=\"value\">").append(value).append("</div><div class=\"label\">").append(esc(label))
                .append("</div></div>\n");
    }

    private static void alerts(StringBuilder h, FleetReport report, List<FleetReport.Device> devices,
                               Map<String, FleetReport.Device> byId, long fromMs, long toMs) {
        List<FleetReport.Alert> alerts = orEmpty(report.alerts());
        h.append("<section class=\"panel alerts\">\n<h2>Alerts</h2>\n");
        if (alerts.isEmpty()) {
            h.append("<p class=\"no-alerts\">No alerts in this period.</p>\n</section>\n");
            return;
        }
        timeline(h, alerts, devices, byId, fromMs, toMs);
        h.append("<div class=\"legend\">");
        for (Map.Entry<String, String> severity : SEVERITY_COLOURS.entrySet()) {
            h.append("<span><span class=\"sev sev-").append(severity.getKey()).append("\">").append(severity.getKey()).append("</span></span>");
        }
        h.append("<span>&#9666; &#9656; open before the period began, or still open at its end</span></div>\n");

        h.append("<table class=\"alert-list\">\n<thead><tr><th>Device</th><th>Rule</th><th>Severity</th><th>Opened (UTC)</th>"
                + "<th>Resolved (UTC)</th><th class=\"num\">Minutes in period</th></tr></thead>\n<tbody>\n");
        int listed = 0;
        for (FleetReport.Alert alert : alerts) {
            if (listed++ == MAX_LISTED_ALERTS) {
                break;
            }
            h.append("<tr class=\"alert\"><td>").append(esc(displayName(alert.deviceId(), byId))).append("</td><td>")
                    .append(esc(alert.rule())).append("</td><td>").append(severityChip(alert.severity())).append("</td><td class=\"nowrap\">")
                    .append(alert.openedAt() == null ? "" : esc(dateTime(alert.openedAt()))).append("</td><td class=\"nowrap\">")
                    .append(alert.resolvedAt() == null ? "<span class=\"low\">open</span>" : esc(dateTime(alert.resolvedAt())))
                    .append("</td><td class=\"num\">").append(count(alert.minutesOpen())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        if (alerts.size() > MAX_LISTED_ALERTS) {
            h.append("<p class=\"muted\">").append(count(alerts.size() - MAX_LISTED_ALERTS))
                    .append(" more alerts are in fleet.json and fleet.csv.</p>\n");
        }
        h.append("</section>\n");
    }

    /** An alert's bar: where it starts and how wide it is, and its row within its device's lane. */
    private record Bar(FleetReport.Alert alert, double x, double width, int row) {
    }

    /**
     * One lane per device with alerts (report order, then unknown devices by id); x is the period. Alerts of
     * one device that overlap in time get rows of their own in its lane, so none hides another.
     */
    private static void timeline(StringBuilder h, List<FleetReport.Alert> alerts, List<FleetReport.Device> devices,
                                 Map<String, FleetReport.Device> byId, long fromMs, long toMs) {
        Set<String> withAlerts = new TreeSet<>();
        for (FleetReport.Alert alert : alerts) {
            withAlerts.add(String.valueOf(alert.deviceId()));
        }
        Map<String, List<Bar>> lanes = new LinkedHashMap<>();
        for (FleetReport.Device device : devices) {
            if (withAlerts.remove(String.valueOf(device.deviceId()))) {
                lanes.put(String.valueOf(device.deviceId()), new ArrayList<>());
            }
        }
        for (String unknown : withAlerts) {
            lanes.put(unknown, new ArrayList<>());
        }

        // bars, clipped to the period, placed in the first row of their lane where they fit
        long span = toMs - fromMs;
        int plotWidth = TL_WIDTH - TL_LABELS - TL_RIGHT;
        List<FleetReport.Alert> byStart = new ArrayList<>(alerts);
        byStart.sort(Comparator.comparingLong(ReportHtml::openedMs));
        Map<String, List<Double>> rowEnds = new HashMap<>();
        int drawn = 0;
        for (FleetReport.Alert alert : byStart) {
            long start = Math.max(openedMs(alert), fromMs);
            long end = Math.min(alert.resolvedAt() == null ? toMs : alert.resolvedAt().toEpochMilli(), toMs);
            if (end < start || start > toMs) {
                continue;
            }
            double x1 = TL_LABELS + (double) (start - fromMs) / span * plotWidth;
            double x2 = TL_LABELS + (double) (end - fromMs) / span * plotWidth;
            double width = Math.max(x2 - x1, TL_MIN_BAR);
            List<Double> ends = rowEnds.computeIfAbsent(String.valueOf(alert.deviceId()), k -> new ArrayList<>());
            int row = 0;
            while (row < ends.size() && ends.get(row) + 1 > x1) {
                row++;
            }
            if (row == ends.size()) {
                ends.add(0.0);
            }
            ends.set(row, x1 + width + 6); // room for a "continues" mark
            lanes.get(String.valueOf(alert.deviceId())).add(new Bar(alert, x1, width, row));
            drawn++;
        }

        Map<String, Integer> laneTops = new LinkedHashMap<>();
        int bottom = TL_AXIS;
        for (String deviceId : lanes.keySet()) {
            laneTops.put(deviceId, bottom);
            bottom += laneHeight(rowEnds.getOrDefault(deviceId, List.of()).size());
        }
        int height = bottom + 6;
        h.append("<svg class=\"alert-timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(TL_WIDTH).append(' ')
                .append(height).append("\" width=\"").append(TL_WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-labelledby=\"alert-timeline-title\" font-family=\"system-ui, Arial, sans-serif\">\n")
                .append("<title id=\"alert-timeline-title\">Alert timeline: ").append(drawn)
                .append(drawn == 1 ? " alert" : " alerts").append(" on ").append(lanes.size())
                .append(lanes.size() == 1 ? " device" : " devices").append("</title>\n");

        // lanes
        int index = 0;
        for (Map.Entry<String, Integer> lane : laneTops.entrySet()) {
            int y = lane.getValue();
            int laneHeight = laneHeight(rowEnds.getOrDefault(lane.getKey(), List.of()).size());
            if (index++ % 2 == 0) {
                h.append("<rect class=\"lane\" x=\"0\" y=\"").append(y).append("\" width=\"").append(TL_WIDTH)
                        .append("\" height=\"").append(laneHeight).append("\" fill=\"#f4f6f8\"/>\n");
            }
            String name = displayName(lane.getKey(), byId);
            h.append("<text class=\"lane-label\" x=\"").append(TL_LABELS - 8).append("\" y=\"").append(y + TL_LANE / 2 + 4)
                    .append("\" text-anchor=\"end\" font-size=\"12\" fill=\"#1f2933\"><title>").append(esc(name));
            if (!name.equals(lane.getKey())) {
                h.append(" (").append(esc(lane.getKey())).append(')');
            }
            h.append("</title>").append(esc(shorten(name, 24))).append("</text>\n");
        }

        // time axis: hours (labelled every few hours) and days for up to three days, else days only
        h.append("<g class=\"axis\" font-size=\"11\" fill=\"#52606d\">\n");
        if (span <= 3 * DAY_MS) {
            long hours = span / HOUR_MS;
            int labelStep = hours <= 12 ? 1 : hours <= 24 ? 3 : hours <= 48 ? 6 : 12;
            for (long t = ceil(fromMs, HOUR_MS); t <= toMs; t += HOUR_MS) {
                double x = TL_LABELS + (double) (t - fromMs) / span * plotWidth;
                boolean midnight = Math.floorMod(t, DAY_MS) == 0;
                int hourOfDay = (int) (Math.floorMod(t, DAY_MS) / HOUR_MS);
                gridLine(h, x, midnight ? 14 : TL_AXIS - 4, bottom, midnight ? AXIS : "#e4e8ed");
                if (midnight) {
                    axisLabel(h, x, dayLabel(t), true, plotWidth);
                } else if (hourOfDay % labelStep == 0) {
                    axisLabel(h, x, String.format(Locale.ROOT, "%02d:00", hourOfDay), false, plotWidth);
                }
            }
        } else {
            long days = (span + DAY_MS - 1) / DAY_MS;
            long labelStep = Math.max(1, (days + 13) / 14);
            for (long t = ceil(fromMs, DAY_MS); t <= toMs; t += DAY_MS) {
                double x = TL_LABELS + (double) (t - fromMs) / span * plotWidth;
                gridLine(h, x, 14, bottom, "#cbd2d9");
                if (((t - ceil(fromMs, DAY_MS)) / DAY_MS) % labelStep == 0) {
                    axisLabel(h, x, dayLabel(t), true, plotWidth);
                }
            }
        }
        h.append("<line class=\"baseline\" x1=\"").append(TL_LABELS).append("\" y1=\"").append(TL_AXIS).append("\" x2=\"").append(TL_LABELS + plotWidth)
                .append("\" y2=\"").append(TL_AXIS).append("\" stroke=\"").append(AXIS).append("\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\" shape-rendering=\"crispEdges\"/>\n</g>\n");

        // bars, in the report's order of alerts
        Map<FleetReport.Alert, Bar> bars = new IdentityHashMap<>();
        lanes.values().forEach(list -> list.forEach(bar -> bars.put(bar.alert(), bar)));
        for (FleetReport.Alert alert : alerts) {
            Bar bar = bars.get(alert);
            if (bar == null) {
                continue;
            }
            double y = laneTops.get(String.valueOf(alert.deviceId())) + (TL_LANE - TL_BAR) / 2.0 + bar.row() * TL_ROW;
            String severity = severityKey(alert.severity());
            String colour = colourOf(severity);
            boolean before = openedMs(alert) < fromMs;
            boolean after = alert.resolvedAt() == null || alert.resolvedAt().toEpochMilli() > toMs;
            h.append("<rect class=\"alert-bar sev-").append(severity).append(alert.resolvedAt() == null ? " open" : "")
                    .append("\" data-alert-id=\"").append(esc(alert.id())).append("\" x=\"").append(coord(bar.x())).append("\" y=\"")
                    .append(coord(y)).append("\" width=\"").append(coord(bar.width())).append("\" height=\"").append(TL_BAR)
                    .append("\" rx=\"2\" fill=\"").append(colour).append("\"><title>").append(esc(alertTitle(alert, byId)))
                    .append("</title></rect>\n");
            if (before) {
                arrow(h, bar.x(), -6, y, colour);
            }
            if (after) {
                arrow(h, bar.x() + bar.width(), 6, y, colour);
            }
        }
        h.append("</svg>\n");
    }

    /** A small triangle at a bar's end: it goes on beyond the period. */
    private static void arrow(StringBuilder h, double x, double dx, double y, String colour) {
        h.append("<polygon class=\"continues\" points=\"").append(coord(x)).append(',').append(coord(y)).append(' ')
                .append(coord(x + dx)).append(',').append(coord(y + TL_BAR / 2.0)).append(' ').append(coord(x)).append(',')
                .append(coord(y + TL_BAR)).append("\" fill=\"").append(colour).append("\"/>\n");
    }

    private static int laneHeight(int rows) {
        return TL_LANE + Math.max(0, rows - 1) * TL_ROW;
    }

    /** When it opened; an alert without an opening time counts as open since ever. */
    private static long openedMs(FleetReport.Alert alert) {
        return alert.openedAt() == null ? Long.MIN_VALUE : alert.openedAt().toEpochMilli();
    }

    private static void gridLine(StringBuilder h, double x, int y1, int y2, String colour) {
        h.append("<line x1=\"").append(coord(x)).append("\" y1=\"").append(y1).append("\" x2=\"").append(coord(x)).append("\" y2=\"")
                .append(y2).append("\" stroke=\"").append(colour).append("\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\" shape-rendering=\"crispEdges\"/>\n");
    }

    private static void axisLabel(StringBuilder h, double x, String text, boolean day, int plotWidth) {
        String anchor = x - TL_LABELS < 16 ? "start" : TL_LABELS + plotWidth - x < 16 ? "end" : "middle";
        h.append("<text x=\"").append(coord(x)).append("\" y=\"").append(day ? 11 : 22).append("\" text-anchor=\"").append(anchor)
                .append('"').append(day ? " font-weight=\"600\" fill=\"#1f2933\"" : "").append('>').append(esc(text)).append("</text>\n");
    }

    private static String alertTitle(FleetReport.Alert alert, Map<String, FleetReport.Device> byId) {
        StringBuilder t = new StringBuilder();
        t.append(nz(alert.rule())).append(" (").append(nz(alert.severity())).append(") on ").append(displayName(alert.deviceId(), byId))
                .append(": opened ").append(alert.openedAt() == null ? "?" : dateTime(alert.openedAt())).append(", ")
                .append(alert.resolvedAt() == null ? "still open" : "resolved " + dateTime(alert.resolvedAt()))
                .append(" UTC; ").append(alert.minutesOpen()).append(" min in the period");
        return t.toString();
    }

    private static void anomalies(StringBuilder h, List<FleetReport.Anomaly> anomalies, Map<String, FleetReport.Device> byId) {
        h.append("<section class=\"panel top-anomalies\">\n<h2>Top anomalies</h2>\n");
        if (anomalies.isEmpty()) {
            h.append("<p class=\"no-anomalies\">No unusual hours in this period.</p>\n</section>\n");
            return;
        }
        h.append("<table class=\"anomalies\">\n<thead><tr><th>Device</th><th>Metric</th><th>Hour (UTC)</th><th class=\"num\">Value</th>"
                + "<th class=\"num\">Period average</th><th class=\"num\">Score (&#963;)</th></tr></thead>\n<tbody>\n");
        for (FleetReport.Anomaly a : anomalies) {
            h.append("<tr class=\"anomaly\"><td>").append(esc(displayName(a.deviceId(), byId))).append("</td><td>").append(esc(a.metric()))
                    .append("</td><td class=\"nowrap\">").append(a.hour() == null ? "" : esc(dateTime(a.hour()))).append("</td><td class=\"num\">")
                    .append(number(a.value())).append("</td><td class=\"num\">").append(number(a.average())).append("</td><td class=\"num\">")
                    .append(number(a.score())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void devices(StringBuilder h, List<FleetReport.Device> devices, long fromMs, long toMs) {
        h.append("<section class=\"panel devices\">\n<h2>Devices</h2>\n");
        if (devices.isEmpty()) {
            h.append("<p class=\"no-data\">No devices in scope.</p>\n");
        }
        for (FleetReport.Device device : devices) {
            List<FleetReport.Metric> metrics = orEmpty(device.metrics());
            String name = displayName(device.deviceId(), device);
            h.append("<section class=\"device\" data-device-id=\"").append(esc(device.deviceId())).append("\">\n<div class=\"device-head\">")
                    .append("<h3>").append(esc(name)).append("</h3><code class=\"device-id\">").append(esc(device.deviceId())).append("</code>");
            List<String> tags = orEmpty(device.tags());
            if (!tags.isEmpty()) {
                h.append("<span class=\"tags\">");
                for (String tag : tags) {
                    h.append("<span class=\"tag\">").append(esc(tag)).append("</span>");
                }
                h.append("</span>");
            }
            h.append("<span>availability <b").append(device.availability() < 0.9 ? " class=\"low\"" : "").append('>')
                    .append(percent(device.availability())).append("</b></span><span>").append(count(device.alertsOpened()))
                    .append(device.alertsOpened() == 1 ? " alert" : " alerts").append(" opened</span></div>\n");
            boolean anyData = false;
            for (FleetReport.Metric metric : metrics) {
                anyData |= metric.count() > 0 || !orEmpty(metric.hourly()).isEmpty();
            }
            if (!anyData) {
                h.append("<p class=\"no-data\">No data in this period.</p>\n</section>\n");
                continue;
            }
            h.append("<table class=\"metrics\">\n<thead><tr><th>Metric</th><th class=\"num\">Readings</th><th class=\"num\">Min</th>"
                    + "<th class=\"num\">Avg</th><th class=\"num\">Max</th><th class=\"num\">Availability</th>"
                    + "<th class=\"spark\">Hourly average</th></tr></thead>\n<tbody>\n");
            for (FleetReport.Metric metric : metrics) {
                boolean data = metric.count() > 0;
                h.append("<tr class=\"metric\" data-metric=\"").append(esc(metric.metric())).append("\"><td>").append(esc(metric.metric()))
                        .append("</td><td class=\"num\">").append(count(metric.count())).append("</td><td class=\"num\">")
                        .append(data ? number(metric.min()) : "&#8211;").append("</td><td class=\"num\">")
                        .append(data ? number(metric.avg()) : "&#8211;").append("</td><td class=\"num\">")
                        .append(data ? number(metric.max()) : "&#8211;").append("</td><td class=\"num").append(metric.availability() < 0.9 ? " low" : "")
                        .append("\">").append(percent(metric.availability())).append("</td><td class=\"spark\">");
                sparkline(h, name, metric, fromMs, toMs);
                h.append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n</section>\n");
        }
        h.append("</section>\n");
    }

    /**
     * The hourly averages as a line over a light band from the hourly minimum to maximum, scaled to this
     * metric; x is the whole period, so hours without data are gaps.
     */
    private static void sparkline(StringBuilder h, String deviceName, FleetReport.Metric metric, long fromMs, long toMs) {
        List<FleetReport.Hour> hours = new ArrayList<>();
        for (FleetReport.Hour hour : orEmpty(metric.hourly())) {
            if (hour.start() != null && Double.isFinite(hour.avg()) && Double.isFinite(hour.min()) && Double.isFinite(hour.max())) {
                hours.add(hour);
            }
        }
        if (hours.isEmpty()) {
            h.append("<span class=\"no-data\">no hourly data</span>");
            return;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double avgLo = Double.POSITIVE_INFINITY;
        double avgHi = Double.NEGATIVE_INFINITY;
        for (FleetReport.Hour hour : hours) {
            lo = Math.min(lo, Math.min(hour.min(), hour.avg()));
            hi = Math.max(hi, Math.max(hour.max(), hour.avg()));
            avgLo = Math.min(avgLo, hour.avg());
            avgHi = Math.max(avgHi, hour.avg());
        }
        long span = toMs - fromMs;
        double plotW = SP_WIDTH - 2.0 * SP_PAD;
        double plotH = SP_HEIGHT - 2.0 * SP_PAD;
        double range = hi - lo;

        h.append("<svg class=\"sparkline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(SP_WIDTH).append(' ').append(SP_HEIGHT)
                .append("\" width=\"").append(SP_WIDTH).append("\" height=\"").append(SP_HEIGHT).append("\" role=\"img\">")
                .append("<title>").append(esc(metric.metric())).append(" of ").append(esc(deviceName)).append(", hourly averages from ")
                .append(number(avgLo)).append(" to ").append(number(avgHi)).append(" (lowest reading ").append(number(lo))
                .append(", highest ").append(number(hi)).append("), ").append(hours.size()).append(hours.size() == 1 ? " hour" : " hours")
                .append(" with data</title>")
                .append("<rect class=\"frame\" x=\"0\" y=\"0\" width=\"").append(SP_WIDTH).append("\" height=\"").append(SP_HEIGHT)
                .append("\" fill=\"#f8fafc\"/>");

        // contiguous runs of hours
        int runStart = 0;
        for (int i = 1; i <= hours.size(); i++) {
            boolean breaks = i == hours.size()
                    || hours.get(i).start().toEpochMilli() - hours.get(i - 1).start().toEpochMilli() > HOUR_MS;
            if (!breaks) {
                continue;
            }
            List<FleetReport.Hour> run = hours.subList(runStart, i);
            runStart = i;
            double[] xs = new double[run.size()];
            for (int k = 0; k < run.size(); k++) {
                double mid = run.get(k).start().toEpochMilli() + HOUR_MS / 2.0 - fromMs;
                xs[k] = SP_PAD + Math.max(0, Math.min(1, mid / span)) * plotW;
            }
            if (run.size() == 1) {
                FleetReport.Hour only = run.get(0);
                h.append("<line class=\"band\" x1=\"").append(coord(xs[0])).append("\" y1=\"").append(coord(y(only.max(), lo, range, plotH)))
                        .append("\" x2=\"").append(coord(xs[0])).append("\" y2=\"").append(coord(y(only.min(), lo, range, plotH)))
                        .append("\" stroke=\"").append(SPARK_BAND).append("\" stroke-width=\"3\"/>")
                        .append("<circle class=\"dot\" cx=\"").append(coord(xs[0])).append("\" cy=\"")
                        .append(coord(y(only.avg(), lo, range, plotH))).append("\" r=\"1.8\" fill=\"").append(SPARK_LINE).append("\"/>");
                continue;
            }
            h.append("<polygon class=\"band\" points=\"");
            for (int k = 0; k < run.size(); k++) {
                point(h, xs[k], y(run.get(k).max(), lo, range, plotH));
            }
            for (int k = run.size() - 1; k >= 0; k--) {
                point(h, xs[k], y(run.get(k).min(), lo, range, plotH));
            }
            h.setLength(h.length() - 1);
            h.append("\" fill=\"").append(SPARK_BAND).append("\" stroke=\"none\"/><polyline class=\"line\" points=\"");
            for (int k = 0; k < run.size(); k++) {
                point(h, xs[k], y(run.get(k).avg(), lo, range, plotH));
            }
            h.setLength(h.length() - 1);
            h.append("\" fill=\"none\" stroke=\"").append(SPARK_LINE)
                    .append("\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>");
        }
        h.append("</svg>");
    }

    private static double y(double value, double lo, double range, double plotH) {
        if (!(range > 0)) {
            return SP_HEIGHT / 2.0;
        }
        return SP_PAD + (1 - (value - lo) / range) * plotH;
    }

    private static void point(StringBuilder h, double x, double y) {
        h.append(coord(x)).append(',').append(coord(y)).append(' ');
    }

    // ---------------------------------------------------------------------------------------------- text

    /**
     * Escapes text for element content and attribute values alike: {@code & < > " '}, and every character
     * outside printable ASCII as a numeric reference; control characters and unpaired surrogates (not
     * allowed in HTML or XML) become U+FFFD. Null is the empty string.
     */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\t', '\n' -> out.append((char) cp);
                case '\r' -> out.append(' ');
                default -> {
                    if (cp >= 0x20 && cp < 0x7f) {
                        out.append((char) cp);
                    } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || Character.getType(cp) == Character.SURROGATE
                            || cp == 0xfffe || cp == 0xffff) {
                        out.append("&#xfffd;");
                    } else {
                        out.append("&#x").append(Integer.toHexString(cp)).append(';');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String severityChip(String severity) {
        return "<span class=\"sev sev-" + severityKey(severity) + "\">" + esc(severity) + "</span>";
    }

    /** The colour of a severity's bars and labels. */
    static String colourOf(String severity) {
        return SEVERITY_COLOURS.getOrDefault(severityKey(severity), OTHER_COLOUR);
    }

    /** A class-safe key: one of the known severities, else {@code other}. */
    private static String severityKey(String severity) {
        String key = severity == null ? "" : severity.toLowerCase(Locale.ROOT);
        return SEVERITY_COLOURS.containsKey(key) ? key : "other";
    }

    private static String displayName(String deviceId, Map<String, FleetReport.Device> byId) {
        return displayName(deviceId, byId.get(deviceId));
    }

    private static String displayName(String deviceId, FleetReport.Device device) {
        if (device != null && device.name() != null && !device.name().isBlank()) {
            return device.name();
        }
        return nz(deviceId);
    }

    private static String scopeText(String scope) {
        if (scope == null || scope.isBlank() || scope.equals("all")) {
            return "all devices";
        }
        if (scope.startsWith("device:")) {
            return "device " + scope.substring("device:".length());
        }
        if (scope.startsWith("tag:")) {
            return "devices tagged " + scope.substring("tag:".length());
        }
        return scope;
    }

    /** {@code 2026-11-22 (UTC)}, {@code 2026-11-20 to 2026-11-22 (UTC)} or {@code 2026-11-22 06:00 to 2026-11-22 18:00 UTC}. */
    static String periodText(Instant from, Instant to) {
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        if (f % DAY_MS == 0 && t % DAY_MS == 0 && t > f) {
            String first = date(from);
            String last = date(to.minusMillis(DAY_MS));
            return (first.equals(last) ? first : first + " to " + last) + " (UTC)";
        }
        return dateTime(from) + " to " + dateTime(to) + " UTC";
    }

    private static String date(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC).toLocalDate().toString();
    }

    /** {@code 2026-11-22 09:10}, in UTC. */
    static String dateTime(Instant at) {
        LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%s %02d:%02d", t.toLocalDate(), t.getHour(), t.getMinute());
    }

    private static String dayLabel(long epochMs) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
        return t.getDayOfMonth() + " " + MONTHS[t.getMonthValue() - 1];
    }

    private static String hoursMinutes(long minutes) {
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }

    /** Written as the chat writes numbers ({@link Texts#number}); a dash when not a number. */
    static String number(double value) {
        return Double.isFinite(value) ? Numbers.number(value) : "&#8211;";
    }

    /** A share (0 to 1) as a percentage with at most one decimal, rounded down: 100% only when complete. */
    static String percent(double share) {
        if (!Double.isFinite(share)) {
            return "&#8211;";
        }
        BigDecimal rounded = BigDecimal.valueOf(share).movePointRight(2).setScale(1, RoundingMode.DOWN);
        return (rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString()) + "%";
    }

    /** Written as the chat writes counts ({@link Texts#count}). */
    static String count(long value) {
        return Numbers.count(value);
    }

    /** An SVG coordinate: one decimal at most. */
    private static String coord(double value) {
        long tenths = Math.round(value * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths < 0 && tenths > -10 ? "-" : "") + tenths / 10 + "." + Math.abs(tenths % 10);
    }

    private static String shorten(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "\u2026";
    }

    private static long ceil(long value, long unit) {
        return Math.floorDiv(value + unit - 1, unit) * unit;
    }

    private static String nz(String text) {
        return text == null ? "" : text;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
