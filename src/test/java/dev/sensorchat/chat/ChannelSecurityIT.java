package dev.sensorchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.chat.channels.GenericChannel;
import dev.sensorchat.chat.channels.TeamsChannel;
import dev.sensorchat.common.Json;
import dev.sensorchat.functions.ChatWebhook;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Delivery;
import dev.sensorchat.testing.ChatDeliveries.Signing;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every channel with a valid signature, a forged one, a missing one and an expired timestamp,
 * through the webhook function and the real Cosmos DB server: only the valid delivery is answered,
 * and a refused one leaves nothing behind.
 */
@ExtendWith(LocalAzureExtension.class)
class ChannelSecurityIT {

    private static AppContext app;
    private static ChatWebhook webhook;

    @BeforeAll
    static void open(LocalAzure azure) {
        app = azure.newAppContext(ChatDeliveries.settings(null));
        webhook = new ChatWebhook(app);
    }

    @AfterAll
    static void close() {
        app.close();
    }

    private static Delivery delivery(String channel, String id, String text, Signing signing) {
        Instant now = Instant.now();
        return switch (channel) {
            case "generic" -> ChatDeliveries.generic(id, "room-" + id, text, signing, now);
            case "telegram" -> ChatDeliveries.telegram(Math.abs(id.hashCode()), text, signing, now);
            case "teams" -> ChatDeliveries.teams(id, text, signing, now);
            default -> ChatDeliveries.slack(id, text, signing, now);
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "generic, VALID, 200", "generic, FORGED, 401", "generic, MISSING, 401", "generic, EXPIRED, 401",
            "telegram, VALID, 200", "telegram, FORGED, 401", "telegram, MISSING, 401",
            "teams, VALID, 200", "teams, FORGED, 401", "teams, MISSING, 401",
            "slack, VALID, 200", "slack, FORGED, 401", "slack, MISSING, 401", "slack, EXPIRED, 401"})
    void onlyAuthenticDeliveriesAreAnswered(String channel, Signing signing, int expectedStatus) throws IOException {
        String id = UUID.randomUUID().toString();
        long conversationsBefore = conversations();
        long recordsBefore = app.store(Containers.IDEMPOTENCY, IdempotencyRecord.class).documentWrites();

        HttpResponseMessage response = webhook.deliver(delivery(channel, id, "help", signing));

        assertEquals(expectedStatus, response.getStatusCode(), () -> String.valueOf(response.getBody()));
        if (expectedStatus == 200) {
            assertTrue(String.valueOf(response.getBody()).contains("devices"), "the help text came back");
            assertEquals(conversationsBefore + 1, conversations());
        } else {
            JsonNode problem = Json.MAPPER.readTree((String) response.getBody());
            if (channel.equals("teams")) {
                // Teams shows a message activity to the user; a problem document would be a blank error.
                assertEquals("message", problem.get("type").asText());
                assertTrue(problem.get("text").asText().contains("could not be authenticated"), problem::toString);
            } else {
                assertEquals(401, problem.get("status").asInt());
            }
            assertEquals(conversationsBefore, conversations(), "no conversation stored");
            assertEquals(recordsBefore, app.store(Containers.IDEMPOTENCY, IdempotencyRecord.class).documentWrites(), "no record written");
        }
    }

