package dev.sensorchat.functions;

import static dev.sensorchat.testing.FunctionCalls.body;
import static dev.sensorchat.testing.FunctionCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestHttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every endpoint of the query API, including its error cases, against the real local servers. */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIT {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

    private AppContext app;
    private DevicesApi devices;
    private AlertsApi alerts;
    private RulesApi rules;
    private final String prefix = "api-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    private long sequence = 1;

    @BeforeAll
    void start(LocalAzure azure) {
        app = azure.newAppContext();
        devices = new DevicesApi(app);
        alerts = new AlertsApi(app);
        rules = new RulesApi(app);
        JsonNode created = body(call(rules::create, post("/api/rules", """
                {"id": "hot", "name": "Hot", "scope": {"kind": "tag", "value": "boiler"}, "metric": "temperature",
                 "operator": ">", "threshold": 80, "clear": {"operator": "<", "threshold": 70}, "severity": "critical"}"""), 201));
        assertEquals("hot", created.get("id").asText());
        // Three devices; boilers are tagged before their data arrives, so the tag rule covers them.
        ingest(device("a"), T0.plusSeconds(10), 20);
        ingest(device("b"), T0.plusSeconds(20), 21);
        ingest(device("c"), T0.plusSeconds(30), 22);
        call((r, c) -> devices.update(r, device("a"), c), patch("/api/devices/" + device("a"), "{\"tags\": [\"boiler\", \"plant-2\"]}"), 200);
        // The device's stream learns the new tag when it next writes the device (a flush period on),
        // and evaluates the tag rule from the batch after that.
        ingestHumidity(device("a"), T0.plusSeconds(70), 50);
        ingest(device("a"), T0.plusSeconds(80), 85);   // raises an alert
        ingest(device("a"), T0.plusSeconds(3_700), 75); // next hour; between the thresholds, so still open
    }

    @AfterAll
    void close() {
        app.close();
    }

    private String device(String name) {
        return prefix + name;
    }

    private void ingest(String deviceId, Instant ts, double temperature) {
        String body = String.format(Locale.ROOT, "{\"deviceId\":\"%s\",\"ts\":\"%s\",\"metrics\":{\"temperature\":%s,\"humidity\":50}}",
                deviceId, ts, temperature);
        app.eventHubBatches().process("telemetry", "0", List.of(new EventHubBatchProcessor.Event(body, sequence++, ts.plusSeconds(1), "0", deviceId)));
    }

    private void ingestHumidity(String deviceId, Instant ts, double humidity) {
        String body = String.format(Locale.ROOT, "{\"deviceId\":\"%s\",\"ts\":\"%s\",\"metrics\":{\"humidity\":%s}}", deviceId, ts, humidity);
        app.eventHubBatches().process("telemetry", "0", List.of(new EventHubBatchProcessor.Event(body, sequence++, ts.plusSeconds(1), "0", deviceId)));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static TestHttpRequest get(String path) {
        return TestHttpRequest.get("http://localhost:7071" + path);
    }

    private static TestHttpRequest post(String path, String body) {
        return TestHttpRequest.post("http://localhost:7071" + path, body);
    }

    private static TestHttpRequest patch(String path, String body) {
        return TestHttpRequest.of(HttpMethod.PATCH, "http://localhost:7071" + path, body);
    }

    /** A 4xx answer is a problem document naming the bad field. */
    private static JsonNode problem(HttpResponseMessage response, int status, String field) {
        assertEquals("application/problem+json; charset=utf-8", response.getHeader("Content-Type"));
        JsonNode problem = body(response);
        assertEquals(status, problem.get("status").asInt());
        assertNotNull(problem.get("title").asText());
        if (field != null) {
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertTrue(fields.contains(field), "errors name " + field + ": " + problem);
        }
        return problem;
    }

    // ---- devices -----------------------------------------------------------------------------

    @Nested
    class Devices {

        @Test
        void listPagesWithContinuationTokens() {
            List<String> ids = new ArrayList<>();
            JsonNode page = body(call(devices::list, get("/api/devices").query("limit", "2"), 200));
            page.get("items").forEach(device -> ids.add(device.get("id").asText()));
            assertEquals(2, ids.size());
            String continuation = page.get("continuation").asText();
            while (continuation != null) {
                page = body(call(devices::list, get("/api/devices").query("limit", "2").query("continuation", continuation), 200));
                page.get("items").forEach(device -> ids.add(device.get("id").asText()));
                continuation = page.has("continuation") ? page.get("continuation").asText() : null;
            }
            assertTrue(ids.containsAll(List.of(device("a"), device("b"), device("c"))), ids.toString());
            assertEquals(ids.stream().sorted().toList(), ids, "in id order");
        }

        @Test
        void listFiltersByTag() {
            JsonNode page = body(call(devices::list, get("/api/devices").query("tag", "plant-2"), 200));
            assertEquals(1, page.get("items").size());
            assertEquals(device("a"), page.at("/items/0/id").asText());
        }

        @Test
        void badListParametersAreNamed() {
            problem(call(devices::list, get("/api/devices").query("limit", "1000"), 400), 400, "limit");
            problem(call(devices::list, get("/api/devices").query("continuation", "%%%"), 400), 400, "continuation");
            problem(call(devices::list, get("/api/devices").query("continuation", "bm90LWEtdG9rZW4"), 400), 400, "continuation");
            problem(call(devices::list, get("/api/devices").query("tag", "a b"), 400), 400, "tag");
        }

        @Test
        void aContinuationTokenWorksOnlyForTheListingAndQueryItCameFrom() {
            String token = body(call(devices::list, get("/api/devices").query("limit", "1"), 200)).get("continuation").asText();
            // Once, /alerts and /rules took it and silently restarted at page 1.
            JsonNode elsewhere = problem(call(alerts::list, get("/api/alerts").query("continuation", token), 400), 400, "continuation");
            assertTrue(elsewhere.toString().contains("another listing or query"), elsewhere::toString);
            problem(call(rules::list, get("/api/rules").query("continuation", token), 400), 400, "continuation");
            problem(call(devices::list, get("/api/devices").query("tag", "boiler").query("continuation", token), 400), 400, "continuation");
            assertEquals(200, call(devices::list, get("/api/devices").query("limit", "5").query("continuation", token), 200).getStatusCode(),
                    "the same listing with another page size is fine");
        }

        @Test
        void malformedBodiesAreExplainedInTheCallersTermsAndDuplicateKeysAreRefused() {
            String deep = "{\"name\": " + "[".repeat(1200) + "]".repeat(1200) + "}";
            String nan = "{\"name\": \"x\", \"threshold\": NaN}";
            String twice = "{\"name\": \"Hot\", \"scope\": {\"kind\": \"all\"}, \"metric\": \"t\", \"operator\": \">\","
                    + " \"threshold\": 80, \"threshold\": 1}";
            for (String body : List.of(deep, nan, twice, "{\"name\": ")) {
                String detail = problem(call(rules::create, post("/api/rules", body), 400), 400, null).get("detail").asText();
                assertFalse(detail.contains("`") || detail.contains("StreamReadConstraints") || detail.contains("JsonReadFeature"),
                        "no library internals: " + detail);
                assertTrue(detail.startsWith("The body is not valid JSON: "), detail);
            }
            assertTrue(problem(call(rules::create, post("/api/rules", deep), 400), 400, null).get("detail").asText().contains("nested too deeply"));
            assertTrue(problem(call(rules::create, post("/api/rules", nan), 400), 400, null).get("detail").asText()
                    .contains("NaN and Infinity are not JSON numbers"));
            assertTrue(problem(call(rules::create, post("/api/rules", twice), 400), 400, null).get("detail").asText()
                    .contains("\"threshold\" appears twice"));
        }

        @Test
        void getShowsStateWithoutBookkeeping() {
            JsonNode device = body(call((r, c) -> devices.get(r, device("b"), c), get("/api/devices/" + device("b")), 200));
            assertEquals(21.0, device.at("/latest/temperature/value").asDouble());
            assertEquals(T0.plusSeconds(20), Instant.parse(device.get("lastSeen").asText()));
            assertFalse(device.has("applied"));
            problem(call((r, c) -> devices.get(r, device("zz"), c), get("/api/devices/" + device("zz")), 404), 404, null);
            problem(call((r, c) -> devices.get(r, "bad id", c), get("/api/devices/bad%20id"), 400), 400, "deviceId");
        }

        @Test
        void patchChangesTheProfileAndKeepsTelemetryState() {
            JsonNode updated = body(call((r, c) -> devices.update(r, device("c"), c),
                    patch("/api/devices/" + device("c"), "{\"name\": \"Chiller 3\", \"location\": \"roof\"}"), 200));
            assertEquals("Chiller 3", updated.get("name").asText());
            assertEquals("roof", updated.get("location").asText());
            assertEquals(22.0, updated.at("/latest/temperature/value").asDouble(), "telemetry state kept");

            problem(call((r, c) -> devices.update(r, device("c"), c), patch("/api/devices/x", "{\"lastSeen\": \"2020-01-01T00:00:00Z\"}"), 400),
                    400, "lastSeen");
            problem(call((r, c) -> devices.update(r, device("c"), c), patch("/api/devices/x", "{\"tags\": [\"ok\", \"not ok\"]}"), 400),
                    400, "tags[1]");
            problem(call((r, c) -> devices.update(r, device("c"), c), patch("/api/devices/x", "{\"name\": "), 400), 400, null);
            problem(call((r, c) -> devices.update(r, device("nope"), c), patch("/api/devices/x", "{\"name\": \"n\"}"), 404), 404, null);
        }

        @Test
        void aggregatesAtMinuteAndHourResolution() {
            String id = device("a");
            JsonNode minutes = body(call((r, c) -> devices.aggregates(r, id, "temperature", c),
                    get("/api/devices/" + id + "/metrics/temperature").query("from", T0.toString()).query("to", T0.plusSeconds(3700).toString()), 200));
            assertEquals("minute", minutes.get("resolution").asText());
            List<String> starts = new ArrayList<>();
            minutes.get("items").forEach(window -> starts.add(window.get("start").asText()));
            assertEquals(List.of(T0, T0.plusSeconds(60), T0.plusSeconds(3660)).stream().map(Json::format).toList(), starts);
            assertEquals(85.0, minutes.at("/items/1/max").asDouble());

            JsonNode hours = body(call((r, c) -> devices.aggregates(r, id, "temperature", c),
                    get("/api/devices/" + id + "/metrics/temperature").query("resolution", "hour")
                            .query("from", T0.toString()).query("to", T0.plusSeconds(7200).toString()), 200));
            assertEquals(2, hours.get("items").size());
            JsonNode firstHour = hours.get("items").get(0);
            assertEquals(2, firstHour.get("count").asLong());
            assertEquals(52.5, firstHour.get("avg").asDouble());
            assertEquals(85.0, firstHour.get("last").asDouble());

            JsonNode paged = body(call((r, c) -> devices.aggregates(r, id, "temperature", c),
                    get("/api/devices/" + id + "/metrics/temperature").query("limit", "1")
                            .query("from", T0.toString()).query("to", T0.plusSeconds(7200).toString()), 200));
            assertEquals(1, paged.get("items").size());
            assertTrue(paged.has("continuation"));

            problem(call((r, c) -> devices.aggregates(r, id, "temp-c", c), get("/api/devices/x/metrics/temp-c"), 400), 400, "metric");
            problem(call((r, c) -> devices.aggregates(r, id, "temperature", c), get("/x").query("resolution", "second"), 400), 400, "resolution");
            problem(call((r, c) -> devices.aggregates(r, id, "temperature", c), get("/x").query("from", "yesterday"), 400), 400, "from");
            problem(call((r, c) -> devices.aggregates(r, id, "temperature", c),
                    get("/x").query("from", T0.toString()).query("to", T0.toString()), 400), 400, "from");
            problem(call((r, c) -> devices.aggregates(r, device("nope"), "temperature", c), get("/x"), 404), 404, null);
        }
    }

    // ---- alerts ------------------------------------------------------------------------------

    @Nested
    class Alerts {

        @Test
        void alertLifecycleThroughTheApi() {
            JsonNode open = body(call(alerts::list, get("/api/alerts").query("state", "open").query("deviceId", device("a")), 200));
            assertEquals(1, open.get("items").size());
            String alertId = open.at("/items/0/id").asText();
            assertEquals("critical", open.at("/items/0/severity").asText());
            assertEquals(85.0, open.at("/items/0/transitions/0/value").asDouble());
            assertEquals(1, body(call((r, c) -> devices.get(r, device("a"), c), get("/x"), 200)).get("activeAlerts").asInt());

            JsonNode acknowledged = body(call((r, c) -> alerts.acknowledge(r, alertId, c),
                    post("/api/alerts/" + alertId + "/ack", "{\"by\": \"ops@example.com\", \"note\": \"looking\"}"), 200));
            assertEquals("acknowledged", acknowledged.get("state").asText());
            assertEquals("ops@example.com", acknowledged.at("/transitions/1/by").asText());
            problem(call((r, c) -> alerts.acknowledge(r, alertId, c), post("/x", ""), 409), 409, null);

            JsonNode resolved = body(call((r, c) -> alerts.resolve(r, alertId, c), post("/api/alerts/" + alertId + "/resolve", ""), 200));
            assertEquals("resolved", resolved.get("state").asText());
            problem(call((r, c) -> alerts.resolve(r, alertId, c), post("/x", ""), 409), 409, null);
            problem(call((r, c) -> alerts.acknowledge(r, alertId, c), post("/x", ""), 409), 409, null);
            assertEquals(0, body(call((r, c) -> devices.get(r, device("a"), c), get("/x"), 200)).get("activeAlerts").asInt());

            JsonNode fetched = body(call((r, c) -> alerts.get(r, alertId, c), get("/api/alerts/" + alertId), 200));
            assertEquals(3, fetched.get("transitions").size());

            // Resolved by hand while still hot: the rule raises a new alert once the device's stream has
            // seen the resolution (it does when it next writes the device), at the next hot reading after that.
            ingest(device("a"), T0.plusSeconds(3_800), 90);
            ingest(device("a"), T0.plusSeconds(3_810), 91);
            JsonNode again = body(call(alerts::list, get("/api/alerts").query("state", "open").query("deviceId", device("a")), 200));
            assertEquals(1, again.get("items").size());
            assertFalse(again.at("/items/0/id").asText().equals(alertId));
        }

        @Test
        void filtersAndErrors() {
            JsonNode critical = body(call(alerts::list, get("/api/alerts").query("severity", "critical"), 200));
            assertTrue(critical.get("items").size() >= 1);
            assertEquals(0, body(call(alerts::list, get("/api/alerts").query("severity", "info"), 200)).get("items").size());
            problem(call(alerts::list, get("/api/alerts").query("state", "closed"), 400), 400, "state");
            problem(call(alerts::list, get("/api/alerts").query("severity", "high"), 400), 400, "severity");
            problem(call((r, c) -> alerts.get(r, "al-000000000000", c), get("/x"), 404), 404, null);
            problem(call((r, c) -> alerts.get(r, "nope", c), get("/x"), 400), 400, "alertId");
            problem(call((r, c) -> alerts.acknowledge(r, "al-000000000000", c), post("/x", "{\"by\": \"ops\"}"), 404), 404, null);
            // Wrong types are named, never dropped: {"by": 123, "note": [1]} once acknowledged as "api" with no note.
            problem(call((r, c) -> alerts.acknowledge(r, "al-000000000000", c), post("/x", "{\"by\": 123, \"note\": [1]}"), 400), 400, "by");
            problem(call((r, c) -> alerts.resolve(r, "al-000000000000", c), post("/x", "{\"note\": [1]}"), 400), 400, "note");
            problem(call((r, c) -> alerts.acknowledge(r, "al-000000000000", c), post("/x", "{\"by\": \"ops\", \"reason\": \"x\"}"), 400),
                    400, "reason");
            problem(call((r, c) -> alerts.acknowledge(r, "al-000000000000", c), post("/x", "{\"note\": \"" + "x".repeat(600) + "\"}"), 400), 400, "note");
        }
    }

    // ---- rules -------------------------------------------------------------------------------

    @Nested
    class Rules {

        @Test
        void crudWithValidation() {
            JsonNode created = body(call(rules::create, post("/api/rules", """
                    {"name": "Dry air", "scope": {"kind": "device", "value": "%s"}, "metric": "humidity",
                     "operator": "<", "threshold": 20, "holdSeconds": 300}""".formatted(device("b"))), 201));
            String id = created.get("id").asText();
            assertTrue(id.startsWith("rule-"));
            assertEquals("warning", created.get("severity").asText(), "default severity");

            assertEquals("Dry air", body(call((r, c) -> rules.get(r, id, c), get("/api/rules/" + id), 200)).get("name").asText());
            List<String> listed = new ArrayList<>();
            body(call(rules::list, get("/api/rules"), 200)).get("items").forEach(rule -> listed.add(rule.get("id").asText()));
            assertTrue(listed.containsAll(List.of("hot", id)), listed.toString());

            JsonNode replaced = body(call((r, c) -> rules.replace(r, id, c), TestHttpRequest.of(HttpMethod.PUT, "http://x/api/rules/" + id, """
                    {"name": "Very dry air", "scope": {"kind": "all"}, "metric": "humidity", "operator": "<", "threshold": 10,
                     "severity": "info"}"""), 200));
            assertEquals(10.0, replaced.get("threshold").asDouble());

            call((r, c) -> rules.delete(r, id, c), TestHttpRequest.of(HttpMethod.DELETE, "http://x/api/rules/" + id, null), 204);
            problem(call((r, c) -> rules.get(r, id, c), get("/x"), 404), 404, null);
            problem(call((r, c) -> rules.delete(r, id, c), TestHttpRequest.of(HttpMethod.DELETE, "http://x", null), 404), 404, null);
            listed.clear();
            body(call(rules::list, get("/api/rules"), 200)).get("items").forEach(rule -> listed.add(rule.get("id").asText()));
            assertFalse(listed.contains(id), "deleted rules are not listed");
        }

        @Test
        void everyBadFieldIsNamed() {
            JsonNode problem = problem(call(rules::create, post("/api/rules", """
                    {"id": "bad rule", "scope": {"kind": "tag"}, "metric": "2hot", "operator": "=>", "threshold": "80",
                     "holdSeconds": 5, "consecutive": 3, "clear": {"operator": ">", "threshold": 90}, "severity": "fatal",
                     "enabled": "yes"}"""), 400), 400, "id");
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertEquals(List.of("id", "name", "scope.value", "metric", "operator", "threshold", "consecutive", "severity", "enabled"),
                    fields);

            problem(call(rules::create, post("/api/rules", """
                    {"name": "Flappy", "scope": {"kind": "all"}, "metric": "t", "operator": ">", "threshold": 80,
                     "clear": {"operator": "<", "threshold": 85}}"""), 400), 400, "clear.threshold");
            problem(call(rules::create, post("/api/rules", """
                    {"name": "Wrong side", "scope": {"kind": "all"}, "metric": "t", "operator": ">", "threshold": 80,
                     "clear": {"operator": ">", "threshold": 70}}"""), 400), 400, "clear.operator");
            problem(call(rules::create, post("/api/rules", "[1,2]"), 400), 400, null);
            problem(call(rules::create, post("/api/rules", "{\"name\": "), 400), 400, null);
        }

        @Test
        void anEditBasedOnAStaleReadIsRefusedWith412() {
            String rule = """
                    {"id": "etag-%s", "name": "Warm", "scope": {"kind": "all"}, "metric": "t", "operator": ">", "threshold": 30}"""
                    .formatted(UUID.randomUUID().toString().substring(0, 6));
            String id = body(call(rules::create, post("/api/rules", rule), 201)).get("id").asText();
            HttpResponseMessage read = call((r, c) -> rules.get(r, id, c), get("/api/rules/" + id), 200);
            String etag = read.getHeader("ETag");
            assertTrue(etag != null && etag.startsWith("\"") && etag.endsWith("\""), "a quoted entity tag: " + etag);

            // Someone else saves first; the edit based on the old read must not undo theirs.
            HttpResponseMessage theirs = call((r, c) -> rules.replace(r, id, c), TestHttpRequest.of(HttpMethod.PUT, "http://x",
                    withThreshold(rule, 31)).header("If-Match", etag), 200);
            String newer = theirs.getHeader("ETag");
            assertTrue(newer != null && !newer.equals(etag), "a new version: " + newer);
            problem(call((r, c) -> rules.replace(r, id, c), TestHttpRequest.of(HttpMethod.PUT, "http://x",
                    withThreshold(rule, 99)).header("If-Match", etag), 412), 412, null);
            assertEquals(31, body(call((r, c) -> rules.get(r, id, c), get("/api/rules/" + id), 200)).get("threshold").asInt());

            call((r, c) -> rules.replace(r, id, c), TestHttpRequest.of(HttpMethod.PUT, "http://x", withThreshold(rule, 32))
                    .header("If-Match", "*"), 200);
            call((r, c) -> rules.replace(r, id, c), TestHttpRequest.of(HttpMethod.PUT, "http://x", withThreshold(rule, 33)), 200);
        }

        /** The rule with another threshold; its id is random and may itself contain the digits. */
        private static String withThreshold(String rule, int threshold) {
            return rule.replace("\"threshold\": 30", "\"threshold\": " + threshold);
        }

        @Test
        void conflictsAndMismatches() {
            String duplicate = """
                    {"id": "hot", "name": "Again", "scope": {"kind": "all"}, "metric": "t", "operator": ">", "threshold": 1}""";
            problem(call(rules::create, post("/api/rules", duplicate), 409), 409, null);
            problem(call((r, c) -> rules.replace(r, "other", c), TestHttpRequest.of(HttpMethod.PUT, "http://x", duplicate), 400), 400, "id");
            problem(call((r, c) -> rules.replace(r, "missing", c), TestHttpRequest.of(HttpMethod.PUT, "http://x",
                    duplicate.replace("\"id\": \"hot\", ", "")), 404), 404, null);
            problem(call((r, c) -> rules.get(r, "bad id!", c), get("/x"), 400), 400, "ruleId");
            // A rule named like the built-in offline alerts would have its alerts taken for them.
            for (String reserved : List.of("offline", "Offline")) {
                JsonNode refused = problem(call(rules::create, post("/api/rules", duplicate.replace("\"hot\"", "\"" + reserved + "\"")), 400),
                        400, "id");
                assertTrue(refused.toString().contains("reserved"), refused::toString);
            }
        }
    }
}
