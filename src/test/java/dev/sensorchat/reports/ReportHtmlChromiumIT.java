package dev.sensorchat.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sensorchat.testing.Chromium;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/**
 * Renders {@code fleet.html} for a realistic day of a fleet in a real headless Chromium, and checks what a
 * person would see: the page loads without a single console message or script error, the DOM Chromium built
 * holds every chart ({@code svg.sparkline} per device and metric, {@code svg.alert-timeline} with a bar per
 * alert), and the screenshot is a full, non-blank page whose timeline and sparklines are painted.
 *
 * <p>Output: {@code target/report-screenshot/fleet.html} and {@code fleet.png}. With
 * {@code -Dsensorchat.updateScreenshot=true} the PNG is also copied to {@code docs/report-example.png}, the
 * screenshot the README shows; without it {@code docs/} is left alone:
 * <pre>mvn -B verify -Dit.test=ReportHtmlChromiumIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dsensorchat.updateScreenshot=true</pre>
 *
 * <p>Chromium is found as {@link dev.sensorchat.testing.Chromium} says; without one the tests are skipped.
 */
class ReportHtmlChromiumIT {

    private static final Path OUT = Path.of("target", "report-screenshot");
    private static final Path DOCS_SCREENSHOT = Path.of("docs", "report-example.png");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int WIDTH = 1280;
    /** Tall enough for the whole page; the real height is measured on this first screenshot. */
    private static final int MEASURE_HEIGHT = 8000;
    /** Chromium writes each console message (and uncaught exception) to its log as {@code ...:CONSOLE...] "text"}. */
    private static final Pattern SCRIPT_TROUBLE = Pattern.compile(":CONSOLE|Uncaught");

    private static final Instant FROM = Instant.parse("2026-11-22T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-23T00:00:00Z");


    @Test
    void theFleetReportRendersInChromiumWithItsChartsAndNoScriptErrors() throws Exception {
        FleetReport report = realisticDay();
        Files.createDirectories(OUT);
        Path html = OUT.resolve("fleet.html");
        Files.writeString(html, ReportHtml.render(report), StandardCharsets.UTF_8);
        int metricsWithData = (int) report.devices().stream().flatMap(d -> d.metrics().stream()).filter(m -> m.count() > 0).count();
        assertEquals(18, metricsWithData, "the fixture: six devices with three metrics each");

        // 1. load it tall: the DOM Chromium built, its log, and a first screenshot to measure the page
        Path measure = OUT.resolve("fleet-measure.png");
        Run first = chromium(html, MEASURE_HEIGHT, measure);
        assertEquals(List.of(), first.scriptTrouble(), "console messages or script errors:\n" + first.stderr());
        Document dom = Jsoup.parse(first.stdout());
        assertEquals(metricsWithData, dom.select("svg.sparkline").size(), "one sparkline per device and metric with data");
        assertEquals(metricsWithData, dom.select("svg.sparkline polyline.line").stream()
                .map(p -> p.closest("svg.sparkline")).distinct().count(), "every sparkline has a line");
        assertEquals(1, dom.select("svg.alert-timeline").size());
        assertEquals(report.alerts().size(), dom.select("svg.alert-timeline rect.alert-bar").size());
        assertEquals(6, dom.select("svg.alert-timeline text.lane-label").size(), "six devices had alerts");
        assertEquals(report.devices().size(), dom.select("section.device").size());
        assertEquals("No data in this period.", dom.selectFirst("section.device[data-device-id=pump-7] .no-data").text());
        assertEquals(report.topAnomalies().size(), dom.select("table.anomalies tr.anomaly").size());
        assertTrue(dom.select("script").isEmpty());

        BufferedImage tall = ImageIO.read(measure.toFile());
        assertNotNull(tall, "Chromium wrote a PNG");
        int contentBottom = lastRowUnlike(tall, tall.getRGB(0, tall.getHeight() - 1));
        assertTrue(contentBottom < MEASURE_HEIGHT - 50, "the page is taller than " + MEASURE_HEIGHT + " px: raise MEASURE_HEIGHT");
        int height = contentBottom + 1 + 24;
        Files.delete(measure);

        // 2. the screenshot at the page's own height
        Path png = OUT.resolve("fleet.png");
        Run second = chromium(html, height, png);
        assertEquals(List.of(), second.scriptTrouble(), second.stderr());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "a valid PNG");
        assertEquals(WIDTH, image.getWidth());
        assertEquals(height, image.getHeight());
        assertTrue(height > 1500, "a whole report, not an empty page: " + height + " px");
        assertTrue(distinctColours(image) > 200, "text, cards and charts, anti-aliased");

