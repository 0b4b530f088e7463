package dev.sensorchat.simulators.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelClientsTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30.123Z");

    @Test
    void genericMessageIsSignedOverTimestampAndBody() throws Exception {
        ChannelClient client = ChannelClient.of(Channel.GENERIC, "s3cret", "ops", "ana");
        Delivery delivery = client.delivery("status boiler-1", NOW);

        JsonNode body = Json.MAPPER.readTree(delivery.body());
        assertEquals("ops", body.get("conversationId").asText());
        assertEquals("ana", body.get("userId").asText());
        assertEquals("status boiler-1", body.get("text").asText());
        assertEquals(String.valueOf(NOW.getEpochSecond()), delivery.headers().get("X-Sensorchat-Timestamp"));
        assertEquals(GenericClient.sign("s3cret".getBytes(StandardCharsets.UTF_8), NOW.getEpochSecond(), delivery.body()),
                delivery.headers().get("X-Sensorchat-Signature"));
        assertEquals("application/json", delivery.contentType());
    }

    @Test
    void everyMessageGetsAnIdNeverUsedBefore() throws Exception {
        for (Channel channel : Channel.values()) {
            ChannelClient client = ChannelClient.of(channel, channel == Channel.TEAMS ? "a2V5" : "s", null, "ana");
            assertNotEquals(messageId(channel, client.delivery("help", NOW)), messageId(channel, client.delivery("help", NOW)), channel.label());
        }
    }

    @Test
    void telegramUpdateCarriesTheSecretTokenAndAPrivateChat() throws Exception {
        Delivery delivery = ChannelClient.of(Channel.TELEGRAM, "tg-secret", null, "ana").delivery("devices", NOW);

        assertEquals(Map.of("X-Telegram-Bot-Api-Secret-Token", "tg-secret"), delivery.headers());
        JsonNode update = Json.MAPPER.readTree(delivery.body());
        assertTrue(update.get("update_id").isIntegralNumber());
        JsonNode message = update.get("message");
        assertEquals(NOW.getEpochSecond(), message.get("date").asLong());
        assertEquals("devices", message.get("text").asText());
        assertEquals(message.get("from").get("id").asLong(), message.get("chat").get("id").asLong());
        assertEquals("private", message.get("chat").get("type").asText());

        JsonNode group = Json.MAPPER.readTree(ChannelClient.of(Channel.TELEGRAM, "s", "-100123", "ana").delivery("x", NOW).body());
        assertEquals(-100123, group.get("message").get("chat").get("id").asLong());
        assertEquals("group", group.get("message").get("chat").get("type").asText());
        assertThrows(IllegalArgumentException.class, () -> ChannelClient.of(Channel.TELEGRAM, "s", "ops-room", "ana"));
    }

    @Test
    void teamsActivityMentionsTheBotEscapesHtmlAndIsSignedWithTheDecodedToken() throws Exception {
        byte[] key = "teams-key".getBytes(StandardCharsets.UTF_8);
        String token = Base64.getEncoder().encodeToString(key);
        Delivery delivery = ChannelClient.of(Channel.TEAMS, token, "19:abc@thread.skype", "ana").delivery("alert me when t > 30 & <b>", NOW);

        JsonNode activity = Json.MAPPER.readTree(delivery.body());
        assertEquals("message", activity.get("type").asText());
        assertEquals("19:abc@thread.skype", activity.get("conversation").get("id").asText());
        assertEquals("<at>Sensorchat</at> alert me when t &gt; 30 &amp; &lt;b&gt;", activity.get("text").asText());
        assertEquals(NOW, Instant.parse(activity.get("timestamp").asText()));
        assertEquals(TeamsClient.sign(key, delivery.body()), delivery.headers().get("Authorization"));
        assertThrows(IllegalArgumentException.class, () -> ChannelClient.of(Channel.TEAMS, "not base64!", null, "ana"));
    }

    @Test
    void slackCommandIsAFormSignedWithTimestamp() {
        Delivery delivery = ChannelClient.of(Channel.SLACK, "signing", "C123", "ana").delivery("temperature of boiler-1 & more", NOW);

        Map<String, String> form = form(delivery.body());
        assertEquals("application/x-www-form-urlencoded", delivery.contentType());
        assertEquals("temperature of boiler-1 & more", form.get("text"));
        assertEquals("C123", form.get("channel_id"));
        assertEquals("ana", form.get("user_name"));
        assertEquals("/sensorchat", form.get("command"));
        assertTrue(form.get("trigger_id").matches("\\d+\\.\\d+\\.[0-9a-f]{32}"), form.get("trigger_id"));
        assertEquals(String.valueOf(NOW.getEpochSecond()), delivery.headers().get("X-Slack-Request-Timestamp"));
        assertEquals(SlackClient.sign("signing".getBytes(StandardCharsets.UTF_8), NOW.getEpochSecond(), delivery.body()),
                delivery.headers().get("X-Slack-Signature"));
    }

    @Test
    void repliesAreReadInEachPlatformsShape() {
        assertEquals(Optional.of("**3 devices**\n• `boiler-1` online"), ChannelClient.of(Channel.GENERIC, "s", null, "u")
                .replyText("{\"conversationId\":\"cli\",\"inReplyTo\":\"m\",\"text\":\"**3 devices**\\n• `boiler-1` online\",\"format\":\"markdown\"}"));
        assertEquals(Optional.of("3 devices\n• boiler-1 online & t < 30"), ChannelClient.of(Channel.TELEGRAM, "s", null, "u")
                .replyText("{\"chat_id\":1,\"text\":\"<b>3 devices</b>\\n• <code>boiler-1</code> online &amp; t &lt; 30\","
                        + "\"parse_mode\":\"HTML\",\"method\":\"sendMessage\"}"));
        assertEquals(Optional.of("**3 devices**\n• `boiler-1`"), ChannelClient.of(Channel.TEAMS, "a2V5", null, "u")
                .replyText("{\"type\":\"message\",\"text\":\"**3 devices**\\n\\n• `boiler-1`\"}"));
        assertEquals(Optional.of("*3 devices* t < 30 & t > 10"), ChannelClient.of(Channel.SLACK, "s", null, "u")
                .replyText("{\"response_type\":\"in_channel\",\"text\":\"*3 devices* t &lt; 30 &amp; t &gt; 10\",\"mrkdwn\":true}"));
        assertEquals(Optional.empty(), ChannelClient.of(Channel.TELEGRAM, "s", null, "u").replyText("{}"));
        assertEquals(Optional.empty(), ChannelClient.of(Channel.GENERIC, "s", null, "u").replyText(""));
    }

    private static String messageId(Channel channel, Delivery delivery) throws Exception {
        return switch (channel) {
            case GENERIC -> Json.MAPPER.readTree(delivery.body()).get("messageId").asText();
            case TELEGRAM -> Json.MAPPER.readTree(delivery.body()).get("update_id").asText();
            case TEAMS -> Json.MAPPER.readTree(delivery.body()).get("id").asText();
            case SLACK -> form(delivery.body()).get("trigger_id");
        };
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] parts = pair.split("=", 2);
            form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return form;
    }
}
