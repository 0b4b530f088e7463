package dev.sensorchat.functions;

import static dev.sensorchat.testing.FunctionCalls.body;
import static dev.sensorchat.testing.FunctionCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestHttpRequest;
import dev.sensorchat.testing.TestIdentityProvider;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API's routes for signed-in users ({@code /app/api/...}, the dashboard's), against the local
 * servers and an OpenID provider on loopback: 401 without a valid token, 403 for the wrong role, the
 * same answers as the machine routes otherwise, and the user's identity, not the body's, on what they do.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserApiIT {

    private final TestIdentityProvider identity = new TestIdentityProvider();
    private final String device = "ua-" + UUID.randomUUID().toString().substring(0, 6);
    private AppContext app;
    private DevicesApi devices;
    private AlertsApi alerts;
    private RulesApi rules;
    private AccountApi account;
    private String alertId;

    @BeforeAll
    void start(LocalAzure azure) {
        app = azure.newAppContext(Map.of("AUTH_ISSUER", identity.issuer(), "AUTH_AUDIENCE", TestIdentityProvider.AUDIENCE,
                AppContext.GENERIC_WEBHOOK_SECRET, ChatDeliveries.GENERIC_SECRET, AppContext.GENERIC_CALLBACK_URL, "http://127.0.0.1:9/unused"));
        devices = new DevicesApi(app);
        alerts = new AlertsApi(app);
        rules = new RulesApi(app);
        account = new AccountApi(app);
        call(rules::create, TestHttpRequest.post("http://localhost:7071/api/rules", """
                {"id": "%s-hot", "name": "Hot", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                 "operator": ">", "threshold": 80, "severity": "critical"}""".formatted(device, device)), 201);
        Instant ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        String event = "{\"deviceId\":\"%s\",\"ts\":\"%s\",\"metrics\":{\"temperature\":91}}".formatted(device, ts);
        app.eventHubBatches().process("telemetry", "0", List.of(new EventHubBatchProcessor.Event(event, 1, ts.plusSeconds(1), "0", device)));
        JsonNode open = body(call(alerts::list, TestHttpRequest.get("http://localhost:7071/api/alerts").query("deviceId", device), 200));
        alertId = open.get("items").get(0).get("id").asText();
    }

    @AfterAll
    void close() {
        app.close();
        identity.close();
    }

    private static TestHttpRequest as(TestHttpRequest request, String token) {
        return request.header("Authorization", "Bearer " + token);
    }

    private static TestHttpRequest get(String path) {
        return TestHttpRequest.get("http://localhost:7071/app/api" + path);
    }

    @Test
    void withoutAValidTokenEveryUserRouteIsA401ProblemWithAChallenge() {
        HttpResponseMessage none = call(devices::listForUser, get("/devices"), 401);
        assertEquals("Bearer", none.getHeader("WWW-Authenticate"));
        assertEquals("application/problem+json; charset=utf-8", none.getHeader("Content-Type"));
        assertTrue(body(none).get("detail").asText().contains("Sign in"));

        String expired = identity.token(Instant.now().minus(3, ChronoUnit.HOURS), claims -> { });
        HttpResponseMessage old = call(devices::listForUser, as(get("/devices"), expired), 401);
        assertTrue(old.getHeader("WWW-Authenticate").startsWith("Bearer error=\"invalid_token\""), old.getHeader("WWW-Authenticate"));
        assertTrue(body(old).get("detail").asText().contains("expired"));

        String otherAudience = identity.token(Instant.now(), claims -> claims.audience("api://another-app"));
        call(alerts::listForUser, as(get("/alerts"), otherAudience), 401);
        // A function key is not a user: the dashboard's routes want a token whatever else is sent.
        call(alerts::listForUser, get("/alerts").header("x-functions-key", "any-key"), 401);
    }

    @Test
    void aViewerReadsButCannotActAndIsToldWhichRoleIsNeeded() {
        String viewer = identity.token("v-1", "Vera Viewer", "viewer");
        JsonNode listed = body(call(devices::listForUser, as(get("/devices"), viewer), 200));
        assertTrue(listed.get("items").findValuesAsText("id").contains(device));
        JsonNode one = body(call((r, c) -> devices.getForUser(r, device, c), as(get("/devices/" + device), viewer), 200));
        assertEquals("online", one.get("status").asText(), "reported just now");
        call((r, c) -> alerts.getForUser(r, alertId, c), as(get("/alerts/" + alertId), viewer), 200);

        HttpResponseMessage refused = call((r, c) -> alerts.acknowledgeForUser(r, alertId, c),
                as(TestHttpRequest.post("http://localhost:7071/app/api/alerts/" + alertId + "/ack", ""), viewer), 403);
        assertEquals("Your role (viewer) cannot do this; it needs operator.", body(refused).get("detail").asText());
        call(rules::createForUser, as(TestHttpRequest.post("http://localhost:7071/app/api/rules", "{}"), viewer), 403);

        JsonNode me = body(call(account::me, as(get("/me"), viewer), 200));
        assertEquals("Vera Viewer", me.get("name").asText());
        assertEquals("viewer", me.get("role").asText());
        assertEquals(List.of("viewer"), Json.MAPPER.convertValue(me.get("can"), List.class));

        String noRole = identity.token("n-1", "Nobody");
        call(devices::listForUser, as(get("/devices"), noRole), 403);
        assertEquals(List.of(), Json.MAPPER.convertValue(body(call(account::me, as(get("/me"), noRole), 200)).get("can"), List.class));
    }

    @Test
    void aListThatDidNotChangeIsA304SoAPollingDashboardRedrawsOnlyOnChange() {
        String operator = identity.token("o-3", "Oskar Operator", "operator");
        HttpResponseMessage first = call((r, c) -> devices.getForUser(r, device, c), as(get("/devices/" + device), operator), 200);
        String etag = first.getHeader("ETag");
        assertTrue(etag.startsWith("W/\""), etag);
        assertEquals("private, no-cache", first.getHeader("Cache-Control"));
        HttpResponseMessage same = call((r, c) -> devices.getForUser(r, device, c),
                as(get("/devices/" + device), operator).header("If-None-Match", etag), 304);
        assertEquals(etag, same.getHeader("ETag"));
        assertEquals(null, same.getBody());

        call((r, c) -> devices.updateForUser(r, device, c), as(TestHttpRequest.of(HttpMethod.PATCH,
                "http://localhost:7071/app/api/devices/" + device, "{\"location\": \"hall " + UUID.randomUUID() + "\"}"), operator), 200);
        HttpResponseMessage changed = call((r, c) -> devices.getForUser(r, device, c),
                as(get("/devices/" + device), operator).header("If-None-Match", etag), 200);
        assertTrue(!etag.equals(changed.getHeader("ETag")), "a changed device has another tag");
    }

    @Test
    void anOperatorActsAsThemselvesNotAsTheBodySays() {
        String operator = identity.token("o-1", "Olga Operator", "operator");
        TestHttpRequest spoofed = as(TestHttpRequest.post("http://localhost:7071/app/api/alerts/" + alertId + "/ack",
                "{\"by\": \"someone else\"}"), operator);
        JsonNode problem = body(call((r, c) -> alerts.acknowledgeForUser(r, alertId, c), spoofed, 400));
        assertEquals("by", problem.get("errors").get(0).get("field").asText());

        JsonNode acknowledged = body(call((r, c) -> alerts.acknowledgeForUser(r, alertId, c),
                as(TestHttpRequest.post("http://localhost:7071/app/api/alerts/" + alertId + "/ack", "{\"note\": \"on it\"}"), operator), 200));
        JsonNode transition = acknowledged.get("transitions").get(acknowledged.get("transitions").size() - 1);
        assertEquals("acknowledged", transition.get("state").asText(), acknowledged::toString);
        assertEquals("Olga Operator", transition.get("by").asText());
        assertEquals("on it", transition.get("note").asText());

        HttpResponseMessage created = call(rules::createForUser, as(TestHttpRequest.post("http://localhost:7071/app/api/rules", """
                {"id": "%s-cold", "name": "Cold", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                 "operator": "<", "threshold": 5, "severity": "warning"}""".formatted(device, device)), operator), 201);
        assertEquals(device + "-cold", body(created).get("id").asText());
        // If-Match works on the user's routes as on the machine's.
        String etag = call((r, c) -> rules.getForUser(r, device + "-cold", c), as(get("/rules/" + device + "-cold"), operator), 200)
                .getHeader("ETag");
        TestHttpRequest stale = as(TestHttpRequest.of(HttpMethod.PUT, "http://localhost:7071/app/api/rules/" + device + "-cold", """
                {"name": "Cold", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                 "operator": "<", "threshold": 4, "severity": "warning"}""".formatted(device)), operator).header("If-Match", "\"stale\"");
        call((r, c) -> rules.replaceForUser(r, device + "-cold", c), stale, 412);
        TestHttpRequest fresh = as(TestHttpRequest.of(HttpMethod.PUT, "http://localhost:7071/app/api/rules/" + device + "-cold", """
                {"name": "Cold", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                 "operator": "<", "threshold": 4, "severity": "warning"}""".formatted(device)), operator).header("If-Match", etag);
        call((r, c) -> rules.replaceForUser(r, device + "-cold", c), fresh, 200);
        call((r, c) -> rules.deleteForUser(r, device + "-cold", c),
                as(TestHttpRequest.of(HttpMethod.DELETE, "http://localhost:7071/app/api/rules/" + device + "-cold", null), operator), 204);
    }

    @Test
    void anAdminSeesEveryConversationsSubscriptionsAndEndsThem() {
        String room = "ua-room-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponseMessage subscribed = new ChatWebhook(app).deliver(ChatDeliveries.generic("m-" + room, room, "subscribe all",
                ChatDeliveries.Signing.VALID, Instant.now()));
        assertEquals(200, subscribed.getStatusCode(), () -> String.valueOf(subscribed.getBody()));
        SubscriptionsApi subscriptions = new SubscriptionsApi(app);
        String operator = identity.token("o-4", "Otis Operator", "operator");
        call(subscriptions::listForUser, as(get("/subscriptions"), operator), 403);

        String admin = identity.token("a-1", "Ada Admin", "admin");
        JsonNode listed = body(call(subscriptions::listForUser, as(get("/subscriptions"), admin), 200));
        JsonNode mine = null;
        for (JsonNode item : listed.get("items")) {
            if (item.get("conversationId").asText().equals(room)) {
                mine = item;
            }
        }
        assertTrue(mine != null, "the room's subscription is listed: " + listed);
        assertEquals("generic", mine.get("channel").asText());
        String id = mine.get("id").asText();
        TestHttpRequest delete = as(TestHttpRequest.of(HttpMethod.DELETE, "http://localhost:7071/app/api/subscriptions/" + id, null), admin);
        call((r, c) -> subscriptions.clearForUser(r, id, c), delete, 200);
        assertEquals(List.of(), app.subscriptions().list().stream().filter(s -> s.conversationId().equals(room)).toList(), "ended");
        call((r, c) -> subscriptions.clearForUser(r, id, c), delete, 404);
        call((r, c) -> subscriptions.clearForUser(r, id, c), as(TestHttpRequest.of(HttpMethod.DELETE,
                "http://localhost:7071/app/api/subscriptions/" + id, null), operator), 403);
    }

    @Test
    void anIdentityProviderThatCannotBeReachedIsA503NotA401() {
        TestIdentityProvider gone = new TestIdentityProvider();
        String token = gone.token("o-2", "Otto", "operator");
        gone.close();
        AppContext elsewhere = null;
        try {
            elsewhere = new dev.sensorchat.AppContext(new dev.sensorchat.config.AppSettings(Map.of("AUTH_ISSUER", gone.issuer(),
                    "AUTH_AUDIENCE", TestIdentityProvider.AUDIENCE)), java.time.Clock.systemUTC());
            HttpResponseMessage response = call(new DevicesApi(elsewhere)::listForUser, as(get("/devices"), token), 503);
            assertEquals(String.valueOf(Api.RETRY_AFTER_SECONDS), response.getHeader("Retry-After"));
        } finally {
            if (elsewhere != null) {
                elsewhere.close();
            }
        }
    }
}
