package dev.sensorchat.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.ParseErrorList;
import org.jsoup.parser.Parser;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {

    private static final Instant FROM = Instant.parse("2026-11-22T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-23T00:00:00Z");
    private static final Instant GENERATED = Instant.parse("2026-11-23T00:05:00Z");

    @Test
    void userTextIsEscapedEverywhereAndTheReportHasNoScript() {
        String name = "<script>alert(1)</script>";
        String id = "dev\"'<&>1";
        String tag = "<b onmouseover=alert(2)>x</b>";
        String rule = "<img src=x onerror=alert(3)>";
        String metric = "<svg onload=alert(4)>";
        FleetReport.Device device = device(id, name, List.of(tag, "plain"), metric(metric, hours(0, 1, 2)));
        FleetReport report = report("tag:<i>evil</i>", List.of(device),
                List.of(alert("a&1", id, rule, "critical", at("2026-11-22T01:00:00Z"), at("2026-11-22T02:00:00Z"))),
                List.of(new FleetReport.Anomaly(id, metric, at("2026-11-22T01:00:00Z"), 9, 1, 4.5)));

        String html = ReportHtml.render(report);
        Document doc = parse(html);

        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "no script tag, not even from user data");
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<img"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(doc.select("script, img, iframe, object, embed").isEmpty());
        for (Element element : doc.getAllElements()) {
            for (Attribute attribute : element.attributes()) {
                assertFalse(attribute.getKey().toLowerCase(Locale.ROOT).startsWith("on"), "event handler on " + element.tagName());
            }
        }
        // every piece of user text comes back exactly, as text
        assertEquals(name, doc.selectFirst("section.device h3").text());
        assertEquals(id, doc.selectFirst("section.device").attr("data-device-id"));
        assertEquals(id, doc.selectFirst("section.device .device-id").text());
        assertEquals(List.of(tag, "plain"), doc.select("section.device .tag").eachText());
        assertEquals(metric, doc.selectFirst("tr.metric").attr("data-metric"));
        assertEquals(metric, doc.selectFirst("tr.metric td").text());
        assertEquals(rule, doc.selectFirst("table.alert-list tr.alert td:eq(1)").text());
        assertEquals("a&1", doc.selectFirst("rect.alert-bar").attr("data-alert-id"));
        assertTrue(doc.selectFirst("rect.alert-bar > title").text().startsWith(rule + " (critical) on " + name));
        Element lane = doc.selectFirst("svg.alert-timeline text.lane-label");
        assertEquals(name + " (" + id + ")", lane.selectFirst("title").text());
        assertEquals(name.substring(0, 23) + "\u2026", lane.ownText(), "long names are shortened; the tooltip has all");
        assertEquals(name, doc.selectFirst("table.anomalies tr.anomaly td").text());
        assertTrue(doc.title().endsWith("devices tagged <i>evil</i>"), doc.title());
        assertTrue(doc.selectFirst("svg.sparkline > title").text().startsWith(metric + " of " + name));
    }

    @Test
    void textOutsideAsciiComesThroughAsReferencesAndControlCharactersAreReplaced() {
        String name = "K\u00fchlraum \u2744 \ud83d\ude00 caf\u00e9";
        FleetReport.Device device = device("k\u00fchl-1", name + "\u0007", List.of(), metric("temp\u00e9rature", hours(3)));

        String html = ReportHtml.render(report("all", List.of(device), List.of(), List.of()));

        assertTrue(html.chars().allMatch(c -> c < 0x80), "ASCII only, whatever charset it is served with");
        Document doc = parse(html);
        assertEquals(name + "\ufffd", doc.selectFirst("section.device h3").text());
        assertEquals("k\u00fchl-1", doc.selectFirst("section.device").attr("data-device-id"));
    }

    @Test
    void oneSparklinePerDeviceMetricWithDataAndNoDataSaysSo() {
        FleetReport.Device two = device("boiler-1", "Boiler 1", List.of("plant-2"),
                metric("temperature", hours(0, 1, 2, 3, 4, 5)), metric("pressure", hours(0, 1, 2, 5, 6, 9)),
                new FleetReport.Metric("flow", 0, Double.NaN, Double.NaN, Double.NaN, 0, List.of()));
        FleetReport.Device silent = device("pump-7", "Pump 7", List.of(), new FleetReport.Metric[0]);

        Document doc = parse(ReportHtml.render(report("all", List.of(two, silent), List.of(), List.of())));

        Elements sections = doc.select("section.device");
        assertEquals(List.of("boiler-1", "pump-7"), sections.eachAttr("data-device-id"));
        assertEquals(2, doc.select("svg.sparkline").size(), "temperature and pressure; flow has no data");
        assertEquals(2, sections.get(0).select("svg.sparkline").size());
        assertEquals(3, sections.get(0).select("tr.metric").size());
        assertEquals("no hourly data", sections.get(0).selectFirst("tr.metric[data-metric=flow] .no-data").text());
        assertEquals("No data in this period.", sections.get(1).selectFirst(".no-data").text());
        assertTrue(sections.get(1).select("table, svg").isEmpty());

        for (Element svg : doc.select("svg.sparkline")) {
            assertEquals("img", svg.attr("role"));
            assertFalse(svg.selectFirst("title").text().isBlank(), "accessible name");
        }
        Element temperature = doc.selectFirst("tr.metric[data-metric=temperature] svg.sparkline");
        assertEquals(1, temperature.select("polyline.line").size(), "six contiguous hours: one line");
        assertEquals(1, temperature.select("polygon.band").size());
        assertEquals(6, points(temperature.selectFirst("polyline.line")).size());
        assertEquals(12, points(temperature.selectFirst("polygon.band")).size(), "max forward, min back");

        Element pressure = doc.selectFirst("tr.metric[data-metric=pressure] svg.sparkline");
        assertEquals(2, pressure.select("polyline.line").size(), "hours 0-2 and 5-6, gaps are not bridged");
        assertEquals(1, pressure.select("circle.dot").size(), "hour 9 stands alone");
    }

    @Test
    void aSparklineIsScaledToItsMetricAndPlacedOnThePeriod() {
        // avg rises 10, 20, 30 over hours 0-2; min/max 5 below and above
        FleetReport.Metric metric = metric("temperature", List.of(hour(0, 5, 10, 15), hour(1, 15, 20, 25), hour(2, 25, 30, 35)));
        Document doc = parse(ReportHtml.render(report("all", List.of(device("d", "D", List.of(), metric)), List.of(), List.of())));

        Element svg = doc.selectFirst("svg.sparkline");
        double[] box = Arrays.stream(svg.attr("viewBox").split(" ")).mapToDouble(Double::parseDouble).toArray();
        List<double[]> line = points(svg.selectFirst("polyline.line"));
        List<double[]> band = points(svg.selectFirst("polygon.band"));
        assertEquals(6, band.size());
        double top = band.get(2)[1];     // the band runs forward along the maxima: hour 2's max (35) is the highest value
        double bottom = band.get(5)[1];  // and back along the minima: hour 0's min (5) is the lowest
        assertTrue(top >= 0 && top < box[3] * 0.15, "the highest value is near the top: " + top);
        assertTrue(bottom <= box[3] && bottom > box[3] * 0.85, "the lowest value is near the bottom: " + bottom);
        // averages 10, 20 and 30 on a 5..35 scale lie 1/6, 1/2 and 5/6 of the way up
        double[] share = {1 / 6.0, 1 / 2.0, 5 / 6.0};
        for (int k = 0; k < 3; k++) {
            assertEquals(bottom + (top - bottom) * share[k], line.get(k)[1], 0.15, "hour " + k);
        }
        // x: the middle of each hour on the 24-hour period, which spans the width with equal margins
        double step = line.get(1)[0] - line.get(0)[0];
        assertEquals(step, line.get(2)[0] - line.get(1)[0], 0.15);
        double periodStart = line.get(0)[0] - step / 2;
        double periodEnd = periodStart + 24 * step;
        assertEquals(periodStart, box[2] - periodEnd, 1.5);
        assertTrue(periodStart >= 0 && periodEnd <= box[2]);
    }

    @Test
    void timelineBarsAreClippedToThePeriod() {
        List<FleetReport.Alert> alerts = List.of(
                alert("before", "boiler-1", "overheating", "critical", at("2026-11-21T22:00:00Z"), at("2026-11-22T02:00:00Z")),
                alert("inside", "freezer-3", "too warm", "warning", at("2026-11-22T06:00:00Z"), at("2026-11-22T12:00:00Z")),
                alert("open", "freezer-3", "too warm", "critical", at("2026-11-22T18:00:00Z"), null),
                alert("after", "boiler-1", "pressure", "info", at("2026-11-22T23:00:00Z"), at("2026-11-23T03:00:00Z")),
                alert("odd", "ghost-9", "whatever", "fatal", at("2026-11-22T12:00:00Z"), at("2026-11-22T12:00:30Z")));
        List<FleetReport.Device> devices = List.of(device("boiler-1", "Boiler 1", List.of(), metric("t", hours(0))),
                device("freezer-3", "Freezer 3", List.of(), metric("t", hours(0))),
                device("quiet-1", "Quiet", List.of(), metric("t", hours(0))));

        Document doc = parse(ReportHtml.render(report("all", devices, alerts, List.of())));

        Element svg = doc.selectFirst("svg.alert-timeline");
        assertEquals(1, doc.select("svg.alert-timeline").size());
        assertEquals(List.of("Boiler 1", "Freezer 3", "ghost-9"), svg.select("text.lane-label").stream().map(Element::ownText).toList(),
                "lanes: devices with alerts in report order, then unknown ids");
        assertEquals("Boiler 1 (boiler-1)", svg.selectFirst("text.lane-label > title").text());
        Element baseline = svg.selectFirst("line.baseline");
        double left = Double.parseDouble(baseline.attr("x1"));
        double right = Double.parseDouble(baseline.attr("x2"));
        double perHour = (right - left) / 24;

        assertBar(svg, "before", left, left + 2 * perHour);
        assertBar(svg, "inside", left + 6 * perHour, left + 12 * perHour);
        assertBar(svg, "open", left + 18 * perHour, right);
        assertBar(svg, "after", left + 23 * perHour, right);
        for (Element bar : svg.select("rect.alert-bar")) {
            double x = Double.parseDouble(bar.attr("x"));
            assertTrue(x >= left && x + Double.parseDouble(bar.attr("width")) <= right + 0.05, bar.attr("data-alert-id"));
        }
        assertTrue(Double.parseDouble(bar(svg, "odd").attr("width")) >= 1, "a short alert stays visible");

        assertTrue(bar(svg, "before").hasClass("sev-critical"));
        assertTrue(bar(svg, "inside").hasClass("sev-warning"));
        assertTrue(bar(svg, "after").hasClass("sev-info"));
        assertTrue(bar(svg, "odd").hasClass("sev-other"));
        assertTrue(bar(svg, "open").hasClass("open"));
        assertFalse(bar(svg, "inside").hasClass("open"));
        assertEquals(3, svg.select("polygon.continues").size(), "before starts earlier; open and after go on");
        assertTrue(bar(svg, "open").selectFirst("title").text().contains("still open"));
        assertEquals(2, svg.select("rect.alert-bar").stream().filter(b -> b.attr("y").equals(bar(svg, "before").attr("y"))).count());

        Elements rows = doc.select("table.alert-list tr.alert");
        assertEquals(5, rows.size());
        assertEquals("open", rows.get(2).select("td").get(4).text());
        assertEquals("2026-11-21 22:00", rows.get(0).select("td").get(3).text());
    }

    @Test
    void overlappingAlertsOfOneDeviceGetRowsOfTheirOwn() {
        List<FleetReport.Alert> alerts = List.of(
                alert("door", "freezer-3", "door open", "info", at("2026-11-22T14:00:00Z"), at("2026-11-22T14:09:00Z")),
                alert("warm", "freezer-3", "too warm", "critical", at("2026-11-22T14:05:00Z"), at("2026-11-22T14:50:00Z")),
                alert("later", "freezer-3", "too warm", "warning", at("2026-11-22T16:00:00Z"), at("2026-11-22T17:00:00Z")),
                alert("other", "boiler-1", "hot", "warning", at("2026-11-22T14:00:00Z"), at("2026-11-22T15:00:00Z")));
        List<FleetReport.Device> devices = List.of(device("boiler-1", "Boiler 1", List.of(), metric("t", hours(0))),
                device("freezer-3", "Freezer 3", List.of(), metric("t", hours(0))));

        Element svg = parse(ReportHtml.render(report("all", devices, alerts, List.of()))).selectFirst("svg.alert-timeline");

        double door = Double.parseDouble(bar(svg, "door").attr("y"));
        double warm = Double.parseDouble(bar(svg, "warm").attr("y"));
        double height = Double.parseDouble(bar(svg, "door").attr("height"));
        assertTrue(Math.abs(door - warm) >= height, "overlapping bars do not cover each other");
        assertEquals(bar(svg, "door").attr("y"), bar(svg, "later").attr("y"), "a later alert reuses the first row");
        assertTrue(Double.parseDouble(bar(svg, "other").attr("y")) < Math.min(door, warm), "boiler-1's lane comes first");
        List<Double> rects = svg.select("rect.lane").stream().map(r -> Double.parseDouble(r.attr("height"))).toList();
        assertTrue(rects.get(0) < Math.abs(door - warm) + 2 * height, "boiler-1's lane has one row");
    }

    @Test
    void anEmptyReportRenders() {
        FleetReport empty = new FleetReport(FROM, TO, "device:nobody", GENERATED, new FleetReport.Fleet(0, 0, 0, 0, 0, 0, 0, 0),
                List.of(), List.of(), List.of());

        String html = ReportHtml.render(empty);
        Document doc = parse(html);

        assertEquals("Fleet report \u00b7 2026-11-22 (UTC) \u00b7 device nobody", doc.title());
        assertEquals("No alerts in this period.", doc.selectFirst(".no-alerts").text());
        assertEquals("No unusual hours in this period.", doc.selectFirst(".no-anomalies").text());
        assertEquals("No devices in scope.", doc.selectFirst(".devices .no-data").text());
        assertTrue(doc.select("svg").isEmpty());
        assertEquals("0", doc.selectFirst(".card[data-key=devices] .value").text());
        assertEquals("0%", doc.selectFirst(".card[data-key=availability] .value").text());
    }

    @Test
    void summaryCardsShowTheFleet() {
        FleetReport report = new FleetReport(FROM, TO, "all", GENERATED,
                new FleetReport.Fleet(7, 6, 1_234_567, 0.8571428571, 5, 4, 2, 135), List.of(), List.of(), List.of());

        Document doc = parse(ReportHtml.render(report));

        assertEquals("7", card(doc, "devices"));
        assertEquals("6 of 7", card(doc, "reporting"));
        assertEquals("1,234,567", card(doc, "readings"));
        assertEquals("85.7%", card(doc, "availability"));
        assertEquals("5", card(doc, "alerts-opened"));
        assertEquals("4", card(doc, "alerts-resolved"));
        assertEquals("2", card(doc, "alerts-open"));
        assertEquals("135", card(doc, "alert-minutes"));
        assertEquals("alert minutes (2 h 15 min)", doc.selectFirst(".card[data-key=alert-minutes] .label").text());
        assertEquals("2026-11-22 (UTC)", doc.selectFirst(".period").text());
        assertEquals("2026-11-23T00:05:00Z", doc.selectFirst("time").attr("datetime"));
    }

    @Test
    void numbersAreShortAndLocaleIndependent() {
        assertEquals("21.57", ReportHtml.number(21.5678));
        assertEquals("21.5", ReportHtml.number(21.5));
        assertEquals("-18", ReportHtml.number(-18.0));
        assertEquals("0", ReportHtml.number(-0.001));
        assertEquals("1200", ReportHtml.number(1200));
        assertEquals("58%", ReportHtml.percent(0.58));
        assertEquals("99.9%", ReportHtml.percent(0.99999), "100% only when complete");
        assertEquals("100%", ReportHtml.percent(1));
        assertEquals("12,345", ReportHtml.count(12_345));
        assertEquals("2026-11-20 to 2026-11-22 (UTC)", ReportHtml.periodText(at("2026-11-20T00:00:00Z"), TO));
        assertEquals("2026-11-22 06:00 to 2026-11-22 18:00 UTC",
                ReportHtml.periodText(at("2026-11-22T06:00:00Z"), at("2026-11-22T18:00:00Z")));
    }

    @Test
    void theSameReportRendersTheSameInAnyLocale() {
        FleetReport report = sample();
        String first = ReportHtml.render(report);
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals(first, ReportHtml.render(report));
            Locale.setDefault(Locale.forLanguageTag("ar-EG"));
            assertEquals(first, ReportHtml.render(report));
        } finally {
            Locale.setDefault(before);
        }
        assertTrue(first.contains(">21.33<"), "a dot as decimal separator, two decimals: the average 21.33392");
    }

    @Test
    void thePageIsSelfContainedAndPrintable() {
        String html = ReportHtml.render(sample());
        Document doc = parse(html);

        assertTrue(doc.select("link, script, img, iframe, object, embed, [src], [href]").isEmpty(), "nothing loaded from elsewhere");
        String css = doc.select("style").html();
        assertFalse(css.contains("url("), "no external fonts or images");
        assertFalse(css.contains("@import"));
        assertTrue(css.contains("@media print"));
        assertTrue(css.contains("break-inside: avoid"));
        assertTrue(css.contains("size: A4"));
        assertEquals("utf-8", doc.selectFirst("meta[charset]").attr("charset"));
        assertEquals("en", doc.selectFirst("html").attr("lang"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    /**
     * Parses strictly twice: as XML (so every element is closed and every attribute quoted) and as HTML5
     * with jsoup's error tracking (so a browser parses it as written), then returns the jsoup document.
     */
    private static Document parse(String html) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed: " + e.getMessage(), e);
        }
        Parser parser = Parser.htmlParser().setTrackErrors(50);
        Document doc = parser.parseInput(html, "");
        ParseErrorList errors = parser.getErrors();
        assertTrue(errors.isEmpty(), "HTML parse errors: " + errors);
        return doc;
    }

    private static String card(Document doc, String key) {
        return doc.selectFirst(".card[data-key=" + key + "] .value").text();
    }

    private static Element bar(Element svg, String id) {
        return svg.selectFirst("rect.alert-bar[data-alert-id=" + id + "]");
    }

    private static void assertBar(Element svg, String id, double expectedStart, double expectedEnd) {
        Element bar = bar(svg, id);
        double x = Double.parseDouble(bar.attr("x"));
        assertEquals(expectedStart, x, 0.1, id + " starts");
        assertEquals(expectedEnd, x + Double.parseDouble(bar.attr("width")), 0.1, id + " ends");
    }

    private static List<double[]> points(Element element) {
        List<double[]> points = new ArrayList<>();
        for (String pair : element.attr("points").trim().split(" ")) {
            String[] xy = pair.split(",");
            points.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return points;
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static List<FleetReport.Hour> hours(int... hours) {
        List<FleetReport.Hour> list = new ArrayList<>();
        for (int h : hours) {
            double avg = 20 + h;
            list.add(hour(h, avg - 1, avg, avg + 1.5));
        }
        return list;
    }

    private static FleetReport.Hour hour(int h, double min, double avg, double max) {
        return new FleetReport.Hour(FROM.plus(Duration.ofHours(h)), 60, min, avg, max);
    }

    private static FleetReport.Metric metric(String name, List<FleetReport.Hour> hours) {
        double min = hours.stream().mapToDouble(FleetReport.Hour::min).min().orElse(Double.NaN);
        double max = hours.stream().mapToDouble(FleetReport.Hour::max).max().orElse(Double.NaN);
        double avg = hours.stream().mapToDouble(FleetReport.Hour::avg).average().orElse(Double.NaN);
        return new FleetReport.Metric(name, 60L * hours.size(), min, avg, max, hours.size() / 24.0, hours);
    }

    private static FleetReport.Device device(String id, String name, List<String> tags, FleetReport.Metric... metrics) {
        double availability = Arrays.stream(metrics).mapToDouble(FleetReport.Metric::availability).max().orElse(0);
        return new FleetReport.Device(id, name, tags, availability, List.of(metrics), 0);
    }

    private static FleetReport.Alert alert(String id, String deviceId, String rule, String severity, Instant opened, Instant resolved) {
        long from = Math.max(opened.toEpochMilli(), FROM.toEpochMilli());
        long to = Math.min(resolved == null ? TO.toEpochMilli() : resolved.toEpochMilli(), TO.toEpochMilli());
        return new FleetReport.Alert(id, deviceId, rule, severity, opened, resolved, !opened.isBefore(FROM),
                resolved != null && resolved.isBefore(TO), Math.max(0, (to - from) / 60_000));
    }

    private static FleetReport report(String scope, List<FleetReport.Device> devices, List<FleetReport.Alert> alerts,
                                      List<FleetReport.Anomaly> anomalies) {
        int reporting = (int) devices.stream().filter(d -> d.metrics().stream().anyMatch(m -> m.count() > 0)).count();
        long readings = devices.stream().flatMap(d -> d.metrics().stream()).mapToLong(FleetReport.Metric::count).sum();
        double availability = devices.stream().mapToDouble(FleetReport.Device::availability).average().orElse(0);
        int opened = (int) alerts.stream().filter(FleetReport.Alert::openedInPeriod).count();
        int resolved = (int) alerts.stream().filter(FleetReport.Alert::resolvedInPeriod).count();
        int open = alerts.size() - resolved;
        long minutes = alerts.stream().mapToLong(FleetReport.Alert::minutesOpen).sum();
        return new FleetReport(FROM, TO, scope, GENERATED,
                new FleetReport.Fleet(devices.size(), reporting, readings, availability, opened, resolved, open, minutes),
                devices, alerts, anomalies);
    }

    private static FleetReport sample() {
        FleetReport.Metric temperature = metric("temperature", List.of(hour(0, 20.1, 21.5678, 23.2), hour(1, 19.9, 21.1, 22.8)));
        FleetReport.Metric humidity = metric("humidity", List.of(hour(0, 55, 58.25, 61), hour(1, 56, 57.5, 60)));
        return report("all", List.of(device("gh-1", "Greenhouse 1", List.of("greenhouse"), temperature, humidity),
                        device("pump-7", "Pump 7", List.of(), new FleetReport.Metric[0])),
                List.of(alert("a1", "gh-1", "too warm", "warning", at("2026-11-22T00:30:00Z"), at("2026-11-22T01:10:00Z"))),
                List.of(new FleetReport.Anomaly("gh-1", "temperature", at("2026-11-22T00:00:00Z"), 23.2, 21.33, 2.1)));
    }
}
