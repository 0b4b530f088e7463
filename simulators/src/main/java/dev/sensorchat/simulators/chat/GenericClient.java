package dev.sensorchat.simulators.chat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The generic JSON channel: {@code {"messageId", "conversationId", "userId", "text"}}, with
 * {@code X-Sensorchat-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">} and the Unix
 * timestamp in {@code X-Sensorchat-Timestamp}. Notifications to the callback URL are signed the same way.
 */
final class GenericClient implements ChannelClient {

    static final String TIMESTAMP_HEADER = "X-Sensorchat-Timestamp";
    static final String SIGNATURE_HEADER = "X-Sensorchat-Signature";

    private final byte[] secret;
    private final String conversation;
    private final String user;

    GenericClient(String secret, String conversation, String user) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.conversation = conversation;
        this.user = user;
    }

    static String sign(byte[] secret, long timestamp, String body) {
        return "v1=" + Hmac.sha256Hex(secret, timestamp + "." + body);
    }

    @Override
    public Delivery delivery(String text, Instant now) {
        String body = Json.MAPPER.createObjectNode()
                .put("messageId", "cli-" + UUID.randomUUID())
                .put("conversationId", conversation)
                .put("userId", user)
                .put("text", text)
                .toString();
        long timestamp = now.getEpochSecond();
        return new Delivery("application/json", body,
                Map.of(TIMESTAMP_HEADER, String.valueOf(timestamp), SIGNATURE_HEADER, sign(secret, timestamp, body)));
    }

    @Override
    public Optional<String> replyText(String responseBody) {
        return Json.textField(responseBody, "text"); // Markdown, which reads fine as it is
    }
}
