package dev.sensorchat.testing;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.chat.channels.GenericChannel;
import dev.sensorchat.chat.channels.SlackChannel;
import dev.sensorchat.chat.channels.TeamsChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Webhook deliveries as each platform sends them, built from the payload fixtures in
 * {@code src/test/resources/chat/} and signed with test secrets: correctly, forged, not at all, or
 * with an expired timestamp.
 */
public final class ChatDeliveries {

    public enum Signing { VALID, FORGED, MISSING, EXPIRED }

    public static final String GENERIC_SECRET = "generic-test-secret-0123456789";
    public static final String TELEGRAM_SECRET = "telegram-test-secret-0123456789";
    public static final byte[] TEAMS_KEY = "teams-test-key-0123456789abcdef!".getBytes(StandardCharsets.UTF_8);
    public static final String SLACK_SECRET = "slack-test-secret-0123456789";
    public static final String TELEGRAM_BOT_TOKEN = "123456:test-bot-token";
    public static final String SLACK_BOT_TOKEN = "xoxb-test-bot-token";
    private static final long EXPIRED_SECONDS = 6 * 60;

    /** A delivery: headers and raw body. */
    public record Delivery(String channel, Map<String, String> headers, String body) {
        public TestHttpRequest asHttpRequest() {
            TestHttpRequest request = TestHttpRequest.post("http://localhost:7071/api/chat/" + channel, body);
            headers.forEach(request::header);
            return request;
        }
    }

    private ChatDeliveries() {
    }

    /** App settings that enable every channel; outbound URLs point at {@code outboundBase} when given. */
    public static Map<String, String> settings(String outboundBase) {
        Map<String, String> settings = new HashMap<>();
        settings.put(AppContext.GENERIC_WEBHOOK_SECRET, GENERIC_SECRET);
        settings.put(AppContext.TELEGRAM_WEBHOOK_SECRET, TELEGRAM_SECRET);
        settings.put(AppContext.TEAMS_SECURITY_TOKEN, Base64.getEncoder().encodeToString(TEAMS_KEY));
        settings.put(AppContext.SLACK_SIGNING_SECRET, SLACK_SECRET);
        if (outboundBase != null) {
            settings.put(AppContext.GENERIC_CALLBACK_URL, outboundBase + "/generic");
            settings.put(AppContext.TELEGRAM_API_BASE_URL, outboundBase + "/telegram");
            settings.put(AppContext.TELEGRAM_BOT_TOKEN, TELEGRAM_BOT_TOKEN);
            settings.put(AppContext.TEAMS_INCOMING_WEBHOOK_URL, outboundBase + "/teams");
            settings.put(AppContext.SLACK_INCOMING_WEBHOOK_URL, outboundBase + "/slack");
        }
        return settings;
    }

    public static Delivery generic(String messageId, String conversationId, String text, Signing signing, Instant now) {
        String body = fixture("generic-message.json").replace("${ID}", messageId).replace("\"ops-room\"", quote(conversationId))
                .replace("${TEXT}", quote(text));
        long timestamp = (signing == Signing.EXPIRED ? now.minusSeconds(EXPIRED_SECONDS) : now).getEpochSecond();
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (signing != Signing.MISSING) {
            headers.put(GenericChannel.TIMESTAMP_HEADER, String.valueOf(timestamp));
            byte[] key = signing == Signing.FORGED ? "not-the-secret".getBytes(StandardCharsets.UTF_8) : GENERIC_SECRET.getBytes(StandardCharsets.UTF_8);
            headers.put(GenericChannel.SIGNATURE_HEADER, GenericChannel.sign(key, timestamp, body));
        }
        return new Delivery("generic", headers, body);
    }

    public static Delivery telegram(long updateId, String text, Signing signing, Instant now) {
        return telegram(updateId, 1111111, text, signing, now);
    }

    /** An update from a private chat with {@code chatId}. */
    public static Delivery telegram(long updateId, long chatId, String text, Signing signing, Instant now) {
        long date = (signing == Signing.EXPIRED ? now.minusSeconds(EXPIRED_SECONDS) : now).getEpochSecond();
        String body = fixture("telegram-update.json").replace("${ID}", String.valueOf(updateId))
                .replace("${DATE}", String.valueOf(date)).replace("${TEXT}", quote(text)).replace("1111111", String.valueOf(chatId));
        return telegram(body, signing);
    }

