package dev.sensorchat.simulators.chat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Slack slash commands: a form-encoded POST signed with {@code X-Slack-Signature: v0=<hex
 * HMAC-SHA256 of "v0:<timestamp>:<raw body>">} under the app's signing secret, the Unix timestamp
 * in {@code X-Slack-Request-Timestamp}. The reply is JSON mrkdwn.
 */
final class SlackClient implements ChannelClient {

    static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    static final String SIGNATURE_HEADER = "X-Slack-Signature";
    private static final String TEAM_ID = "T0CLI";

    private final byte[] signingSecret;
    private final String channelId;
    private final String user;

    SlackClient(String signingSecret, String channelId, String user) {
        this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.channelId = channelId;
        this.user = user;
    }

    static String sign(byte[] secret, long timestamp, String body) {
        return "v0=" + Hmac.sha256Hex(secret, "v0:" + timestamp + ":" + body);
    }

    @Override
    public Delivery delivery(String text, Instant now) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String hex = UUID.randomUUID().toString().replace("-", "");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "cli0verification0token"); // Slack's deprecated verification token; the signature is what counts
        form.put("team_id", TEAM_ID);
        form.put("team_domain", "sensorchat-cli");
        form.put("channel_id", channelId);
        form.put("channel_name", "cli");
        form.put("user_id", "U" + HexFormat.of().withUpperCase().toHexDigits((int) ChannelClient.numericId(user)));
        form.put("user_name", user);
        form.put("command", "/sensorchat");
        form.put("text", text);
        form.put("api_app_id", "A0CLI");
        form.put("is_enterprise_install", "false");
        form.put("response_url", "https://hooks.slack.com/commands/" + TEAM_ID + "/" + random.nextLong(1L << 40) + "/" + hex.substring(0, 24));
        // Unique per command, like Slack's: the backend keys its retry detection on it.
        form.put("trigger_id", random.nextLong(1L << 40) + "." + random.nextLong(1L << 36) + "." + hex);
        String body = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        long timestamp = now.getEpochSecond();
        return new Delivery("application/x-www-form-urlencoded", body,
                Map.of(TIMESTAMP_HEADER, String.valueOf(timestamp), SIGNATURE_HEADER, sign(signingSecret, timestamp, body)));
    }

    @Override
    public Optional<String> replyText(String responseBody) {
        return Json.textField(responseBody, "text").map(Replies::fromSlack);
    }
}
