package dev.sensorchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.chat.channels.GenericChannel;
import dev.sensorchat.common.Json;
import dev.sensorchat.functions.AlertNotifications;
import dev.sensorchat.functions.ChatWebhook;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.storage.ChangeFeedPage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Signing;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.RecordingServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Notifications end to end: telemetry opens an alert, the alerts container's change feed drives the
 * notification function, and a local server standing in for Telegram, Slack, Teams and a generic
 * callback records what each subscribed conversation is sent.
 */
@ExtendWith(LocalAzureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertNotificationsIT {

    private final RecordingServer platforms = new RecordingServer();
    private final AtomicLong sequence = new AtomicLong(1);
    private AppContext app;
    private ChatWebhook webhook;
    private AlertNotifications notifications;
    private CosmosStore<ObjectNode> alertFeed;

    @BeforeAll
    void start(LocalAzure azure) throws IOException {
        app = azure.newAppContext(ChatDeliveries.settings(platforms.baseUrl()));
        webhook = new ChatWebhook(app);
        notifications = new AlertNotifications(app);
        alertFeed = app.store(Containers.ALERTS, ObjectNode.class);
        Instant now = Instant.now();
        ingest("kiln-9", now.minus(10, ChronoUnit.MINUTES), 80);
        ingest("other-1", now.minus(10, ChronoUnit.MINUTES), 20);
        ingest("flappy-1", now.minus(10, ChronoUnit.MINUTES), 40);
        app.devices().updateProfile("kiln-9", null, null, List.of("kiln"));
        app.rules().create(Json.MAPPER.readTree("""
                {"id": "kiln-hot", "name": "Kiln too hot", "scope": {"kind": "device", "value": "kiln-9"}, "metric": "temperature",
                 "operator": ">", "threshold": 100, "clear": {"operator": "<", "threshold": 90}, "severity": "critical"}"""));
        app.rules().create(Json.MAPPER.readTree("""
                {"id": "flappy", "name": "Flapping", "scope": {"kind": "device", "value": "flappy-1"}, "metric": "temperature",
                 "operator": ">", "threshold": 50, "severity": "warning"}"""));

        subscribe(ChatDeliveries.generic(id(), "n-generic", "subscribe kiln-9", Signing.VALID, Instant.now()));
        subscribe(ChatDeliveries.telegram(Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L), "subscribe tag kiln",
                Signing.VALID, Instant.now()));
        subscribe(ChatDeliveries.slack(id(), "subscribe all critical", Signing.VALID, Instant.now()));
        subscribe(ChatDeliveries.teams(id(), "subscribe kiln-9 warning", Signing.VALID, Instant.now()));
        subscribe(ChatDeliveries.generic(id(), "n-elsewhere", "subscribe other-1", Signing.VALID, Instant.now()));
        subscribe(ChatDeliveries.generic(id(), "n-burst", "subscribe flappy-1", Signing.VALID, Instant.now()));
    }

    @AfterAll
    void stop() {
        platforms.close();
        app.close();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private void subscribe(ChatDeliveries.Delivery delivery) {
        assertEquals(200, webhook.deliver(delivery).getStatusCode());
    }

    private void ingest(String device, Instant ts, double temperature) {
        String body = "{\"deviceId\":\"" + device + "\",\"ts\":\"" + ts + "\",\"metrics\":{\"temperature\":" + temperature + "}}";
        app.eventHubBatches().process("telemetry", "0",
                List.of(new EventHubBatchProcessor.Event(body, sequence.getAndIncrement(), ts.plusSeconds(1), "0", device)));
    }

    /** What the change feed holds after {@code continuation}, as the trigger would pass it. */
    private ChangeFeedPage<ObjectNode> changesSince(String continuation) {
        return alertFeed.readChanges(continuation, 1000);
    }

    private static List<String> json(ChangeFeedPage<ObjectNode> page) {
        return page.changes().stream().map(ObjectNode::toString).toList();
    }

    @Test
    void eachSubscribedConversationGetsOneMessageAndReplaysSendNothing() throws IOException {
        String start = alertFeed.readChangesFromNow().continuation();
        platforms.clear();
        ingest("kiln-9", Instant.now().minus(2, ChronoUnit.MINUTES), 120);

        ChangeFeedPage<ObjectNode> opened = changesSince(start);
        notifications.deliver(json(opened));

        List<RecordingServer.Request> sent = platforms.requests();
        assertEquals(List.of("/generic", "/slack", "/teams", "/telegram/bot123456:test-bot-token/sendMessage"),
                sent.stream().map(RecordingServer.Request::path).sorted().toList(), "one message per subscribed conversation");
        sent.forEach(request -> assertTrue(request.body().contains("Kiln too hot") && request.body().contains("kiln-9"), request.body()));
        RecordingServer.Request generic = sent.stream().filter(r -> r.path().equals("/generic")).findFirst().orElseThrow();
        String timestamp = generic.headers().get("X-sensorchat-timestamp").get(0);
        assertEquals(GenericChannel.sign(ChatDeliveries.GENERIC_SECRET.getBytes(StandardCharsets.UTF_8), Long.parseLong(timestamp), generic.body()),
                generic.headers().get("X-sensorchat-signature").get(0), "the callback can verify it came from us");
        JsonNode telegram = Json.MAPPER.readTree(sent.stream().filter(r -> r.path().startsWith("/telegram")).findFirst().orElseThrow().body());
        assertEquals(1111111, telegram.get("chat_id").asLong());
        // The opened alert can be acknowledged or resolved from the notification itself.
        JsonNode buttons = telegram.get("reply_markup").get("inline_keyboard").get(0);
        assertTrue(buttons.get(0).get("callback_data").asText().matches("ack al-[0-9a-f]{12}"), buttons::toString);
        assertTrue(buttons.get(1).get("callback_data").asText().startsWith("resolve al-"), buttons::toString);
        JsonNode slack = Json.MAPPER.readTree(sent.stream().filter(r -> r.path().equals("/slack")).findFirst().orElseThrow().body());
        JsonNode actions = slack.get("blocks").get(slack.get("blocks").size() - 1);
        assertEquals("Acknowledge", actions.get("elements").get(0).get("text").get("text").asText());
        JsonNode choices = Json.MAPPER.readTree(generic.body()).get("choices");
        assertEquals("Resolve", choices.get(1).get("label").asText());

        notifications.deliver(json(opened));
        assertEquals(4, platforms.requests().size(), "a replayed change-feed batch sends nothing more");

        platforms.clear();
        ingest("kiln-9", Instant.now().minus(1, ChronoUnit.MINUTES), 80);
        notifications.deliver(json(changesSince(opened.continuation())));
        assertEquals(4, platforms.requests().size());
        platforms.requests().forEach(request -> assertTrue(request.body().contains("Resolved"), request.body()));
        platforms.requests().forEach(request -> assertFalse(request.body().contains("inline_keyboard") || request.body().contains("\"choices\""),
                "nothing to press once it is resolved: " + request.body()));
    }

    @Test
    void offlineAlertsAreAnnouncedAndTheirEndToo() {
        String start = alertFeed.readChangesFromNow().continuation();
        platforms.clear();
        Instant lastSeen = app.devices().find("other-1").orElseThrow().lastSeen();
        // The silent-device check opens it (SilentDevicesFunctionIT); here only what subscribers hear.
        app.alerts().openOffline("other-1", lastSeen, dev.sensorchat.alerts.Severity.WARNING).orElseThrow();
        ChangeFeedPage<ObjectNode> opened = changesSince(start);
        notifications.deliver(json(opened));
        List<RecordingServer.Request> sent = platforms.requests();
        assertEquals(1, sent.size(), "only the conversation subscribed to other-1");
        assertTrue(sent.get(0).body().contains("`other-1` is **offline**") && sent.get(0).body().contains("not seen since"), sent.get(0).body());

        platforms.clear();
        ingest("other-1", Instant.now().minus(1, ChronoUnit.MINUTES), 21);
        notifications.deliver(json(changesSince(opened.continuation())));
        assertEquals(1, platforms.requests().size());
        assertTrue(platforms.requests().get(0).body().contains("back online"), platforms.requests().get(0).body());
    }

    @Test
    void aBurstBecomesOneSummary() {
        String start = alertFeed.readChangesFromNow().continuation();
        Instant base = Instant.now().minus(5, ChronoUnit.MINUTES);
        for (int i = 0; i < 20; i++) {
            ingest("flappy-1", base.plusSeconds(i), i % 2 == 0 ? 60 : 40); // opens and resolves ten alerts
        }
        platforms.clear();

        notifications.deliver(json(changesSince(start)));

        List<RecordingServer.Request> sent = platforms.requests();
        assertEquals(1, sent.size(), "a summary, not twenty messages: " + sent);
        assertTrue(sent.get(0).body().contains("20 alert changes") && sent.get(0).body().contains("10 opened"), sent.get(0).body());
    }

    @Test
    void failedDeliveriesAreRetriedAndNeverSentTwice() {
        createRule("other-cold", "other-1", "<", 21);
        String start = alertFeed.readChangesFromNow().continuation();
        ingest("other-1", Instant.now().minus(20, ChronoUnit.SECONDS), 19); // opens "Too cold"
        platforms.clear();

        // A passing failure: the sender retries with backoff, and the message arrives.
        platforms.failNext(2, 503);
        notifications.deliver(json(changesSince(start)));
        assertEquals(List.of("/generic", "/generic", "/generic"), platforms.requests().stream().map(RecordingServer.Request::path).toList(),
                "two refused attempts, then delivered");

        // A lasting failure: the batch fails, so the host retries it; nothing counts as sent until it is.
        String next = alertFeed.readChangesFromNow().continuation();
        ingest("other-1", Instant.now().minus(10, ChronoUnit.SECONDS), 22); // resolves it
        ChangeFeedPage<ObjectNode> resolved = changesSince(next);
        platforms.failNext(100, 500);
        assertThrows(OutboundSender.DeliveryFailed.class, () -> notifications.deliver(json(resolved)));
        platforms.failNext(0, 500);
        platforms.clear();
        notifications.deliver(json(resolved));
        notifications.deliver(json(resolved));
        assertEquals(1, platforms.requests().size(), "the retried batch delivered it exactly once");
        assertTrue(platforms.requests().get(0).body().contains("Resolved"), platforms.requests().get(0).body());
    }

    private void createRule(String id, String device, String operator, double threshold) {
        try {
            app.rules().create(Json.MAPPER.readTree("""
                    {"id": "%s", "name": "Too cold", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                     "operator": "%s", "threshold": %s, "severity": "warning"}""".formatted(id, device, operator, threshold)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
