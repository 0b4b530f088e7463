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
}