    /** Any update body, with the secret header (or a forged one, or none). */
    public static Delivery telegram(String body, Signing signing) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (signing != Signing.MISSING) {
            headers.put("X-Telegram-Bot-Api-Secret-Token", signing == Signing.FORGED ? "guessed-secret" : TELEGRAM_SECRET);
        }
        return new Delivery("telegram", headers, body);
    }

    /** The fixture's channel: its threads are {@code TEAMS_CHANNEL;messageid=<root post>}. */
    public static final String TEAMS_CHANNEL = "19:253b1f341670408fb6fe5b32ddd3e1c6@thread.skype";

    public static Delivery teams(String activityId, String text, Signing signing, Instant now) {
        return teams(activityId, TEAMS_CHANNEL + ";messageid=1485983194839", text, signing, now);
    }

    /** An activity in {@code conversationId} (a channel's thread, {@code <channel>;messageid=<root>}). */
    public static Delivery teams(String activityId, String conversationId, String text, Signing signing, Instant now) {
        Instant sent = signing == Signing.EXPIRED ? now.minusSeconds(EXPIRED_SECONDS) : now;
        String escaped = quote(text).substring(1, quote(text).length() - 1);
        String body = fixture("teams-activity.json").replace("${ID}", activityId).replace("${TIMESTAMP}", sent.toString())
                .replace("${TEXT_ESCAPED}", escaped)
                .replace("\"" + TEAMS_CHANNEL + ";messageid=1485983194839\"", quote(conversationId));
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (signing != Signing.MISSING) {
            byte[] key = signing == Signing.FORGED ? "some-other-key".getBytes(StandardCharsets.UTF_8) : TEAMS_KEY;
            headers.put("Authorization", TeamsChannel.sign(key, body));
        }
        return new Delivery("teams", headers, body);
    }

    public static Delivery slack(String triggerId, String text, Signing signing, Instant now) {
        String body = fixture("slack-command.form").replace("${ID}", URLEncoder.encode(triggerId, StandardCharsets.UTF_8))
                .replace("${TEXT}", URLEncoder.encode(text, StandardCharsets.UTF_8));
        long timestamp = (signing == Signing.EXPIRED ? now.minusSeconds(EXPIRED_SECONDS) : now).getEpochSecond();
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
        if (signing != Signing.MISSING) {
            headers.put("X-Slack-Request-Timestamp", String.valueOf(timestamp));
            byte[] key = signing == Signing.FORGED ? "wrong".getBytes(StandardCharsets.UTF_8) : SLACK_SECRET.getBytes(StandardCharsets.UTF_8);
            headers.put("X-Slack-Signature", SlackChannel.sign(key, timestamp, body));
        }
        return new Delivery("slack", headers, body);
    }

    /** An Events API callback ({@code app_mention}, or {@code message} with {@code channel_type}) in a channel. */
    public static Delivery slackEvent(String eventId, String type, String channelType, String channel, String text, Instant now) {
        String body = fixture("slack-event.json").replace("${ID}", eventId).replace("${TYPE}", type)
                .replace("${CHANNEL_TYPE}", channelType).replace("${CHANNEL}", channel).replace("${TEXT}", quote(text))
                .replace("${TIME}", String.valueOf(now.getEpochSecond()));
        return slackSigned(body, "application/json", now);
    }

    /** A button press (interactivity, {@code block_actions}) whose value is {@code command}. */
    public static Delivery slackButton(String triggerId, String channel, String command, String responseUrl, Instant now) {
        String payload = fixture("slack-block-actions.json").replace("${ID}", triggerId).replace("${CHANNEL}", channel)
                .replace("${VALUE}", quote(command)).replace("${RESPONSE_URL}", responseUrl);
        return slackSigned("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8), "application/x-www-form-urlencoded", now);
    }

    /** Any body, signed as Slack signs it now. */
    public static Delivery slackSigned(String body, String contentType, Instant now) {
        long timestamp = now.getEpochSecond();
        return new Delivery("slack", Map.of("Content-Type", contentType, "X-Slack-Request-Timestamp", String.valueOf(timestamp),
                "X-Slack-Signature", SlackChannel.sign(SLACK_SECRET.getBytes(StandardCharsets.UTF_8), timestamp, body)), body);
    }

    /** Any body, validly signed for {@code channel} as that platform signs it now. */
    public static Delivery signed(String channel, String body, String contentType, Instant now) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", contentType));
        switch (channel) {
            case "generic" -> {
                headers.put(GenericChannel.TIMESTAMP_HEADER, String.valueOf(now.getEpochSecond()));
                headers.put(GenericChannel.SIGNATURE_HEADER, GenericChannel.sign(GENERIC_SECRET.getBytes(StandardCharsets.UTF_8), now.getEpochSecond(), body));
            }
            case "telegram" -> headers.put("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET);
            case "teams" -> headers.put("Authorization", TeamsChannel.sign(TEAMS_KEY, body));
            case "slack" -> {
                return slackSigned(body, contentType, now);
            }
            default -> throw new IllegalArgumentException(channel);
        }
        return new Delivery(channel, headers, body);
    }

    private static String quote(String text) {
        return new TextNode(text).toString();
    }

    private static String fixture(String name) {
        try (InputStream in = ChatDeliveries.class.getResourceAsStream("/chat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
