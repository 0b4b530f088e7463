package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Signing;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The extremes of the numeric contract, end to end. Two readings of the largest double once made
 * a window's sum Infinity, and then the API, the chat's metric answer and both CSV reports failed
 * for the whole fleet. Now a value beyond ±1e15 is dead-lettered with its reason, and the largest
 * accepted values flow through every consumer, written readably.
 */
@ExtendWith(LocalAzureExtension.class)
class ExtremeValuesIT {

    // All four readings in the current minute, so they share one window whatever the second is
    // (at NOW-120 s and NOW-110 s they were split across two minutes one run in six).
    private static final Instant MINUTE = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final String DEVICE = "big-" + UUID.randomUUID().toString().substring(0, 6);

    private static AppContext app;
    private static EventHubBatchProcessor.Summary summary;

    @BeforeAll
    static void ingest(LocalAzure azure) {
        app = azure.newAppContext(ChatDeliveries.settings(null));
        summary = app.eventHubBatches().process("telemetry", "0", List.of(
                event(1, MINUTE.plusSeconds(1), "1e15"),
                event(2, MINUTE.plusSeconds(2), "1e15"),
                event(3, MINUTE.plusSeconds(3), "1.7976931348623157e308"),
                event(4, MINUTE.plusSeconds(4), "-1.7976931348623157e308")));
        app.telemetryStreams().flushIdle();
    }

    private static EventHubBatchProcessor.Event event(long sequence, Instant ts, String value) {
        String body = "{\"deviceId\":\"" + DEVICE + "\",\"ts\":\"" + ts + "\",\"metrics\":{\"energy\":" + value + "}}";
        return new EventHubBatchProcessor.Event(body, sequence, ts.plusSeconds(1), "0", DEVICE);
    }

    @AfterAll
    static void close() {
        app.close();
    }

    @Test
    void valuesBeyondTheRangeAreDeadLetteredAndTheRestIsKept() {
        assertEquals(4, summary.received());
        assertEquals(2, summary.accepted());
        assertEquals(2, summary.deadLettered(), "the two largest doubles, with reason value_out_of_range");
    }

    @Test
    void theLargestAcceptedValuesReachEveryConsumerReadably() throws IOException {
        HttpResponseMessage windows = new DevicesApi(app).aggregates(TestHttpRequest.get("http://localhost/api/devices/" + DEVICE
                + "/metrics/energy").query("from", MINUTE.minusSeconds(3600).toString()), DEVICE, "energy", new TestExecutionContext("api"));
        assertEquals(200, windows.getStatusCode(), () -> String.valueOf(windows.getBody()));
        JsonNode window = Json.MAPPER.readTree((String) windows.getBody()).get("items").get(0);
        assertTrue(window.get("sum").isNumber(), "a number, never the string \"Infinity\": " + window);
        assertEquals(2e15, window.get("sum").asDouble());

        String metric = chat("energy of " + DEVICE + " last hour");
        assertTrue(metric.contains("max **1e+15**"), metric);

        String report = chat("report for " + DEVICE + " today");
        assertTrue(report.contains("energy: min 1e+15, avg 1e+15, max 1e+15"), report);

        ReportsApi reports = new ReportsApi(app);
        LocalDate today = LocalDate.ofInstant(MINUTE, ZoneOffset.UTC);
        HttpResponseMessage csv = reports.build(TestHttpRequest.get("http://localhost/api/reports").query("format", "csv")
                .query("from", today.toString()).query("to", today.toString()).query("deviceId", DEVICE), new TestExecutionContext("reports"));
        assertEquals(200, csv.getStatusCode(), () -> String.valueOf(csv.getBody()));
        String rows = text(csv);
        assertTrue(rows.contains(",energy,2,1.0E15,1.0E15,1.0E15,"), rows);
        assertFalse(rows.matches("(?s).*\\d{20,}.*"), "no 20-digit integers: " + rows);

        HttpResponseMessage html = reports.build(TestHttpRequest.get("http://localhost/api/reports").query("format", "html")
                .query("from", today.toString()).query("deviceId", DEVICE), new TestExecutionContext("reports"));
        assertEquals(200, html.getStatusCode(), () -> String.valueOf(html.getBody()));
        assertTrue(text(html).contains("1e+15"));
    }

    private static String chat(String text) throws IOException {
        HttpResponseMessage response = new ChatWebhook(app).deliver(
                ChatDeliveries.generic(UUID.randomUUID().toString(), "room-extremes", text, Signing.VALID, Instant.now()));
        assertEquals(200, response.getStatusCode(), () -> String.valueOf(response.getBody()));
        return Json.MAPPER.readTree((String) response.getBody()).get("text").asText();
    }

    private static String text(HttpResponseMessage response) {
        Object body = response.getBody();
        return body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(body);
    }
}
