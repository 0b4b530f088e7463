package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.ingest.UploadProcessor;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Delivery;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad-input corpus (R2), {@code src/test/resources/corpus/}: each case states its expected
 * outcome, and each is run through the real entry points against the local servers: telemetry
 * events (one Event Hubs batch holding every case, good and bad), webhook bodies for every channel
 * (validly signed, so the body is what is judged), upload files, and API requests. No case may
 * crash its batch or get a 500; no good event may be lost; every rejection says why.
 */
@ExtendWith(LocalAzureExtension.class)
class BadInputCorpusIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 4);

    private static AppContext app;

    @BeforeAll
    static void open(LocalAzure azure) {
        Map<String, String> settings = new HashMap<>(ChatDeliveries.settings(null));
        settings.put(BlobContainerNames.DEADLETTER_CONTAINER, "corpus-deadletters-" + RUN);
        settings.put(BlobContainerNames.UPLOADS_CONTAINER, "corpus-uploads-" + RUN);
        app = azure.newAppContext(settings);
        app.health().check(); // the database and its containers exist before the first batch
    }

    @AfterAll
    static void close() {
        app.close();
    }

    static List<JsonNode> corpus(String name) {
        try (InputStream in = BadInputCorpusIT.class.getResourceAsStream("/corpus/" + name)) {
            List<JsonNode> cases = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    cases.add(Json.MAPPER.readTree(line));
                }
            }
            return cases;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String filled(String template, int index) {
        return template.replace("${DEV}", String.format(Locale.ROOT, "corp%s-%04d", RUN, index))
                .replace("${TS}", NOW.minusSeconds(30).toString())
                .replace("${TS2}", NOW.minusSeconds(20).toString())
                .replace("${TS_OFFSET}", NOW.minusSeconds(40).atOffset(ZoneOffset.ofHours(2)).toString())
                .replace("${EPOCH_MS}", String.valueOf(NOW.minusSeconds(50).toEpochMilli()))
                .replace("${FUTURE}", NOW.plus(Duration.ofMinutes(10)).toString())
                .replace("${OLD}", NOW.minus(Duration.ofHours(2)).toString());
    }

    // ---- telemetry events --------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyEventCaseGetsItsStatedOutcomeInOneBatch() {
        List<JsonNode> cases = corpus("events.jsonl");
        assertTrue(cases.size() >= 150, "events in the corpus: " + cases.size());
        List<EventHubBatchProcessor.Event> batch = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            batch.add(new EventHubBatchProcessor.Event(filled(cases.get(i).get("event").asText(), i), 1_000 + i, NOW, "0", null));
        }
        EventHubBatchProcessor.Summary summary = app.eventHubBatches().process("telemetry", "0", batch); // never throws
        app.telemetryStreams().flushIdle();
        long expectedAccepted = cases.stream().filter(c -> c.get("expect").asText().equals("accepted")).count();
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("the batch: " + summary, () -> {
            assertEquals(cases.size(), summary.received());
            assertEquals(expectedAccepted, summary.accepted(), "good events kept");
            assertEquals(cases.size() - expectedAccepted, summary.deadLettered(), "every bad one dead-lettered");
        }));
        for (int i = 0; i < cases.size(); i++) {
            JsonNode test = cases.get(i);
            int index = i;
            tests.add(DynamicTest.dynamicTest(test.get("name").asText() + " → " + test.get("expect").asText(), () -> {
                String blob = "eventhub/" + java.time.format.DateTimeFormatter.ofPattern("uuuu/MM/dd").withZone(ZoneOffset.UTC).format(NOW)
                        + "/0/" + (1_000 + index) + ".json";
                var letter = app.deadLetters().get(blob);
                if (test.get("expect").asText().equals("accepted")) {
                    assertTrue(letter.isEmpty(), () -> "dead-lettered: " + new String(letter.get(), StandardCharsets.UTF_8));
                    String id = String.format(Locale.ROOT, "corp%s-%04d", RUN, index);
                    String deviceId = Json.MAPPER.readTree(filled(test.get("event").asText(), index).strip()).get("deviceId").asText();
                    assertTrue(deviceId.startsWith(id));
                    long readings = 0;
                    for (AggregateReader.Window window : app.aggregates().read(deviceId, metric(test), Resolution.MINUTE,
                            NOW.minus(Duration.ofHours(1)), NOW.plusSeconds(60), 1000, null).items()) {
                        readings += window.count();
                    }
                    assertEquals(test.path("readings").asLong(1), readings, "every reading of the good event is counted");
                } else {
                    assertTrue(letter.isPresent(), "a dead letter says why");
                    JsonNode dead = Json.MAPPER.readTree(letter.get());
                    assertEquals(test.get("expect").asText(), dead.get("reason").asText(), dead::toString);
                    assertTrue(dead.get("detail").asText().length() > 5, "with a detail: " + dead);
                    assertEquals(filled(test.get("event").asText(), index), dead.get("body").asText(), "kept whole");
                }
            }));
        }
        return tests.stream();
    }

    private static String metric(JsonNode test) throws IOException {
        JsonNode event = Json.MAPPER.readTree(filled(test.get("event").asText(), 0).strip());
        JsonNode metrics = event.has("metrics") ? event.get("metrics") : event.get("readings").get(0).get("metrics");
        return metrics.fieldNames().next();
    }

    // ---- chat webhooks -----------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyWebhookBodyGetsItsStatedStatusAndNever500() {
        List<JsonNode> cases = corpus("webhooks.jsonl");
        ChatWebhook webhook = new ChatWebhook(app);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode test = cases.get(i);
            long unique = 7_000_000L + i + 1_000L * Math.floorMod(RUN.hashCode(), 100_000);
            tests.add(DynamicTest.dynamicTest(test.get("channel").asText() + ": " + test.get("name").asText() + " → " + test.get("expect").asInt(), () -> {
                Instant now = Instant.now();
                String body = test.get("body").asText().replace("${ID}", "c" + unique).replace("${CONV}", "corpus" + unique)
                        .replace("${UPDATE}", String.valueOf(unique)).replace("${CHAT}", String.valueOf(unique))
                        .replace("${DATE}", String.valueOf(now.getEpochSecond())).replace("${ISO}", now.toString());
                Delivery delivery = ChatDeliveries.signed(test.get("channel").asText(), body,
                        test.path("contentType").asText("application/json"), now);
                HttpResponseMessage response = webhook.deliver(delivery);
                assertEquals(test.get("expect").asInt(), response.getStatusCode(), () -> abbreviated(response.getBody()));
                if (response.getStatusCode() >= 400) {
                    assertTrue(String.valueOf(response.getBody()).contains("\"detail\"") || test.get("channel").asText().equals("teams"),
                            () -> "a problem document that says why: " + abbreviated(response.getBody()));
                }
            }));
        }
        return tests.stream();
    }

    // ---- query API ---------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyApiRequestGetsItsStatedStatusAndNever500() {
        List<JsonNode> cases = corpus("api.jsonl");
        DevicesApi devices = new DevicesApi(app);
        AlertsApi alerts = new AlertsApi(app);
        RulesApi rules = new RulesApi(app);
        ReportsApi reports = new ReportsApi(app);
        Map<String, BiFunction<TestHttpRequest, List<String>, HttpResponseMessage>> functions = new HashMap<>();
        functions.put("listDevices", (r, a) -> devices.list(r, context()));
        functions.put("getDevice", (r, a) -> devices.get(r, a.get(0), context()));
        functions.put("updateDevice", (r, a) -> devices.update(r, a.get(0), context()));
        functions.put("getDeviceMetric", (r, a) -> devices.aggregates(r, a.get(0), a.get(1), context()));
        functions.put("listAlerts", (r, a) -> alerts.list(r, context()));
        functions.put("getAlert", (r, a) -> alerts.get(r, a.get(0), context()));
        functions.put("acknowledgeAlert", (r, a) -> alerts.acknowledge(r, a.get(0), context()));
        functions.put("createRule", (r, a) -> rules.create(r, context()));
        functions.put("getRule", (r, a) -> rules.get(r, a.get(0), context()));
        functions.put("buildReport", (r, a) -> reports.build(r, context()));
        functions.put("getDailyReport", (r, a) -> reports.daily(r, a.get(0), context()));
        return cases.stream().map(test -> DynamicTest.dynamicTest(test.get("function").asText() + ": " + test.get("name").asText()
                + " → " + test.get("expect").asInt(), () -> {
            String function = test.get("function").asText();
            HttpMethod method = function.equals("updateDevice") ? HttpMethod.PATCH
                    : function.equals("createRule") || function.equals("acknowledgeAlert") ? HttpMethod.POST : HttpMethod.GET;
            String body = test.has("body") ? test.get("body").asText().replace("\"Hot\"", "\"Hot " + UUID.randomUUID() + "\"") : null;
            TestHttpRequest request = TestHttpRequest.of(method, "http://localhost:7071" + test.get("path").asText(), body);
            test.path("query").fields().forEachRemaining(entry -> request.query(entry.getKey(), entry.getValue().asText()));
            List<String> args = new ArrayList<>();
            test.path("args").forEach(arg -> args.add(arg.asText()));
            HttpResponseMessage response = functions.get(function).apply(request, args);
            assertEquals(test.get("expect").asInt(), response.getStatusCode(), () -> abbreviated(response.getBody()));
            if (response.getStatusCode() >= 400) {
                JsonNode problem = Json.MAPPER.readTree(String.valueOf(response.getBody()));
                assertEquals(response.getStatusCode(), problem.get("status").asInt());
                assertTrue(problem.get("detail").asText().length() > 5, problem::toString);
            }
        }));
    }

    private static TestExecutionContext context() {
        return new TestExecutionContext("corpus");
    }

    private static String abbreviated(Object body) {
        String text = String.valueOf(body);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    // ---- uploads -----------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyUploadFileGetsItsStatedReceipt() {
        List<JsonNode> cases = corpus("uploads.jsonl");
        var container = app.blobStore("corpus-uploads-" + RUN);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode test = cases.get(i);
            int index = i;
            tests.add(DynamicTest.dynamicTest(test.get("name").asText(), () -> {
                // Placeholders are filled byte for byte (ISO-8859-1 keeps every byte), before compressing.
                String raw = new String(Base64.getDecoder().decode(test.get("base64").asText()), StandardCharsets.ISO_8859_1);
                byte[] content = raw.replace("${DEV}", String.format(Locale.ROOT, "upl%s-%03d", RUN, index))
                        .replace("${TS}", NOW.minus(Duration.ofHours(1)).toString()).getBytes(StandardCharsets.ISO_8859_1);
                if (test.path("gzip").asBoolean()) {
                    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
                        gzip.write(content);
                    }
                    content = compressed.toByteArray();
                    if (test.has("truncateCompressedTo")) {
                        content = java.util.Arrays.copyOf(content, test.get("truncateCompressedTo").asInt());
                    }
                }
                UploadProcessor.Outcome outcome = app.uploads().process(new UploadProcessor.Upload(RUN + "/" + test.get("blob").asText(),
                        "etag-" + index, NOW), new ByteArrayInputStream(content), container);
                JsonNode expect = test.get("expect");
                if (expect.path("error").asBoolean()) {
                    assertTrue(outcome.error() != null && !outcome.error().isBlank(), "the receipt says why: " + outcome);
                } else {
                    assertEquals(null, outcome.error(), outcome::toString);
                    assertEquals(expect.get("accepted").asLong(), outcome.accepted(), outcome::toString);
                    assertEquals(expect.get("rejected").asLong(), outcome.rejected(), outcome::toString);
                }
                assertTrue(container.get(outcome.receiptName()).isPresent(), "a receipt is written");
            }));
        }
        return tests.stream();
    }
}
