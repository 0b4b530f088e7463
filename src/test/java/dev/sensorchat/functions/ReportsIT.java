package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.reports.FleetReport;
import dev.sensorchat.reports.ReportIndexDocument;
import dev.sensorchat.reports.ReportPeriod;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.reports.ReportService;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.Simulators;
import dev.sensorchat.testing.TestClock;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reports over a week of simulated telemetry: the simulators upload a week of gateway files, the
 * pipeline aggregates them, and every number of the reports is checked against the simulators'
 * ground truth. Then the daily timer (twice, late, concurrently) and the API.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final LocalDate FIRST_DAY = TODAY.minusDays(7);
    private static final LocalDate LAST_DAY = TODAY.minusDays(1);
    private static final String HOT_DEVICE = "th" + RUN + "-1";

    private AppContext app;
    private TestClock clock;
    private JsonNode groundTruth;
    private Path dir;

    @BeforeAll
    void simulateAWeek(LocalAzure azure) throws Exception {
        dir = Files.createTempDirectory("reports-it");
        Map<String, String> settings = new HashMap<>(azure.appSettings());
        settings.put(AppContext.UPLOAD_MAX_AGE_HOURS, "200"); // a week plus today, as uploads
        settings.put(BlobContainerNames.UPLOADS_CONTAINER, "uploads-" + RUN);
        settings.put(BlobContainerNames.REPORTS_CONTAINER, "reports-" + RUN);
        settings.putAll(ChatDeliveries.settings("http://127.0.0.1:9")); // chat channels on; nothing is sent out here
        clock = new TestClock(Instant.now());
        app = new AppContext(new AppSettings(settings), clock);
        app.rules().create(Json.MAPPER.readTree("""
                {"id": "hot", "name": "Too hot", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                 "operator": ">", "threshold": 40, "clear": {"operator": "<", "threshold": 35}, "severity": "critical"}""".formatted(HOT_DEVICE)));

        Path truth = dir.resolve("truth.json");
        Simulators.run(dir, List.of("devices", "--devices", "9", "--interval", "10m", "--seed", "21", "--speed", "0",
                "--start", FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toString(), "--duration", "7d",
                "--prefix", "thermostat=th" + RUN + ",air-quality=aq" + RUN + ",machine=mc" + RUN,
                "--fault", HOT_DEVICE + " overheats at +2d for 2h", "--anomaly-rate", "0.002",
                "--duplicate-rate", "0.01", "--malformed-rate", "0.01",
                "--target", "blob", "--blob-connection-string", azure.storageConnectionString(), "--container", "uploads-" + RUN,
                "--blob-format", "csv", "--gateways", "3", "--events-per-file", "2000", "--ground-truth", truth.toString()));
        groundTruth = Json.MAPPER.readTree(truth.toFile());

        BlobStore uploads = app.blobStore("uploads-" + RUN);
        UploadFunction function = new UploadFunction(app::uploads, app::blobStore);
        for (String name : uploads.list("gateway-")) {
            function.run(uploads.client(name), new TestExecutionContext("uploads"));
        }
    }

    @AfterAll
    void close() {
        app.close();
    }

    /** Ground truth summed over a period: device|metric → {count, sum, min, max, minutes with data}. */
    private Map<String, double[]> truthOver(ReportPeriod period) {
        Map<String, double[]> totals = new TreeMap<>();
        for (JsonNode window : groundTruth.get("windows")) {
            Instant start = Instant.parse(window.get("start").asText());
            if (start.isBefore(period.from()) || !start.isBefore(period.to())) {
                continue;
            }
            double[] t = totals.computeIfAbsent(window.get("deviceId").asText() + "|" + window.get("metric").asText(),
                    key -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE, 0});
            t[0] += window.get("count").asDouble();
            t[1] += window.get("sum").asDouble();
            t[2] = Math.min(t[2], window.get("min").asDouble());
            t[3] = Math.max(t[3], window.get("max").asDouble());
            t[4] += 1;
        }
        return totals;
    }

    private void assertEqualsGroundTruth(FleetReport report, ReportPeriod period) {
        Map<String, double[]> expected = truthOver(period);
        Map<String, FleetReport.Metric> actual = new TreeMap<>();
        report.devices().forEach(device -> device.metrics().forEach(metric -> actual.put(device.deviceId() + "|" + metric.metric(), metric)));
        assertEquals(expected.keySet(), actual.keySet());
        long readings = 0;
        for (var entry : expected.entrySet()) {
            double[] t = entry.getValue();
            FleetReport.Metric metric = actual.get(entry.getKey());
            assertEquals((long) t[0], metric.count(), entry.getKey());
            assertEquals(t[1] / t[0], metric.avg(), 1e-9 * Math.max(1, Math.abs(metric.avg())), entry.getKey());
            assertEquals(t[2], metric.min(), 0, entry.getKey());
            assertEquals(t[3], metric.max(), 0, entry.getKey());
            assertEquals(t[4] / period.minutes(), metric.availability(), 1e-12, entry.getKey());
            readings += (long) t[0];
        }
        assertEquals(readings, report.fleet().readings());
    }

    @Test
    void aWeeksReportEqualsTheGroundTruth() {
        ReportPeriod week = ReportPeriod.days(FIRST_DAY, LAST_DAY);
        FleetReport report = app.reports().build(week, RuleScope.all());
        assertEquals(9, report.fleet().devices());
        assertEquals(9, report.fleet().reporting());
        assertEqualsGroundTruth(report, week);

        // The overheat: one alert, opened as it began, open about two hours (spikes may open short ones too).
        Instant faultStart = FIRST_DAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<FleetReport.Alert> alerts = report.alerts().stream().filter(a -> a.deviceId().equals(HOT_DEVICE)
                && !a.openedAt().isBefore(faultStart) && a.openedAt().isBefore(faultStart.plusSeconds(600))).toList();
        assertEquals(1, alerts.size(), report.alerts().toString());
        FleetReport.Alert hot = alerts.get(0);
        assertTrue(hot.openedInPeriod() && hot.resolvedInPeriod());
        assertEquals("Too hot", hot.rule());
        assertTrue(Math.abs(hot.minutesOpen() - 120) <= 10, hot.toString());
        assertEquals(report.alerts().size(), report.fleet().alertsOpened());
        // The simulated spikes are the anomalies: most unusual first, one per device and metric, at most ten.
        List<FleetReport.Anomaly> anomalies = report.topAnomalies();
        assertTrue(!anomalies.isEmpty() && anomalies.size() <= 10, anomalies.toString());
        for (int i = 0; i < anomalies.size(); i++) {
            assertTrue(anomalies.get(i).score() >= 3 && (i == 0 || anomalies.get(i - 1).score() >= anomalies.get(i).score()));
        }
        assertEquals(anomalies.size(), anomalies.stream().map(a -> a.deviceId() + a.metric()).distinct().count());
    }

    @Test
    void theDailyTimerMakesOneReportPerDayHoweverOftenAndLateItFires() throws Exception {
        clock.set(TODAY.atTime(0, 15).toInstant(ZoneOffset.UTC));
        ReportsFunction timer = new ReportsFunction(app::reports);
        TestExecutionContext first = new TestExecutionContext("dailyReport");
        timer.run("{\"Schedule\":{},\"IsPastDue\":false}", first);
        assertTrue(first.loggedMessages().get(0).startsWith("dailyReport pastDue=false built=[" + FIRST_DAY), first.loggedMessages().toString());

        for (LocalDate day = FIRST_DAY; !day.isAfter(LAST_DAY); day = day.plusDays(1)) {
            ReportIndexDocument record = app.reports().dailyRecord(day).orElseThrow();
            boolean yesterday = day.equals(LAST_DAY);
            assertEquals(yesterday ? "timer" : "timer-catch-up", record.trigger(), day.toString());
            assertEquals(!yesterday, record.caughtUp(), day.toString());
            FleetReport stored = Json.MAPPER.readValue(app.reports().daily(day, ReportService.Format.JSON).orElseThrow(), FleetReport.class);
            assertEqualsGroundTruth(stored, ReportPeriod.day(day));
        }
        BlobStore reports = app.blobStore("reports-" + RUN);
        String folder = String.format("%04d/%02d/%02d/", LAST_DAY.getYear(), LAST_DAY.getMonthValue(), LAST_DAY.getDayOfMonth());
        assertEquals(List.of(folder + "fleet.csv", folder + "fleet.html", folder + "fleet.json"), reports.list(folder));

        // Fired again: nothing new.
        TestExecutionContext again = new TestExecutionContext("dailyReport");
        timer.run("{\"IsPastDue\":false}", again);
        assertEquals("dailyReport pastDue=false built=[] present=7", again.loggedMessages().get(0));

        // A day later, the timer fires late and twice at once: one report, recorded as caught up.
        clock.set(TODAY.plusDays(1).atTime(3, 0).toInstant(ZoneOffset.UTC));
        CompletableFuture<ReportService.DailyRun> a = CompletableFuture.supplyAsync(() -> app.reports().runDaily(true));
        CompletableFuture<ReportService.DailyRun> b = CompletableFuture.supplyAsync(() -> app.reports().runDaily(true));
        assertEquals(1, a.get().built().size() + b.get().built().size());
        ReportIndexDocument late = app.reports().dailyRecord(TODAY).orElseThrow();
        assertTrue(late.caughtUp());
        assertEquals("timer-catch-up", late.trigger());
        assertEquals(8, app.reports().list(50, null).items().stream().filter(r -> r.kind().equals(ReportIndexDocument.DAILY)).count());
    }

    private HttpResponseMessage get(String route, Map<String, String> query) {
        ReportsApi api = new ReportsApi(app);
        TestHttpRequest request = TestHttpRequest.get("http://localhost/api/" + route);
        query.forEach(request::query);
        TestExecutionContext context = new TestExecutionContext("reports");
        if (route.equals("reports")) {
            return api.build(request, context);
        }
        if (route.equals("reports/daily")) {
            return api.list(request, context);
        }
        return api.daily(request, route.substring("reports/daily/".length()), context);
    }

    private static String text(HttpResponseMessage response) {
        Object body = response.getBody();
        return body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(body);
    }

    @Test
    void theApiBuildsReportsOnDemandInEachFormAndServesStoredOnes() throws Exception {
        Map<String, String> week = Map.of("from", FIRST_DAY.toString(), "to", LAST_DAY.toString());
        HttpResponseMessage json = get("reports", week);
        assertEquals(200, json.getStatusCode());
        assertEquals("application/json", json.getHeader("Content-Type"));
        FleetReport report = Json.MAPPER.readValue(text(json), FleetReport.class);
        assertEqualsGroundTruth(report, ReportPeriod.days(FIRST_DAY, LAST_DAY));

        Map<String, String> csvQuery = new HashMap<>(week);
        csvQuery.put("format", "csv");
        HttpResponseMessage csv = get("reports", csvQuery);
        assertEquals("text/csv; charset=utf-8", csv.getHeader("Content-Type"));
        List<String> rows = text(csv).lines().toList();
        assertEquals("from,to,deviceId,name,metric,count,min,avg,max,availability,alertsOpened", rows.get(0));
        assertEquals(9 * 2 + 1, rows.size());

        HttpResponseMessage html = get("reports", Map.of("from", LAST_DAY.toString(), "format", "html", "deviceId", HOT_DEVICE));
        assertEquals("text/html; charset=utf-8", html.getHeader("Content-Type"));
        assertTrue(html.getHeader("Content-Security-Policy").contains("default-src 'none'"));
        assertTrue(text(html).contains(HOT_DEVICE) && text(html).contains("<svg"));

        assertEquals(400, get("reports", Map.of("format", "pdf")).getStatusCode());
        assertEquals(400, get("reports", Map.of("from", LAST_DAY.toString(), "to", FIRST_DAY.toString())).getStatusCode());
        assertEquals(400, get("reports", Map.of("from", "2026-11-20T10:30:00Z", "to", "2026-11-20T12:00:00Z")).getStatusCode());
        assertEquals(400, get("reports", Map.of("deviceId", "bad id!")).getStatusCode());
        HttpResponseMessage missing = get("reports/daily/2001-01-01", Map.of());
        assertEquals(404, missing.getStatusCode());
        assertEquals("application/problem+json; charset=utf-8", missing.getHeader("Content-Type"));
        assertEquals(400, get("reports/daily/yesterday", Map.of()).getStatusCode());
    }

    @Test
    void aReportBuiltOnDemandCanBeSharedAsAShortLivedLink() throws Exception {
        FleetReport report = app.reports().build(ReportPeriod.day(LAST_DAY), RuleScope.device(HOT_DEVICE));
        ReportService.StoredReport stored = app.reports().storeOnDemand(report);
        assertTrue(stored.htmlLink().contains("sig="), "a SAS link");
        HttpResponse<byte[]> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stored.htmlLink())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, page.statusCode());
        assertArrayEquals(ReportService.render(report, ReportService.Format.HTML), page.body());
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stored.htmlLink().substring(0, stored.htmlLink().indexOf('?')))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(unsigned.statusCode() == 200, "the container is private; only the link reads it");
    }

    @Test
    void chatAnswersWithASummaryAndALinkToTheFullReport() throws Exception {
        ChatWebhook webhook = new ChatWebhook(app);
        String question = "report for " + HOT_DEVICE + " " + (FIRST_DAY.plusDays(2));
        HttpResponseMessage answer = webhook.deliver(ChatDeliveries.generic(UUID.randomUUID().toString(), "ops-" + RUN, question,
                ChatDeliveries.Signing.VALID, clock.instant())); // the app's clock: another test may have moved it
        assertEquals(200, answer.getStatusCode());
        String text = Json.MAPPER.readTree(text(answer)).get("text").asText();
        ReportPeriod day = ReportPeriod.day(FIRST_DAY.plusDays(2));
        double[] truth = truthOver(day).get(HOT_DEVICE + "|temperature");
        assertTrue(text.startsWith("**Report: " + FIRST_DAY.plusDays(2) + "**"), text);
        assertTrue(text.contains("`" + HOT_DEVICE + "`") && text.contains("alerts: 1 opened, 1 resolved"), text);
        assertTrue(text.contains("temperature: min ") && text.contains("max " + new java.math.BigDecimal(Double.toString(truth[3])).setScale(2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString()), text);
        String link = text.substring(text.indexOf("http"));
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link.strip())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(HOT_DEVICE) && page.body().contains("sparkline"));

        HttpResponseMessage fleet = webhook.deliver(ChatDeliveries.generic(UUID.randomUUID().toString(), "ops-" + RUN, "report yesterday",
                ChatDeliveries.Signing.VALID, clock.instant()));
        assertTrue(Json.MAPPER.readTree(text(fleet)).get("text").asText().contains("all devices"));
    }
}