        // the timeline: under its time axis, down to where the line of its first midnight ends, bars of each severity
        int axis = firstRowWith(image, ReportHtml.AXIS, 500);
        assertTrue(axis > 0, "the timeline's time axis is painted");
        int midnight = firstColumnWith(image, ReportHtml.AXIS, axis);
        int lanesBottom = axis;
        for (int y = axis; y < Math.min(image.getHeight(), axis + 600); y++) {
            if (close(image.getRGB(midnight, y), rgb(ReportHtml.AXIS))) {
                lanesBottom = y;
            }
        }
        assertTrue(lanesBottom - axis > 6 * 20, "six lanes under the axis: " + (lanesBottom - axis) + " px");
        StringBuilder painted = new StringBuilder();
        for (String severity : List.of("critical", "warning", "info")) {
            long pixels = count(image, ReportHtml.colourOf(severity), axis, lanesBottom);
            painted.append(severity).append(' ').append(pixels).append(" px, ");
            assertTrue(pixels >= 20, severity + " bars are painted in the timeline: " + pixels + " px");
        }
        // the sparklines: a band and a line each, below the timeline
        long band = count(image, ReportHtml.SPARK_BAND, lanesBottom, image.getHeight());
        long line = count(image, ReportHtml.SPARK_LINE, lanesBottom, image.getHeight());
        assertTrue(band >= metricsWithData * 150L, "sparkline bands are painted: " + band + " px");
        assertTrue(line >= metricsWithData * 40L, "sparkline lines are painted: " + line + " px");

        System.out.println("ReportHtmlChromiumIT: " + png + " " + WIDTH + "x" + height + "; timeline rows " + axis + "-" + lanesBottom
                + ": " + painted + "sparklines: band " + band + " px, line " + line + " px");

        if (Boolean.getBoolean("sensorchat.updateScreenshot")) {
            Files.createDirectories(DOCS_SCREENSHOT.getParent());
            Files.copy(png, DOCS_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("ReportHtmlChromiumIT: updated " + DOCS_SCREENSHOT.toAbsolutePath() + " (" + WIDTH + "x" + height + ")");
        }
    }

    /** The check above is only worth something if a script error would show: here is one. */
    @Test
    void aScriptErrorOnAPageIsCaught() throws Exception {
        Files.createDirectories(OUT);
        Path page = OUT.resolve("script-error.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p>x</p><script>null.boom();</script></body></html>");

        Run run = chromium(page, 200, OUT.resolve("script-error.png"));

        assertFalse(run.scriptTrouble().isEmpty(), run.stderr());
        assertTrue(run.scriptTrouble().stream().anyMatch(l -> l.contains("Uncaught TypeError")), run.scriptTrouble().toString());
    }

    // ------------------------------------------------------------------------------------------ Chromium

    private record Run(String stdout, String stderr) {
        List<String> scriptTrouble() {
            return stderr.lines().filter(l -> SCRIPT_TROUBLE.matcher(l).find()).toList();
        }
    }

