package dev.sensorchat.localhost.eventhubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void hostJsonEventHubsOptionsAreRead() throws Exception {
        String hostJson = """
                {"version": "2.0", "extensions": {"eventHubs": {
                  "maxEventBatchSize": 500, "minEventBatchSize": 50, "maxWaitTime": "00:00:05",
                  "prefetchCount": 1000, "batchCheckpointFrequency": 1,
                  "initialOffsetOptions": {"type": "fromStart"}}}}
                """;
        assertEquals(new EventHubTriggerOptions(500, 50, Duration.ofSeconds(5), StartPosition.FROM_START),
                EventHubTriggerOptions.fromHostJson(json.readTree(hostJson)));
        assertEquals(StartPosition.FROM_END, EventHubTriggerOptions.fromHostJson(json.readTree(
                "{\"extensions\": {\"eventHubs\": {\"initialOffsetOptions\": {\"type\": \"FromEnd\"}}}}")).initialPosition());
        assertEquals(StartPosition.fromEnqueuedTime(Instant.parse("2025-01-02T03:04:05Z")),
                EventHubTriggerOptions.fromHostJson(json.readTree("{\"extensions\": {\"eventHubs\": {\"initialOffsetOptions\": "
                        + "{\"type\": \"fromEnqueuedTime\", \"enqueuedTimeUtc\": \"2025-01-02T03:04:05\"}}}}")).initialPosition());
        assertEquals(EventHubTriggerOptions.DEFAULTS, EventHubTriggerOptions.fromHostJson(json.readTree("{\"version\": \"2.0\"}")));
        assertEquals(new EventHubTriggerOptions(100, 1, Duration.ofSeconds(60), StartPosition.FROM_START),
                EventHubTriggerOptions.DEFAULTS);
    }

    @Test
    void inconsistentOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventHubTriggerOptions.DEFAULTS.withBatchSizes(10, 11));
        assertThrows(IllegalArgumentException.class, () -> EventHubTriggerOptions.DEFAULTS.withBatchSizes(0, 1));
        assertThrows(IllegalArgumentException.class, () -> StartPosition.parse("fromNowhere", null));
        assertThrows(IllegalArgumentException.class, () -> StartPosition.parse("fromEnqueuedTime", null));
    }

    @Test
    void timeSpansParseAsDotNetWritesThem() {
        assertEquals(Duration.ofSeconds(5), TimeSpans.parse("00:00:05"));
        assertEquals(Duration.ofMinutes(5), TimeSpans.parse("00:05:00"));
        assertEquals(Duration.ofMinutes(5), TimeSpans.parse("00:05"));
        assertEquals(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(500),
                TimeSpans.parse("1.02:03:04.5"));
        assertEquals(Duration.ofNanos(100), TimeSpans.parse("00:00:00.0000001"));
        assertEquals(Duration.ofDays(2), TimeSpans.parse("2"));
        assertEquals(Duration.ofSeconds(-5), TimeSpans.parse("-00:00:05"));
        for (String bad : List.of("", "5s", "00:60:00", "1:2:3:4", "PT5S")) {
            assertThrows(IllegalArgumentException.class, () -> TimeSpans.parse(bad), bad);
        }
    }

    @Test
    void exponentialBackoffDoublesFromTheMinimumUpToTheMaximum() {
        RetryPolicy app = RetryPolicy.exponentialBackoff(-1, Duration.ofSeconds(5), Duration.ofMinutes(5));
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L),
                List.of(1, 2, 3, 4, 5, 6, 7, 8).stream().map(n -> app.delayBeforeRetry(n).toSeconds()).toList());
        assertEquals(Duration.ofMinutes(5), app.delayBeforeRetry(10_000));
        assertTrue(app.allowsRetry(1_000_000));

        RetryPolicy twice = RetryPolicy.fixedDelay(2, Duration.ofSeconds(3));
        assertTrue(twice.allowsRetry(2));
        assertFalse(twice.allowsRetry(3));
        assertEquals(Duration.ofSeconds(3), twice.delayBeforeRetry(2));
        assertFalse(RetryPolicy.NONE.allowsRetry(1));
    }

    @Test
    void functionJsonRetryBlocksAreRead() throws Exception {
        // As azure-functions-maven-plugin 1.37.0 writes it for the telemetry function.
        assertEquals(RetryPolicy.exponentialBackoff(-1, Duration.ofSeconds(5), Duration.ofMinutes(5)),
                RetryPolicy.fromFunctionJson(json.readTree("""
                        {"strategy": "exponentialBackoff", "maxRetryCount": -1,
                         "minimumInterval": "00:00:05", "maximumInterval": "00:05:00"}""")));
        assertEquals(RetryPolicy.fixedDelay(3, Duration.ofSeconds(10)), RetryPolicy.fromFunctionJson(json.readTree(
                "{\"strategy\": \"fixedDelay\", \"maxRetryCount\": 3, \"delayInterval\": \"00:00:10\"}")));
        assertEquals(RetryPolicy.NONE, RetryPolicy.fromFunctionJson(null));
        assertEquals(RetryPolicy.NONE, RetryPolicy.fromFunctionJson(json.readTree("{}").path("retry")));
        assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.fromFunctionJson(json.readTree("{\"strategy\": \"linear\"}")));
    }

    @Test
    void systemPropertiesCarryWhatTheTelemetryFunctionReads() {
        EventRecord event = new EventRecord("3", 42, 1024, Instant.parse("2025-01-02T03:04:05.123Z"), "dev-1", "{}");
        assertEquals(42L, event.systemProperties().get("SequenceNumber"));
        assertEquals("1024", event.systemProperties().get("Offset"));
        assertEquals("2025-01-02T03:04:05.123Z", event.systemProperties().get("EnqueuedTimeUtc"));
        assertEquals("dev-1", event.systemProperties().get("PartitionKey"));
    }

    @Test
    void aBatchsEntriesEachCarryTheirOwnEventsProperties() {
        Instant first = Instant.parse("2025-01-02T03:04:05.123Z");
        Instant second = Instant.parse("2025-01-02T03:04:05.124Z");
        List<EventRecord> batch = List.of(new EventRecord("0", 7, 0, first, "a", "{}"), new EventRecord("0", 8, 2, first, null, "{}"),
                new EventRecord("0", 9, 4, second, "b", "{}"));
        Map<String, Object>[] properties = EventRecord.systemPropertiesOf(batch);
        assertEquals(3, properties.length);
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(batch.get(i).systemProperties(), properties[i]);
        }
        assertEquals("2025-01-02T03:04:05.124Z", properties[2].get("EnqueuedTimeUtc"));
        assertEquals(null, properties[1].get("PartitionKey"));
        assertEquals(true, properties[1].containsKey("PartitionKey"));
    }
}