    /**
     * Telegram and Teams authenticate by their secret alone; a message's date is no credential.
     * Telegram redelivers what it queued during an outage for up to a day, then drops it: a stale
     * but authentic update is answered, saying it arrived late, and its retry has no second effect.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"telegram", "teams"})
    void aStaleButAuthenticDeliveryIsAnsweredOnceAndSaysItIsLate(String channel) {
        String id = UUID.randomUUID().toString();
        Instant queuedAnHourAgo = Instant.now().minusSeconds(3600);
        long chat = 1 + Math.floorMod(id.hashCode(), 1_000_000_000L);
        Delivery stale = channel.equals("telegram")
                ? ChatDeliveries.telegram(chat, chat, "help", Signing.VALID, queuedAnHourAgo)
                : ChatDeliveries.teams(id, ChatDeliveries.TEAMS_CHANNEL + ";messageid=" + chat, "help", Signing.VALID, queuedAnHourAgo);
        long conversationsBefore = conversations();

        HttpResponseMessage first = webhook.deliver(stale);
        HttpResponseMessage redelivered = webhook.deliver(stale);

        assertEquals(200, first.getStatusCode(), () -> String.valueOf(first.getBody()));
        String body = String.valueOf(first.getBody());
        assertTrue(body.contains("reached me only now, 1 h ago") && body.contains("devices"), body);
        assertEquals(body, String.valueOf(redelivered.getBody()), "the redelivery gets the first answer");
        assertEquals(conversationsBefore + 1, conversations());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"generic", "telegram", "teams"})
    void aSignedButMalformedBodyIs400WithAProblemDocument(String channel) throws IOException {
        Delivery valid = delivery(channel, UUID.randomUUID().toString(), "help", Signing.VALID);
        String broken = "{\"this is\": not json";
        Delivery malformed = resign(valid, broken);

        HttpResponseMessage response = webhook.deliver(malformed);

        assertEquals(400, response.getStatusCode(), () -> String.valueOf(response.getBody()));
        assertEquals("application/problem+json; charset=utf-8", response.getHeader("Content-Type"));
        assertTrue(Json.MAPPER.readTree((String) response.getBody()).get("detail").asText().contains("JSON"));
    }

    @Test
    void aMessageIdReusedInAnotherConversationIsAnsweredThereAndNotTakenForARetry() {
        // A sender controls the generic channel's message ids: replay protection must not let
        // one conversation's id stand for another's message.
        String id = UUID.randomUUID().toString();
        String roomA = "room-a-" + id;
        String roomB = "room-b-" + id;
        long conversationsBefore = conversations();

        HttpResponseMessage first = webhook.deliver(ChatDeliveries.generic(id, roomA, "help", Signing.VALID, Instant.now()));
        HttpResponseMessage other = webhook.deliver(ChatDeliveries.generic(id, roomB, "list my rules", Signing.VALID, Instant.now()));
        HttpResponseMessage retry = webhook.deliver(ChatDeliveries.generic(id, roomA, "help", Signing.VALID, Instant.now()));

        assertEquals(200, other.getStatusCode());
        assertEquals(conversationsBefore + 2, conversations(), "the second conversation was answered, not dropped");
        assertNotEquals(String.valueOf(first.getBody()), String.valueOf(other.getBody()), "the other conversation got its own answer");
        assertEquals(String.valueOf(first.getBody()), String.valueOf(retry.getBody()), "a real retry still gets the first answer");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"unknown"})
    void anUnknownChannelIs404(String channel) {
        HttpResponseMessage response = webhook.deliver(new Delivery(channel, Map.of(), "{}"));
        assertEquals(404, response.getStatusCode());
    }

    /** The same headers re-signed over another body, as a client with the secret would. */
    private static Delivery resign(Delivery delivery, String body) {
        Instant now = Instant.now();
        return switch (delivery.channel()) {
            case "generic" -> new Delivery("generic", Map.of(
                    "X-Sensorchat-Timestamp", String.valueOf(now.getEpochSecond()),
                    "X-Sensorchat-Signature", GenericChannel.sign(
                            ChatDeliveries.GENERIC_SECRET.getBytes(StandardCharsets.UTF_8), now.getEpochSecond(), body)), body);
            case "teams" -> new Delivery("teams", Map.of("Authorization",
                    TeamsChannel.sign(ChatDeliveries.TEAMS_KEY, body)), body);
            default -> new Delivery(delivery.channel(), delivery.headers(), body);
        };
    }

    private static long conversations() {
        return app.store(Containers.CONVERSATIONS, ConversationDocument.class)
                .query(SqlQuery.of("SELECT VALUE COUNT(1) FROM c"), Long.class).get(0);
    }
}
