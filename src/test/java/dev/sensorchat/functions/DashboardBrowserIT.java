package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.testing.Chromium;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.LocalHostProcess;
import dev.sensorchat.testing.LocalOpenIdProvider;
import dev.sensorchat.testing.NpmServers;
import dev.sensorchat.testing.ReadModel;
import dev.sensorchat.testing.Simulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard in a real browser (Debian's Chromium, driven by playwright-core from
 * {@code src/test/dashboard-e2e/}), over the run command's stack: the local host serving the app, the
 * local OpenID provider with its demo users, the local servers, and a simulated fleet with an
 * overheat. A viewer signs in and sees the fleet, opens a device and reads a window whose average
 * equals the API's aggregate, and is refused an acknowledgement; an operator acknowledges the
 * overheat alert and creates a rule after a validation error shown at its field; an admin on a
 * phone-sized screen sees the fleet without sideways scrolling; the operator asks the bot about a
 * device in the chat panel; no page logs a console error.
 * Screenshots: {@code target/dashboard-screenshots/} (the README's are copied from there to {@code docs/}).
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {

    private static final String MASTER_KEY = "local-master-key-dashboard-0123456789";

    private Path chromium;
    private Path dir;
    private AppContext app;
    private LocalOpenIdProvider identity;
    private LocalHostProcess host;
    private final String run = Long.toString(System.nanoTime(), 36).substring(0, 6);

    @BeforeAll
    void setUp(LocalAzure azure) throws Exception {
        chromium = Chromium.find().orElse(null);
        if (chromium == null) {
            return; // the test says it is skipped, and is counted so
        }
        dir = Files.createTempDirectory("dashboard-browser-it");
        identity = new LocalOpenIdProvider(dir);
        Map<String, String> values = LocalHostProcess.settings(azure, Map.of("AUTH_ISSUER", identity.issuer(),
                "AUTH_AUDIENCE", LocalOpenIdProvider.AUDIENCE, "AUTH_CLIENT_ID", LocalOpenIdProvider.CLIENT_ID,
                "AUTH_SCOPE", LocalOpenIdProvider.AUDIENCE + "/.default"));
        app = LocalHostProcess.readerOf(azure, values);
        host = new LocalHostProcess(dir, values, MASTER_KEY);
        host.start();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        if (identity != null) {
            identity.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void eachRoleUsesTheDashboardInChromium() throws Exception {
        Chromium.findOrSkip("DashboardBrowserIT");
        String thermostat = "dt" + run;
        String hot = thermostat + "-2";
        createOverheatRule(hot);
        Path truth = dir.resolve("truth.json");
        // Readings end 3 minutes ago: past the silence deadline (the quiet allowed, a minute here, plus the minute
        // a device document may lag), so the status cannot change while the test reads it. The first are 9 minutes
        // old, a minute inside the allowed lateness for the simulators' start.
        Instant start = Instant.now().minusSeconds(9 * 60);
        // Six minutes of readings, sent at once; the overheat outlasts them, so its alert is still open.
        JsonNode summary = Simulators.run(dir, List.of("devices", "--devices", "6", "--interval", "10s", "--duration", "6m", "--speed", "0",
                "--seed", "5", "--start", start.toString(), "--prefix", "thermostat=" + thermostat + ",air-quality=da" + run + ",machine=dm" + run,
                "--mix", "thermostat=50,air-quality=30,machine=20", "--fault", hot + " overheats at +3m for 6m",
                "--target", "http", "--url", host.eventHubUrl("telemetry"), "--ground-truth", truth.toString()));
        assertEquals(summary.get("sent").asLong(), summary.get("acknowledged").asLong(), summary::toString);
        host.awaitCaughtUp("telemetry", Duration.ofMinutes(2));
        SimulatorPipelineIT.assertMinuteWindowsEqual(app, truth); // the read model is complete before the browser looks

        // The daily reports, as the timer writes them, for the reports page to open.
        HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(host.baseUrl() + "/admin/functions/dailyReport"))
                .header("x-functions-key", MASTER_KEY).POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, report.statusCode(), report.body());
        ReadModel.eventually(60, () -> assertTrue(http("/api/reports/daily").get("items").size() > 0, "a daily report"));

        Path e2e = Path.of("src/test/dashboard-e2e");
        NpmServers.ensureInstalled(e2e, dir.resolve("npm-e2e.log"));
        Path screenshots = Path.of("target/dashboard-screenshots");
        String device = thermostat + "-1";
        ProcessBuilder browser = new ProcessBuilder("node", "dashboard.mjs").directory(e2e.toFile()).redirectErrorStream(true);
        browser.environment().putAll(Map.of("BASE_URL", host.baseUrl().replace("127.0.0.1", "localhost"), "SCREENSHOTS",
                screenshots.toAbsolutePath().toString(), "DEVICE", device, "HOT_DEVICE", hot, "CHROMIUM", chromium.toString()));
        Process process = browser.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the browser script finished");
        String last = output.strip().lines().reduce((a, b) -> b).orElse("{}");
        JsonNode result = Json.MAPPER.readTree(last.startsWith("{") ? last : "{}");
        System.out.println("DashboardBrowserIT: " + last);
        assertEquals(0, process.exitValue(), "the browser steps: " + output);
        assertEquals(List.of(), Json.MAPPER.convertValue(result.get("problems"), List.class), "no step failed and no page logged an error");

        JsonNode seen = result.get("seen");
        assertTrue(seen.get("viewerName").asText().startsWith("Vera Viewer"), seen::toString);
        assertTrue(seen.get("fleetRows").asInt() >= 6, "the simulated fleet is listed: " + seen);
        // The status shown is the API's: silent, the readings having stopped.
        String status = http("/api/devices/" + device).get("status").asText();
        assertEquals("silent", status);
        assertEquals(status, seen.get("deviceStatus").asText());

        // The window the viewer read off the device page is the API's aggregate.
        JsonNode window = seen.get("window");
        Instant windowStart = Instant.parse(window.get("start").asText());
        AggregateReader.Window stored = ReadModel.windows(app, device, seen.get("metric").asText(), Resolution.MINUTE, windowStart,
                windowStart.plusSeconds(60)).get(windowStart.toEpochMilli());
        assertEquals(stored.avg(), window.get("avg").asDouble(), 0.0005 + Math.abs(stored.avg()) * 1e-9, seen::toString);

        assertEquals(0, seen.get("viewerAckButtons").asInt(), "a viewer is offered no acknowledgement");
        assertEquals(403, seen.get("viewerRefused").get("status").asInt(), "and the API refuses one anyway");
        assertTrue(seen.get("acknowledged").get("by").asText().startsWith("Olga Operator"), seen::toString);
        JsonNode alert = http("/api/alerts/" + seen.get("acknowledged").get("alertId").asText());
        assertEquals("acknowledged", alert.get("state").asText());
        assertTrue(seen.get("thresholdError").asText().contains("number"), "the API's validation error, at the field: " + seen);
        assertTrue(seen.get("ruleCreated").asText().contains("humidity > 85"), seen::toString);
        assertTrue(seen.get("botAnswer").asText().contains(device), "the bot answered about the device: " + seen);
        assertEquals("Fleet report", seen.get("reportTitle").asText(), "the daily report opened in the page");
        assertFalse(seen.get("phoneOverflow").asBoolean(), "no sideways scrolling on a phone");
        assertEquals("(admin)", seen.get("adminRole").asText());
        assertEquals("view", seen.path("focusAfterNavigation").asText(), "a navigation in the page moves focus to the new view");
        assertEquals("Skip to content", seen.get("firstFocus").asText(), "on a fresh load the first Tab reaches the skip link");
        assertTrue(seen.get("adminSeesSubscriptions").asBoolean() && !seen.get("viewerSubscriptionsLink").asBoolean(),
                "the subscriptions page is an admin's: " + seen);
        for (String page : List.of("fleet", "device", "alerts", "rule-error", "rules", "chat", "reports", "fleet-phone")) {
            assertTrue(Files.size(screenshots.resolve(page + ".png")) > 5_000, page + ".png");
        }
    }

    private void createOverheatRule(String device) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(host.baseUrl() + "/api/rules"))
                .header("Content-Type", "application/json").header("x-functions-key", MASTER_KEY).POST(HttpRequest.BodyPublishers.ofString("""
                        {"id": "%s-hot", "name": "Too hot", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                         "operator": ">", "threshold": 35, "clear": {"operator": "<", "threshold": 30}, "severity": "critical"}"""
                        .formatted(device, device))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
    }

    /** A machine client's GET of the host's API, with the key. */
    private JsonNode http(String path) {
        try {
            return Json.MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(host.baseUrl() + path))
                    .header("x-functions-key", MASTER_KEY).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
