package dev.sensorchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.functions.ChatWebhook;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Delivery;
import dev.sensorchat.testing.ChatDeliveries.Signing;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.RecordingServer;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The platforms as they really send, beyond the documented first example: Slack's Events API and
 * buttons, Telegram's button presses, channel posts and captions, Teams threads. Through the
 * webhook function and the real local Cosmos DB server. Slack's and Telegram's Web APIs cannot be
 * reached from here, so a local {@link RecordingServer} stands in for them and records what the
 * app sends.
 */
@ExtendWith(LocalAzureExtension.class)
class PlatformTrafficIT {

    private static final Pattern RULE_ID = Pattern.compile("r-[0-9a-f]{8}");
    private static final String BOT_TOKEN = ChatDeliveries.SLACK_BOT_TOKEN;

    private static RecordingServer platforms;
    private static AppContext app;
    private static ChatWebhook webhook;

    @BeforeAll
    static void open(LocalAzure azure) {
        platforms = new RecordingServer();
        Map<String, String> settings = new HashMap<>(ChatDeliveries.settings(platforms.baseUrl()));
        settings.put(AppContext.SLACK_BOT_TOKEN, BOT_TOKEN);
        settings.put(AppContext.SLACK_API_BASE_URL, platforms.baseUrl() + "/slack-api");
        app = azure.newAppContext(settings);
        webhook = new ChatWebhook(app);
        String reading = "{\"deviceId\":\"kiln-1\",\"ts\":\"" + Instant.now().minusSeconds(60) + "\",\"metrics\":{\"temperature\":40}}";
        app.eventHubBatches().process("telemetry", "0",
                List.of(new EventHubBatchProcessor.Event(reading, 1, Instant.now(), "0", "kiln-1")));
        app.telemetryStreams().flushIdle();
    }

    @AfterAll
    static void close() {
        app.close();
        platforms.close();
    }

