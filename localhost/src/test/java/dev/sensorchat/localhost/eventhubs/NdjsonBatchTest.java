package dev.sensorchat.localhost.eventhubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonBatchTest {

    private final NdjsonBatch parser = NdjsonBatch.DEFAULT;

    @Test
    void ndjsonIsOneEventPerLineVerbatimSkippingBlankLines() {
        String body = "{\"deviceId\":\"d1\",\"t\":21.5}\r\n"
                + "\n"
                + "   \n"
                + "{ \"deviceId\" : \"d1\", \"t\": 21.50 }\n"
                + "not json at all\n"
                + "{\"unterminated\": \n";
        assertEquals(List.of(
                "{\"deviceId\":\"d1\",\"t\":21.5}",
                "{ \"deviceId\" : \"d1\", \"t\": 21.50 }",
                "not json at all",
                "{\"unterminated\": "), parser.parse(body.getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
    }

    @Test
    void theLastLineNeedsNoNewlineAndTheContentTypeMayBeMissingOrCarryParameters() {
        assertEquals(List.of("a", "b"), parser.parse("a\nb".getBytes(StandardCharsets.UTF_8), null));
        assertEquals(List.of("a"), parser.parse("a\r\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson; charset=utf-8"));
        assertEquals(List.of("ä€😀"), parser.parse("\uFEFFä€😀\n".getBytes(StandardCharsets.UTF_8), "text/plain"));
    }

    @Test
    void aJsonArrayIsOneEventPerElementObjectsCompactedStringsUnwrapped() {
        String body = "[ {\"deviceId\": \"d1\", \"t\": 21.50, \"tags\": [1, 2e3, true, null]},\n"
                + "  \"raw \\\"text\\\" é\",\n"
                + "  42, [ ] ]";
        assertEquals(List.of(
                "{\"deviceId\":\"d1\",\"t\":21.50,\"tags\":[1,2e3,true,null]}",
                "raw \"text\" é",
                "42",
                "[]"), parser.parse(body.getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8"));
        assertEquals(List.of("{\"a\":1}"), parser.parseJson(" {\"a\" : 1} "));
    }

    @Test
    void anEventHubsRestBatchIsOneEventPerMessageEachWithItsOwnPartitionKey() {
        String body = "[{\"Body\": \"{\\\"deviceId\\\":\\\"d1\\\"}\", \"BrokerProperties\": {\"PartitionKey\": \"d1\", \"CorrelationId\": \"c\"}},\n"
                + " {\"UserProperties\": {\"Alert\": \"Strong Wind\", \"nested\": [1, {\"x\": 2}]}, \"Body\": \"not json\"},\n"
                + " {\"Body\": \"" + java.util.Base64.getEncoder().encodeToString("é€".getBytes(StandardCharsets.UTF_8))
                + "\", \"IsBodyBase64\": true, \"BrokerProperties\": {\"PartitionKey\": \"\"}}]";
        assertEquals(List.of(
                new NdjsonBatch.Message("{\"deviceId\":\"d1\"}", "d1"),
                new NdjsonBatch.Message("not json", null),
                new NdjsonBatch.Message("é€", null)),
                parser.parseMessages(body.getBytes(StandardCharsets.UTF_8), "application/vnd.microsoft.servicebus.json; charset=utf-8"));
        // The other formats carry no key of their own.
        assertEquals(List.of(new NdjsonBatch.Message("a", null)), parser.parseMessages("a\n".getBytes(StandardCharsets.UTF_8), null));
    }

    @Test
    void aMalformedEventHubsBatchIsABadRequestNamingTheMessage() {
        String type = "application/vnd.microsoft.servicebus.json";
        for (var bad : List.of(
                List.of("{\"Body\": \"a\"}", "array"),
                List.of("[\"a\"]", "message 0 is not an object"),
                List.of("[{\"Body\": \"a\"}, {\"BrokerProperties\": {}}]", "message 1 has no Body"),
                List.of("[{\"Body\": {\"t\": 1}}]", "Body is not a string"),
                List.of("[{\"Body\": \"a\", \"BrokerProperties\": {\"PartitionKey\": 7}}]", "PartitionKey is not a string"),
                List.of("[{\"Body\": \"%%%\", \"IsBodyBase64\": true}]", "not base64"),
                List.of("[]", "no events"),
                List.of("[{\"Body\": \"a\"}", "malformed JSON"))) {
            InvalidBatchException error = assertThrows(InvalidBatchException.class,
                    () -> parser.parseMessages(bad.get(0).getBytes(StandardCharsets.UTF_8), type), bad.get(0));
            assertEquals(400, error.httpStatus(), bad.get(0));
            assertTrue(error.getMessage().contains(bad.get(1)), bad.get(0) + ": " + error.getMessage());
        }
        NdjsonBatch small = new NdjsonBatch(1000, 10);
        assertThrows(BatchTooLargeException.class, () -> small.parseMessages("[{\"Body\": \"01234567890\"}]".getBytes(StandardCharsets.UTF_8), type));
    }

    @Test
    void malformedJsonNullElementsAndEmptyBodiesAreBadRequests() {
        for (String body : List.of("[{\"a\": 1}", "[1, 2,]", "[1] [2]", "[null]", "[]", "")) {
            InvalidBatchException error = assertThrows(InvalidBatchException.class, () -> parser.parseJson(body), body);
            assertEquals(400, error.httpStatus(), body);
        }
        assertEquals(400, assertThrows(InvalidBatchException.class, () -> parser.parseNdjson("\n \r\n")).httpStatus());
    }

    @Test
    void anEventOverTheEventLimitIsTooLarge() {
        NdjsonBatch small = new NdjsonBatch(1000, 10);
        assertEquals(List.of("0123456789", "é1234567"), small.parseNdjson("0123456789\r\né1234567\n"));
        BatchTooLargeException line = assertThrows(BatchTooLargeException.class, () -> small.parseNdjson("ok\n01234567890\n"));
        assertEquals(413, line.httpStatus());
        assertTrue(line.getMessage().contains("line 2") && line.getMessage().contains("11 bytes"), line.getMessage());
        // "é" is two bytes in UTF-8: 9 characters, 10 bytes fit; 10 characters, 11 bytes do not.
        assertThrows(BatchTooLargeException.class, () -> small.parseNdjson("é123456789"));
        assertThrows(BatchTooLargeException.class, () -> small.parseJson("[\"é123456789\"]"));
        assertThrows(BatchTooLargeException.class, () -> small.parseJson("[{\"a\":\"12345\"}]"));
        assertEquals(List.of("{\"a\":\"1\"}"), small.parseJson("[{ \"a\" : \"1\" }]"));
    }

    @Test
    void aBodyOverTheRequestLimitIsTooLargeEvenWhenStreamed() throws Exception {
        NdjsonBatch small = new NdjsonBatch(20, 10);
        byte[] fits = "0123456789\n012345678".getBytes(StandardCharsets.UTF_8);
        assertEquals(20, fits.length);
        assertEquals(List.of("0123456789", "012345678"), small.read(new ByteArrayInputStream(fits), "application/x-ndjson"));
        byte[] over = "0123456789\n0123456789".getBytes(StandardCharsets.UTF_8);
        BatchTooLargeException error = assertThrows(BatchTooLargeException.class,
                () -> small.read(new ByteArrayInputStream(over), "application/x-ndjson"));
        assertEquals(413, error.httpStatus());
        assertEquals(20, error.limitBytes());
        assertThrows(BatchTooLargeException.class, () -> small.parse(over, "application/json"));
    }

    @Test
    void theDefaultLimitsAreFourMegabytesPerRequestAndOnePerEvent() {
        assertEquals(4 * 1024 * 1024, NdjsonBatch.DEFAULT.maxBodyBytes());
        assertEquals(1024 * 1024, NdjsonBatch.DEFAULT.maxEventBytes());
        String oneMegabyte = "x".repeat(1024 * 1024);
        assertEquals(1, parser.parseNdjson(oneMegabyte + "\n").size());
        assertThrows(BatchTooLargeException.class, () -> parser.parseNdjson(oneMegabyte + "x\n"));
    }

    @Test
    void parsedEventsPublishAsOneKeyedBatch() {
        LocalEventHub hub = new LocalEventHub("h", 4);
        List<EventRecord> stored = hub.publish(parser.parseNdjson("{\"n\":1}\n{\"n\":2}\n"), "dev-7");
        assertEquals(List.of(0L, 1L), stored.stream().map(EventRecord::sequenceNumber).toList());
        assertEquals(hub.partitionFor("dev-7"), stored.get(1).partitionId());
    }
}
