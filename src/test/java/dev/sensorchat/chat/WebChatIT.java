package dev.sensorchat.chat;

import static dev.sensorchat.testing.FunctionCalls.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.common.Json;
import dev.sensorchat.functions.ChatWebhook;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.testing.ChatDeliveries.Delivery;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
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
 * The dashboard's chat channel ({@code /api/chat/web}): the signed-in user's token instead of a
 * shared secret, one conversation per user, and the bot applying their role as the API does.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebChatIT {

    private final TestIdentityProvider identity = new TestIdentityProvider();
    private final String device = "wc-" + UUID.randomUUID().toString().substring(0, 6);
    private AppContext app;
    private ChatWebhook webhook;
    private String alertId;

    @BeforeAll
    void start(LocalAzure azure) {
        app = azure.newAppContext(Map.of("AUTH_ISSUER", identity.issuer(), "AUTH_AUDIENCE", TestIdentityProvider.AUDIENCE));
        webhook = new ChatWebhook(app);
        app.rules().create(Json.MAPPER.valueToTree(Map.of("id", device + "-hot", "name", "Hot", "scope", Map.of("kind", "device", "value", device),
                "metric", "temperature", "operator", ">", "threshold", 80, "severity", "critical")));
        Instant ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        String event = "{\"deviceId\":\"%s\",\"ts\":\"%s\",\"metrics\":{\"temperature\":93}}".formatted(device, ts);
        app.eventHubBatches().process("telemetry", "0", List.of(new EventHubBatchProcessor.Event(event, 1, ts.plusSeconds(1), "0", device)));
        alertId = app.alerts().list(AlertState.OPEN, device, null, 10, null).items().get(0).id();
    }

    @AfterAll
    void close() {
        app.close();
        identity.close();
    }

    private HttpResponseMessage say(String token, String messageId, String text) {
        Map<String, String> headers = token == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
        return webhook.deliver(new Delivery("web", headers, Json.MAPPER.createObjectNode().put("messageId", messageId).put("text", text).toString()));
    }

    @Test
    void aViewerAsksAndIsToldWhatTheirRoleCannotDo() {
        String viewer = identity.token("wv-1", "Wanda Viewer", "viewer");
        HttpResponseMessage status = say(viewer, "m-1", "status " + device);
        assertEquals(200, status.getStatusCode(), () -> String.valueOf(status.getBody()));
        JsonNode reply = body(status);
        assertEquals("user-wv-1", reply.get("conversationId").asText());
        assertTrue(reply.get("text").asText().contains(device), reply::toString);

        JsonNode refused = body(say(viewer, "m-2", "ack " + alertId));
        assertEquals("Your role (viewer) cannot do that; it needs operator. Ask an admin for the role.", refused.get("text").asText());
        assertEquals(AlertState.OPEN, app.alerts().find(alertId).orElseThrow().state(), "nothing happened");
        assertTrue(body(say(viewer, "m-3", "report yesterday")).get("text").asText().contains("needs admin"));
    }

    @Test
    void anOperatorActsAsThemselvesAndARetryHasNoSecondEffect() {
        String operator = identity.token("wo-1", "Walter Operator", "operator");
        JsonNode first = body(say(operator, "m-ack", "ack " + alertId));
        JsonNode retried = body(say(operator, "m-ack", "ack " + alertId));
        assertEquals(first, retried, "the retry gets the first answer");
        var alert = app.alerts().find(alertId).orElseThrow();
        assertEquals(AlertState.ACKNOWLEDGED, alert.state());
        assertEquals("web:Walter Operator", alert.transitions().get(alert.transitions().size() - 1).by());
        assertEquals(1, alert.transitions().stream().filter(t -> t.state() == AlertState.ACKNOWLEDGED).count());
    }

    @Test
    void withoutAUsableTokenTheChatIsRefusedLikeTheApi() {
        assertEquals(401, say(null, "m-x", "devices").getStatusCode());
        assertEquals(401, say("not-a-token", "m-x", "devices").getStatusCode());
        assertEquals(403, say(identity.token("wn-1", "No Role"), "m-x", "devices").getStatusCode(), "signed in without a role");
        String expired = identity.token(Instant.now().minus(3, ChronoUnit.HOURS), claims -> { });
        assertEquals(401, say(expired, "m-x", "devices").getStatusCode());
        assertEquals(400, say(identity.token("wv-2", "V", "viewer"), "bad id with spaces", "devices").getStatusCode());
    }
}