    @BeforeEach
    void clearRecords() {
        platforms.clear();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static String channel() {
        return "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    }

    // ---- Slack -------------------------------------------------------------------------------

    @Test
    void slackChecksTheUrlWithAChallengeAndTheCertificateWithSslCheck() throws IOException {
        Delivery challenge = ChatDeliveries.slackSigned("{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":"
                + "\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}", "application/json", Instant.now());
        HttpResponseMessage answer = webhook.deliver(challenge);
        assertEquals(200, answer.getStatusCode(), () -> String.valueOf(answer.getBody()));
        assertEquals("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                Json.MAPPER.readTree((String) answer.getBody()).get("challenge").asText());

        Delivery sslCheck = new Delivery("slack", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO");
        assertEquals(200, webhook.deliver(sslCheck).getStatusCode());
        assertTrue(platforms.requests().isEmpty(), "nothing answered, nothing posted");

        Delivery forgedChallenge = new Delivery("slack", Map.of("X-Slack-Request-Timestamp", String.valueOf(Instant.now().getEpochSecond()),
                "X-Slack-Signature", "v0=00"), challenge.body());
        assertEquals(401, webhook.deliver(forgedChallenge).getStatusCode(), "the challenge is signed like everything else");
    }

    @Test
    void aMentionIsAnsweredWithChatPostMessageAndItsRetriesHaveNoSecondEffect() throws IOException {
        String eventId = "Ev" + id();
        String room = channel();
        Delivery mention = ChatDeliveries.slackEvent(eventId, "app_mention", "channel", room, "<@U0BOT0001> help", Instant.now());

        HttpResponseMessage answer = webhook.deliver(mention);

        assertEquals(200, answer.getStatusCode(), () -> String.valueOf(answer.getBody()));
        List<RecordingServer.Request> posts = posts();
        assertEquals(1, posts.size(), "one reply posted");
        assertEquals(List.of("Bearer " + BOT_TOKEN), posts.get(0).headers().get("Authorization"));
        JsonNode post = Json.MAPPER.readTree(posts.get(0).body());
        assertEquals(room, post.get("channel").asText());
        assertTrue(post.get("text").asText().contains("devices"), "the mention was stripped and help answered: " + post);

        // Slack retries when the answer took longer than 3 seconds: the same event, X-Slack-Retry-Num set.
        Map<String, String> retryHeaders = new HashMap<>(mention.headers());
        retryHeaders.put("X-Slack-Retry-Num", "1");
        retryHeaders.put("X-Slack-Retry-Reason", "http_timeout");
        HttpResponseMessage retry = webhook.deliver(new Delivery("slack", retryHeaders, mention.body()));
        assertEquals(200, retry.getStatusCode());
        assertEquals(1, posts().size(), "the retry posted nothing again");
    }

    @Test
    void directMessagesAreAnsweredButTheBotsOwnMessagesEditsAndChannelChatterAreNot() {
        String dm = "D" + channel().substring(1);
        assertEquals(200, webhook.deliver(ChatDeliveries.slackEvent("Ev" + id(), "message", "im", dm, "status kiln-1", Instant.now()))
                .getStatusCode());
        assertEquals(1, posts().size());
        assertTrue(posts().get(0).body().contains("kiln-1"), posts().get(0).body());
        platforms.clear();

        String ownMessage = ChatDeliveries.slackEvent("Ev" + id(), "message", "im", dm, "Status of kiln-1", Instant.now()).body()
                .replace("\"user\": \"U2147483697\",", "\"user\": \"U0BOT0001\", \"bot_id\": \"B0001\",");
        String edit = ChatDeliveries.slackEvent("Ev" + id(), "message", "im", dm, "status kiln-1", Instant.now()).body()
                .replace("\"channel_type\"", "\"subtype\": \"message_changed\", \"channel_type\"");
        String chatter = ChatDeliveries.slackEvent("Ev" + id(), "message", "channel", channel(), "status kiln-1", Instant.now()).body();
        for (String body : List.of(ownMessage, edit, chatter)) {
            HttpResponseMessage answer = webhook.deliver(ChatDeliveries.slackSigned(body, "application/json", Instant.now()));
            assertEquals(200, answer.getStatusCode());
        }
        assertTrue(posts().isEmpty(), "the bot never answers itself, an edit, or a channel message that does not mention it");
    }

    @Test
    void buttonsConfirmARuleAndAFailedPostIsSentOnTheRetryWithoutASecondTurn() throws IOException {
        String room = channel();
        webhook.deliver(ChatDeliveries.slackEvent("Ev" + id(), "app_mention", "channel", room,
                "<@U0BOT0001> alert me when temperature > 95 on kiln-1", Instant.now()));
        JsonNode proposal = Json.MAPPER.readTree(posts().get(0).body());
        String ruleId = first(RULE_ID, proposal.get("text").asText());
        JsonNode buttons = proposal.get("blocks").get(proposal.get("blocks").size() - 1);
        assertEquals("actions", buttons.get("type").asText());
        assertEquals("yes", buttons.get("elements").get(0).get("value").asText());
        assertEquals("No", buttons.get("elements").get(1).get("text").get("text").asText());

        // The press of "Yes" is answered through its response_url; that URL is down for every attempt.
        String responseUrl = platforms.baseUrl() + "/slack-response/" + id();
        Delivery press = ChatDeliveries.slackButton(id(), room, "yes", responseUrl, Instant.now());
        platforms.failNext(4, 503);
        HttpResponseMessage failed = webhook.deliver(press);
        assertEquals(503, failed.getStatusCode(), "Slack is told to retry, honestly");
        assertEquals("30", failed.getHeader("Retry-After"));
        assertTrue(app.rules().find(ruleId).isPresent(), "the confirmation itself was done once");

        platforms.clear();
        HttpResponseMessage retried = webhook.deliver(press);
        assertEquals(200, retried.getStatusCode());
        List<RecordingServer.Request> sent = platforms.requests();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).path().startsWith("/slack-response/"));
        JsonNode reply = Json.MAPPER.readTree(sent.get(0).body());
        assertTrue(reply.get("text").asText().contains("Saved rule `" + ruleId + "`"), reply::toString);
        assertFalse(reply.get("replace_original").asBoolean());

        platforms.clear();
        assertEquals(200, webhook.deliver(press).getStatusCode());
        assertTrue(platforms.requests().isEmpty(), "sent once; a third delivery sends nothing");
    }

    private static List<RecordingServer.Request> posts() {
        return platforms.requests().stream().filter(request -> request.path().equals("/slack-api/chat.postMessage")).toList();
    }

    // ---- Telegram ----------------------------------------------------------------------------

    @Test
    void telegramInlineButtonsConfirmARuleAndStopTheSpinner() throws IOException {
        long chat = 1 + Math.floorMod(id().hashCode(), 1_000_000_000L);
        HttpResponseMessage proposal = webhook.deliver(ChatDeliveries.telegram(chat, chat, "alert me when temperature > 96 on kiln-1",
                Signing.VALID, Instant.now()));
        JsonNode call = Json.MAPPER.readTree((String) proposal.getBody());
        String ruleId = first(RULE_ID, call.get("text").asText());
        JsonNode keyboard = call.get("reply_markup").get("inline_keyboard").get(0);
        assertEquals("Yes", keyboard.get(0).get("text").asText());
        assertEquals("yes", keyboard.get(0).get("callback_data").asText());

        String press = "{\"update_id\": " + (chat + 1) + ", \"callback_query\": {\"id\": \"4382bfdwdsb323b2d9\","
                + " \"from\": {\"id\": " + chat + ", \"is_bot\": false, \"first_name\": \"Ana\"}, \"chat_instance\": \"-1\","
                + " \"message\": {\"message_id\": 7, \"date\": 1, \"chat\": {\"id\": " + chat + ", \"type\": \"private\"},"
                + " \"text\": \"I'll create rule\"}, \"data\": \"yes\"}}";
        HttpResponseMessage confirmed = webhook.deliver(ChatDeliveries.telegram(press, Signing.VALID));
        JsonNode answer = Json.MAPPER.readTree((String) confirmed.getBody());
        assertEquals("sendMessage", answer.get("method").asText());
        assertTrue(answer.get("text").asText().contains("Saved rule <code>" + ruleId + "</code>"), answer::toString);
        assertTrue(app.rules().find(ruleId).isPresent());
        List<RecordingServer.Request> calls = platforms.requests();
        assertEquals(1, calls.size());
        assertTrue(calls.get(0).path().endsWith("/answerCallbackQuery"), calls.get(0).path());
        assertEquals("4382bfdwdsb323b2d9", Json.MAPPER.readTree(calls.get(0).body()).get("callback_query_id").asText());
    }

    @Test
    void telegramChannelPostsAndCaptionsAreAnswered() throws IOException {
        long channelChat = -1_000_000_000_000L - Math.floorMod(id().hashCode(), 1_000_000L);
        String post = "{\"update_id\": " + Math.abs(channelChat % 1_000_000_000) + ", \"channel_post\": {\"message_id\": 3,"
                + " \"sender_chat\": {\"id\": " + channelChat + ", \"title\": \"Plant ops\", \"type\": \"channel\"},"
                + " \"chat\": {\"id\": " + channelChat + ", \"title\": \"Plant ops\", \"type\": \"channel\"},"
                + " \"date\": " + Instant.now().getEpochSecond() + ", \"text\": \"status kiln-1\"}}";
        JsonNode answer = Json.MAPPER.readTree((String) webhook.deliver(ChatDeliveries.telegram(post, Signing.VALID)).getBody());
        assertEquals(channelChat, answer.get("chat_id").asLong());
        assertTrue(answer.get("text").asText().contains("kiln-1"), answer::toString);

        long chat = 1 + Math.floorMod(id().hashCode(), 1_000_000_000L);
        String photo = "{\"update_id\": " + chat + ", \"message\": {\"message_id\": 4, \"from\": {\"id\": " + chat + ", \"first_name\": \"Ana\"},"
                + " \"chat\": {\"id\": " + chat + ", \"type\": \"private\"}, \"date\": " + Instant.now().getEpochSecond() + ","
                + " \"photo\": [{\"file_id\": \"AgAD\", \"file_unique_id\": \"AQAD\", \"width\": 90, \"height\": 51}],"
                + " \"caption\": \"status kiln-1\"}}";
        JsonNode captioned = Json.MAPPER.readTree((String) webhook.deliver(ChatDeliveries.telegram(photo, Signing.VALID)).getBody());
        assertTrue(captioned.get("text").asText().contains("kiln-1"), captioned::toString);
    }

    // ---- Teams -------------------------------------------------------------------------------

    @Test
    void aTeamsSubscriptionBelongsToTheChannelNotTheThreadItWasMadeIn() {
        String channel = "19:" + id().replace("-", "") + "@thread.tacv2";
        String subscribed = teams(channel + ";messageid=1001", "subscribe kiln-1");
        assertTrue(subscribed.contains("Subscribed"), subscribed);

        String listed = teams(channel + ";messageid=2002", "subscriptions");
        assertTrue(listed.contains("alerts on `kiln-1`"), "another thread of the channel sees it: " + listed);

        String cancelled = teams(channel + ";messageid=3003", "unsubscribe kiln-1");
        assertTrue(cancelled.contains("Unsubscribed from alerts on `kiln-1`"), cancelled);
        assertTrue(teams(channel + ";messageid=1001", "subscriptions").contains("No subscriptions"));
    }

    @Test
    void aTeamsFollowUpStaysInItsThread() {
        String channel = "19:" + id().replace("-", "") + "@thread.tacv2";
        teams(channel + ";messageid=1001", "temperature of kiln-1 last hour");
        String followUp = teams(channel + ";messageid=1001", "what about kiln-1?");
        assertTrue(followUp.contains("**temperature** of `kiln-1`"), followUp);
        String otherThread = teams(channel + ";messageid=2002", "and humidity?");
        assertTrue(otherThread.contains("Which device?"), "a new thread starts afresh: " + otherThread);
    }

    private static String teams(String conversation, String text) {
        HttpResponseMessage response = webhook.deliver(ChatDeliveries.teams(id(), conversation, text, Signing.VALID, Instant.now()));
        assertEquals(200, response.getStatusCode(), () -> String.valueOf(response.getBody()));
        try {
            return Json.MAPPER.readTree((String) response.getBody()).get("text").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertTrue(matcher.find(), () -> pattern + " in: " + text);
        return matcher.group();
    }
}
