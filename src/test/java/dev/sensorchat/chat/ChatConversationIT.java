package dev.sensorchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.common.Json;
import dev.sensorchat.functions.ChatWebhook;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Delivery;
import dev.sensorchat.testing.ChatDeliveries.Signing;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Multi-turn conversations through the webhook function, over telemetry written by the telemetry
 * pipeline into the real local Cosmos DB server.
 */
@ExtendWith(LocalAzureExtension.class)
class ChatConversationIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Pattern RULE_ID = Pattern.compile("r-[0-9a-f]{8}");
    private static final Pattern ALERT_ID = Pattern.compile("al-[0-9a-f]{12}");

    private static AppContext app;
    private static ChatWebhook webhook;
    private static final AtomicLong sequence = new AtomicLong(1);

    @BeforeAll
    static void fleetWithTelemetry(LocalAzure azure) {
        app = azure.newAppContext(ChatDeliveries.settings(null));
        webhook = new ChatWebhook(app);
        for (int i = 0; i < 10; i++) {
            Instant ts = NOW.minus(50 - i * 5L, ChronoUnit.MINUTES);
            ingest("boiler-1", ts, "\"temperature\":" + (60 + 2 * i) + ",\"humidity\":" + (40 + i));
        }
        for (int i = 0; i < 3; i++) {
            ingest("gh-1", NOW.minus(30 - i * 10L, ChronoUnit.MINUTES), "\"humidity\":" + (55 + i));
        }
        ingest("boiler-2", NOW.minus(20, ChronoUnit.MINUTES), "\"temperature\":70");
        // The stream goes quiet: what it holds is written (the idle flush, without waiting for it).
        app.telemetryStreams().flushIdle();
    }

    @AfterAll
    static void close() {
        app.close();
    }

    private static void ingest(String device, Instant ts, String metrics) {
        String body = "{\"deviceId\":\"" + device + "\",\"ts\":\"" + ts + "\",\"metrics\":{" + metrics + "}}";
        app.eventHubBatches().process("telemetry", "0",
                List.of(new EventHubBatchProcessor.Event(body, sequence.getAndIncrement(), ts.plusSeconds(1), "0", device)));
    }

    /** Sends one message in a conversation of the generic channel and returns the bot's text. */
    private static String say(String conversation, String text) {
        return text(send(ChatDeliveries.generic(UUID.randomUUID().toString(), conversation, text, Signing.VALID, Instant.now())));
    }

    private static HttpResponseMessage send(Delivery delivery) {
        HttpResponseMessage response = webhook.deliver(delivery);
        assertEquals(200, response.getStatusCode(), () -> String.valueOf(response.getBody()));
        return response;
    }

    private static String text(HttpResponseMessage response) {
        try {
            JsonNode body = Json.MAPPER.readTree((String) response.getBody());
            return body.has("text") ? body.get("text").asText() : body.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertTrue(matcher.find(), () -> pattern + " in: " + text);
        return matcher.group();
    }

    @Test
    void statusMetricsAndFollowUps() {
        String room = "ops-" + UUID.randomUUID().toString().substring(0, 6);

        String status = say(room, "Status of boiler-1?");
        assertTrue(status.contains("is online"), status);
        assertTrue(status.contains("temperature: **78**"), status);

        String temperature = say(room, "temperature of boiler-1 last hour");
        assertTrue(temperature.contains("min **60** · avg **69** · max **78** · latest **78**"), temperature);
        assertTrue(temperature.contains("10 readings"), temperature);
        assertTrue(temperature.matches("(?s).*[▁▂▃▄▅▆▇█]{10}.*"), "a sparkline: " + temperature);

        String humidity = say(room, "and humidity?");
        assertTrue(humidity.contains("**humidity** of `boiler-1`, last hour"), humidity);
        assertTrue(humidity.contains("min **40** · avg **44.5** · max **49**"), humidity);

        String otherDevice = say(room, "what about gh-1?");
        assertTrue(otherDevice.contains("**humidity** of `gh-1`"), otherDevice);
        assertTrue(otherDevice.contains("min **55** · avg **56** · max **57**"), otherDevice);

        String typo = say(room, "staus gh-1");
        assertTrue(typo.contains("`gh-1` is online"), typo);

        String unknown = say(room, "status boiler-7");
        assertTrue(unknown.contains("I don't know a device `boiler-7`"), unknown);

        String devices = say(room, "devices");
        assertTrue(devices.contains("**3 devices**") && devices.contains("online"), devices);

        String nonsense = say(room, "make me a sandwich");
        assertTrue(nonsense.startsWith("Sorry, I didn't get that."), nonsense);
        assertTrue(nonsense.contains("`help`"), nonsense);
    }

    @Test
    void ruleCreationWithConfirmationAlertAckAndRetries() {
        String room = "rules-" + UUID.randomUUID().toString().substring(0, 6);

        String proposal = say(room, "alert me when temperature > 80 on boiler-2");
        String ruleId = first(RULE_ID, proposal);
        assertTrue(proposal.contains("**temperature > 80** on `boiler-2`"), proposal);
        assertTrue(proposal.contains("Reply **yes**"), proposal);
        assertTrue(app.rules().find(ruleId).isEmpty(), "nothing saved before the yes");

        Delivery yes = ChatDeliveries.generic(UUID.randomUUID().toString(), room, "yes", Signing.VALID, Instant.now());
        String saved = text(send(yes));
        assertTrue(saved.startsWith("Saved rule `" + ruleId + "`"), saved);
        assertEquals(RuleScope.device("boiler-2"), app.rules().find(ruleId).orElseThrow().scope());

        // The platform retries the same delivery: same answer, no second effect.
        assertEquals(saved, text(send(yes)));
        assertEquals(1, app.rules().list(100, null).items().stream().filter(r -> r.id().equals(ruleId)).count());

        ingest("boiler-2", NOW.minus(1, ChronoUnit.MINUTES), "\"temperature\":85");
        String alerts = say(room, "alerts");
        String alertId = first(ALERT_ID, alerts);
        assertTrue(alerts.contains("**1 open alert**"), alerts);

        Delivery ack = ChatDeliveries.generic(UUID.randomUUID().toString(), room, "ack " + alertId, Signing.VALID, Instant.now());
        String acknowledged = text(send(ack));
        assertTrue(acknowledged.startsWith("Acknowledged `" + alertId + "`"), acknowledged);
        assertEquals(acknowledged, text(send(ack)), "a retried ack answers the same");
        AlertDocument alert = app.alerts().find(alertId).orElseThrow();
        assertEquals(AlertState.ACKNOWLEDGED, alert.state());
        assertEquals(2, alert.transitions().size(), "acknowledged once");
        assertTrue(alert.transitions().get(1).by().startsWith("generic:"), alert.transitions().get(1).by());

        String deletion = say(room, "delete rule " + ruleId);
        assertTrue(deletion.contains("Reply **yes** to delete"), deletion);
        assertTrue(say(room, "no").startsWith("Cancelled"));
        assertTrue(app.rules().find(ruleId).isPresent());
        say(room, "delete rule " + ruleId);
        assertTrue(say(room, "yes").startsWith("Deleted rule"));
        assertTrue(app.rules().find(ruleId).isEmpty());
        assertEquals("There's nothing waiting for a yes.", say(room, "yes"));
    }

    @Test
    void subscriptionsAndConcurrentMessagesKeepEveryUpdate() {
        String room = "subs-" + UUID.randomUUID().toString().substring(0, 6);
        String subscribed = say(room, "subscribe boiler-1 critical");
        assertTrue(subscribed.startsWith("Subscribed to critical and higher alerts on `boiler-1`"), subscribed);

        // Two messages at the same time: both subscriptions must survive.
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> say(room, "subscribe tag greenhouse"));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> say(room, "subscribe gh-1 warning"));
        CompletableFuture.allOf(a, b).join();

        String list = say(room, "subscriptions");
        assertTrue(list.contains("on `boiler-1`, critical and higher"), list);
        assertTrue(list.contains("on devices tagged `greenhouse`"), list);
        assertTrue(list.contains("on `gh-1`, warning and higher"), list);
        ConversationDocument stored = app.store(Containers.CONVERSATIONS, ConversationDocument.class)
                .find("generic:" + room, "generic:" + room).orElseThrow().value();
        assertEquals(3, stored.subscriptions().size());

        assertTrue(say(room, "unsubscribe gh-1").startsWith("Unsubscribed from alerts on `gh-1`"));
        assertTrue(say(room, "unsubscribe").startsWith("Unsubscribed from everything"));
        assertTrue(say(room, "subscriptions").startsWith("No subscriptions"));
    }

    @Test
    void fiftyMessagesAtOnceToOneConversationAreAllAnsweredAndNoUpdateIsLost() throws Exception {
        String room = "burst-" + UUID.randomUUID().toString().substring(0, 6);
        ExecutorService senders = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponseMessage>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String text = i % 2 == 0 ? "status" : "subscribe tag t" + i; // reads and writes of the same state
                Delivery delivery = ChatDeliveries.generic(UUID.randomUUID().toString(), room, text, Signing.VALID, Instant.now());
                answers.add(senders.submit(() -> {
                    start.await();
                    return webhook.deliver(delivery);
                }));
            }
            start.countDown();
            for (Future<HttpResponseMessage> answer : answers) {
                HttpResponseMessage response = answer.get();
                assertEquals(200, response.getStatusCode(), () -> String.valueOf(response.getBody()));
            }
        } finally {
            senders.shutdownNow();
        }
        ConversationDocument stored = app.store(Containers.CONVERSATIONS, ConversationDocument.class)
                .find("generic:" + room, "generic:" + room).orElseThrow().value();
        assertEquals(25, stored.subscriptions().size(), "every subscription of the burst was kept");
    }

    @Test
    void otherChannelsRenderTheirOwnWay() throws IOException {
        long update = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        JsonNode telegram = Json.MAPPER.readTree((String) send(ChatDeliveries.telegram(update, "status gh-1", Signing.VALID, Instant.now())).getBody());
        assertEquals("sendMessage", telegram.get("method").asText());
        assertEquals(1111111, telegram.get("chat_id").asLong());
        assertEquals("HTML", telegram.get("parse_mode").asText());
        assertTrue(telegram.get("text").asText().contains("<code>gh-1</code> is online"), telegram.toString());

        JsonNode followUp = Json.MAPPER.readTree((String) send(ChatDeliveries.telegram(update + 1, "what about boiler-1?", Signing.VALID,
                Instant.now())).getBody());
        assertTrue(followUp.get("text").asText().contains("<code>boiler-1</code> is online"), "status again, for boiler-1");

        JsonNode slack = Json.MAPPER.readTree((String) send(ChatDeliveries.slack("13345224609.738474920.8088930838d88f008e0", "temp boiler-1",
                Signing.VALID, Instant.now())).getBody());
        assertEquals("in_channel", slack.get("response_type").asText());
        assertTrue(slack.get("text").asText().contains("*temperature* of `boiler-1`"), slack.toString());

        JsonNode teams = Json.MAPPER.readTree((String) send(ChatDeliveries.teams("1485983408511", "humidity gh-1 last hour",
                Signing.VALID, Instant.now())).getBody());
        assertEquals("message", teams.get("type").asText());
        assertTrue(teams.get("text").asText().toLowerCase(Locale.ROOT).contains("**humidity** of `gh-1`"), teams.toString());
        assertFalse(teams.get("text").asText().contains("<at>"));
    }
}
