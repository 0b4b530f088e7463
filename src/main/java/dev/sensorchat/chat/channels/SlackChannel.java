package dev.sensorchat.chat.channels;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Slack slash commands. Slack signs each request: {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of
 * "v0:<timestamp>:<raw body>">} under the app's signing secret, with the timestamp in
 * {@code X-Slack-Request-Timestamp}; requests older than 5 minutes are refused. The reply is JSON
 * in the response; notifications go to an incoming webhook URL.
 */
public final class SlackChannel implements ChannelAdapter {

    static final String SIGNATURE_HEADER = "X-Slack-Signature";
    static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final byte[] signingSecret;
    private final String incomingWebhookUrl;

    /** @param incomingWebhookUrl for notifications; null disables them */
    public SlackChannel(String signingSecret, String incomingWebhookUrl) {
        this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.incomingWebhookUrl = incomingWebhookUrl;
    }

    @Override
    public String name() {
        return "slack";
    }

    public static String sign(byte[] secret, long timestamp, String body) {
        return "v0=" + HexFormat.of().formatHex(Signatures.hmacSha256(secret, "v0:" + timestamp + ":" + body));
    }

    @Override
    public void verify(InboundRequest request, Instant now) {
        Signatures.verifyTimestamped(request, TIMESTAMP_HEADER, SIGNATURE_HEADER, now, MAX_AGE, timestamp -> sign(signingSecret, timestamp, request.body()));
    }

    @Override
    public Optional<IncomingMessage> parse(InboundRequest request) {
        Map<String, String> form = form(request.body());
        String triggerId = form.get("trigger_id");
        String channelId = form.get("channel_id");
        if (triggerId == null || channelId == null || !form.containsKey("text")) {
            throw new ChannelException.BadRequest("a slash command needs trigger_id, channel_id and text");
        }
        String conversation = form.getOrDefault("team_id", "") + ":" + channelId;
        Map<String, String> address = new HashMap<>(Map.of("channelId", channelId));
        if (form.get("response_url") != null) {
            address.put("responseUrl", form.get("response_url"));
        }
        long sent = request.header(TIMESTAMP_HEADER).map(Long::parseLong).orElse(0L);
        return Optional.of(new IncomingMessage(name(), triggerId, conversation, form.getOrDefault("user_id", ""),
                form.get("user_name"), form.get("text"), new ReplyAddress(name(), address), sent));
    }

    @Override
    public ChannelResponse render(IncomingMessage message, String markdown) {
        ObjectNode reply = Json.MAPPER.createObjectNode().put("response_type", "in_channel").put("text", Markup.slack(markdown))
                .put("mrkdwn", true);
        return ChannelResponse.json(reply.toString());
    }

    @Override
    public boolean canNotify() {
        return incomingWebhookUrl != null;
    }

    @Override
    public Optional<OutboundMessage> outbound(ReplyAddress address, String markdown) {
        if (incomingWebhookUrl == null) {
            return Optional.empty();
        }
        return Optional.of(new OutboundMessage(incomingWebhookUrl, "application/json",
                Json.MAPPER.createObjectNode().put("text", Markup.slack(markdown)).put("mrkdwn", true).toString()));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                form.put(key, value);
            } catch (IllegalArgumentException e) {
                throw new ChannelException.BadRequest("the body is not a valid form");
            }
        }
        return form;
    }
}