    /** One headless Chromium: screenshot to {@code png}, the DOM on stdout, its log (with console messages) on stderr. */
    private static Run chromium(Path page, int height, Path png) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(OUT.toAbsolutePath(), "chromium-profile-");
        Path stdout = OUT.resolve("chromium.out");
        Path stderr = OUT.resolve("chromium.err");
        Files.deleteIfExists(png);
        Path chromium = Chromium.findOrSkip("ReportHtmlChromiumIT");
        List<String> command = List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--mute-audio", "--force-device-scale-factor=1", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0", "--window-size=" + WIDTH + "," + height,
                "--screenshot=" + png.toAbsolutePath(), "--dump-dom", page.toAbsolutePath().toUri().toString());
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("Chromium did not finish within " + TIMEOUT.toSeconds() + " s: " + command);
            }
            String err = Files.readString(stderr);
            assertEquals(0, process.exitValue(), "Chromium failed:\n" + err);
            assertTrue(Files.isRegularFile(png), "no screenshot:\n" + err);
            return new Run(Files.readString(stdout), err);
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Chromium may still be closing files in its profile; target/ is cleaned by the next build
        }
    }

    // ------------------------------------------------------------------------------------------ pixels

    private static int lastRowUnlike(BufferedImage image, int background) {
        for (int y = image.getHeight() - 1; y >= 0; y--) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) != (background & 0xffffff)) {
                    return y;
                }
            }
        }
        return -1;
    }

    private static int firstRowWith(BufferedImage image, String colour, int atLeast) {
        for (int y = 0; y < image.getHeight(); y++) {
            if (count(image, colour, y, y + 1) >= atLeast) {
                return y;
            }
        }
        return -1;
    }

    private static int firstColumnWith(BufferedImage image, String colour, int row) {
        for (int x = 0; x < image.getWidth(); x++) {
            if (close(image.getRGB(x, row), rgb(colour))) {
                return x;
            }
        }
        return -1;
    }

    private static int rgb(String colour) {
        return Integer.parseInt(colour.substring(1), 16);
    }

    private static long count(BufferedImage image, String colour, int fromRow, int toRow) {
        int rgb = rgb(colour);
        long n = 0;
        for (int y = Math.max(0, fromRow); y < Math.min(toRow, image.getHeight()); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (close(image.getRGB(x, y), rgb)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean close(int a, int b) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > 3) {
                return false;
            }
        }
        return true;
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return colours.size();
    }

    // ------------------------------------------------------------------------------------------ the fixture

    /**
     * A day of seven devices: six report three metrics each with a daily cycle (one with a three-hour gap),
     * one is silent; eight alerts, one open since before the day and still open, one crossing the start of
     * the day, one open at its end; the top anomalies computed from the hourly data as the report defines them.
     */
    static FleetReport realisticDay() {
        Random random = new Random(20261122);
        List<FleetReport.Device> devices = new ArrayList<>();
        devices.add(device(random, "boiler-1", "Boiler 1, plant 2", List.of("plant-2", "heating"), Set.of(),
                metric("temperature", h -> 72 + 5 * cycle(h, 7), 1.2),
                metric("pressure", h -> 1.6 + 0.12 * cycle(h, 7), 0.03),
                metric("flow", h -> 12 + 4 * cycle(h, 8), 0.8)));
        devices.add(device(random, "boiler-2", "Boiler 2, plant 2", List.of("plant-2", "heating"), Set.of(),
                metric("temperature", h -> 68 + 4 * cycle(h, 7), 1.0),
                metric("pressure", h -> 1.55 + 0.1 * cycle(h, 7) - (h == 5 ? 0.35 : 0), 0.03),
                metric("flow", h -> 10 + 3 * cycle(h, 8), 0.7)));
        devices.add(device(random, "freezer-3", "Freezer 3 (cold store)", List.of("cold-chain"), Set.of(),
                metric("temperature", h -> -18.5 + 0.5 * cycle(h, 15) + (h == 14 ? 5.5 : h == 21 || h == 22 || h == 23 ? 2.2 : 0), 0.4),
                metric("humidity", h -> 72 + 4 * cycle(h, 15), 1.5),
                metric("power", h -> 1.2 + 0.25 * cycle(h, 15), 0.08)));
        devices.add(device(random, "greenhouse-north", "Greenhouse north", List.of("greenhouse", "site-a"), Set.of(),
                metric("temperature", h -> 21 + 4.5 * cycle(h, 14) + (h == 13 ? 3.5 : 0), 0.9),
                metric("humidity", h -> 65 - 12 * cycle(h, 14), 2.5),
                metric("co2", h -> 620 - 160 * cycle(h, 13), 25)));
        devices.add(device(random, "greenhouse-south", "Greenhouse south", List.of("greenhouse", "site-a"), Set.of(13, 14, 15),
                metric("temperature", h -> 22 + 5 * cycle(h, 14), 0.9),
                metric("humidity", h -> 60 - 14 * cycle(h, 14), 2.5),
                metric("co2", h -> 600 - 150 * cycle(h, 13), 25)));
        devices.add(new FleetReport.Device("pump-7", "Pump 7", List.of("plant-2"), 0, List.of(), 0));
        devices.add(device(random, "tank-4", "Water tank 4", List.of("site-a"), Set.of(),
                metric("level", h -> 82 - 0.9 * h, 0.6),
                metric("temperature", h -> 11 + 1.2 * cycle(h, 16), 0.2),
                metric("pressure", h -> 2.1 + 0.04 * cycle(h, 16), 0.01)));

        List<FleetReport.Alert> alerts = new ArrayList<>(List.of(
                alert("pump-7", "offline", "critical", "2026-11-20T09:00:00Z", null),
                alert("boiler-1", "boiler overheating", "critical", "2026-11-21T22:40:00Z", "2026-11-22T01:15:00Z"),
                alert("boiler-2", "pressure low", "warning", "2026-11-22T05:02:00Z", "2026-11-22T06:31:00Z"),
                alert("greenhouse-north", "too warm", "warning", "2026-11-22T12:40:00Z", "2026-11-22T14:10:00Z"),
                alert("greenhouse-south", "offline", "warning", "2026-11-22T13:20:00Z", "2026-11-22T16:00:00Z"),
                alert("freezer-3", "door open", "info", "2026-11-22T14:00:00Z", "2026-11-22T14:09:00Z"),
                alert("freezer-3", "freezer too warm", "critical", "2026-11-22T14:05:00Z", "2026-11-22T14:50:00Z"),
                alert("freezer-3", "freezer too warm", "warning", "2026-11-22T21:30:00Z", null)));
        alerts.sort(Comparator.comparing(FleetReport.Alert::openedAt));
        devices.replaceAll(d -> new FleetReport.Device(d.deviceId(), d.name(), d.tags(), d.availability(), d.metrics(),
                (int) alerts.stream().filter(a -> a.deviceId().equals(d.deviceId()) && a.openedInPeriod()).count()));

        int reporting = (int) devices.stream().filter(d -> !d.metrics().isEmpty()).count();
        long readings = devices.stream().flatMap(d -> d.metrics().stream()).mapToLong(FleetReport.Metric::count).sum();
        double availability = devices.stream().mapToDouble(FleetReport.Device::availability).average().orElse(0);
        FleetReport.Fleet fleet = new FleetReport.Fleet(devices.size(), reporting, readings, availability,
                (int) alerts.stream().filter(FleetReport.Alert::openedInPeriod).count(),
                (int) alerts.stream().filter(FleetReport.Alert::resolvedInPeriod).count(),
                (int) alerts.stream().filter(a -> a.resolvedAt() == null || !a.resolvedAt().isBefore(TO)).count(),
                alerts.stream().mapToLong(FleetReport.Alert::minutesOpen).sum());
        return new FleetReport(FROM, TO, "all", Instant.parse("2026-11-23T00:05:12Z"), fleet, devices, alerts, topAnomalies(devices, 5));
    }

    /** A daily cycle in [-1, 1] peaking at {@code peakHour}. */
    private static double cycle(int hour, int peakHour) {
        return Math.cos(2 * Math.PI * (hour - peakHour) / 24);
    }

    private record MetricSpec(String name, IntToDoubleFunction level, double spread) {
    }

    private static MetricSpec metric(String name, IntToDoubleFunction level, double spread) {
        return new MetricSpec(name, level, spread);
    }

    private static FleetReport.Device device(Random random, String id, String name, List<String> tags, Set<Integer> missingHours,
                                             MetricSpec... specs) {
        List<FleetReport.Metric> metrics = new ArrayList<>();
        for (MetricSpec spec : specs) {
            List<FleetReport.Hour> hourly = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                if (missingHours.contains(h)) {
                    continue;
                }
                double avg = spec.level().applyAsDouble(h) + spec.spread() * 0.3 * random.nextGaussian();
                double min = avg - spec.spread() * (0.6 + random.nextDouble());
                double max = avg + spec.spread() * (0.6 + random.nextDouble());
                hourly.add(new FleetReport.Hour(FROM.plus(Duration.ofHours(h)), 57 + random.nextInt(4), round(min), round(avg), round(max)));
            }
            long count = hourly.stream().mapToLong(FleetReport.Hour::count).sum();
            double sum = hourly.stream().mapToDouble(hr -> hr.avg() * hr.count()).sum();
            metrics.add(new FleetReport.Metric(spec.name(), count,
                    hourly.stream().mapToDouble(FleetReport.Hour::min).min().orElseThrow(), round(sum / count),
                    hourly.stream().mapToDouble(FleetReport.Hour::max).max().orElseThrow(), count / 1440.0, hourly));
        }
        double availability = metrics.stream().mapToDouble(FleetReport.Metric::availability).max().orElse(0);
        return new FleetReport.Device(id, name, tags, availability, metrics, 0);
    }

    private static FleetReport.Alert alert(String deviceId, String rule, String severity, String opened, String resolved) {
        Instant openedAt = Instant.parse(opened);
        Instant resolvedAt = resolved == null ? null : Instant.parse(resolved);
        Instant start = openedAt.isBefore(FROM) ? FROM : openedAt;
        Instant end = resolvedAt == null || resolvedAt.isAfter(TO) ? TO : resolvedAt;
        String id = deviceId + ":" + rule.replace(' ', '-') + ":" + openedAt.toEpochMilli();
        return new FleetReport.Alert(id, deviceId, rule, severity, openedAt, resolvedAt, !openedAt.isBefore(FROM),
                resolvedAt != null && resolvedAt.isBefore(TO), Duration.between(start, end).toMinutes());
    }

    /** Per device and metric the hour whose extreme lies furthest from the average, in standard deviations of the hourly averages. */
    private static List<FleetReport.Anomaly> topAnomalies(List<FleetReport.Device> devices, int limit) {
        List<FleetReport.Anomaly> candidates = new ArrayList<>();
        for (FleetReport.Device device : devices) {
            for (FleetReport.Metric metric : device.metrics()) {
                double mean = metric.hourly().stream().mapToDouble(FleetReport.Hour::avg).average().orElse(0);
                double sd = Math.sqrt(metric.hourly().stream().mapToDouble(h -> (h.avg() - mean) * (h.avg() - mean)).average().orElse(0));
                if (sd == 0) {
                    continue;
                }
                FleetReport.Anomaly best = null;
                for (FleetReport.Hour hour : metric.hourly()) {
                    double extreme = Math.abs(hour.max() - mean) >= Math.abs(hour.min() - mean) ? hour.max() : hour.min();
                    double score = Math.abs(extreme - mean) / sd;
                    if (best == null || score > best.score()) {
                        best = new FleetReport.Anomaly(device.deviceId(), metric.metric(), hour.start(), extreme, round(mean), round(score));
                    }
                }
                candidates.add(best);
            }
        }
        candidates.sort(Comparator.comparingDouble(FleetReport.Anomaly::score).reversed());
        return List.copyOf(candidates.subList(0, Math.min(limit, candidates.size())));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
