package dev.sensorchat.chat.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The plain JSON channel, for your own apps and scripts.
 *
 * <p>Request: {@code {"messageId", "conversationId", "userId", "text"}} with headers
 * {@code X-Sensorchat-Timestamp} (Unix seconds) and
 * {@code X-Sensorchat-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" under the shared secret>}.
 * Signing the timestamp with the body means a captured request cannot be replayed later with a
 * fresh timestamp. Reply: {@code {"conversationId", "inReplyTo", "text", "format": "markdown"}}, with
 * {@code "choices": [{"label", "command"}]} when the bot offers buttons.
 * Notifications are POSTed, signed the same way, to the configured callback URL.
 */
public final class GenericChannel implements ChannelAdapter {

    public static final String TIMESTAMP_HEADER = "X-Sensorchat-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Sensorchat-Signature";
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final int MAX_TEXT = 4_000;

    private final byte[] secret;
    private final String callbackUrl;

    /** @param callbackUrl where notifications go; null disables them */
    public GenericChannel(String secret, String callbackUrl) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.callbackUrl = callbackUrl;
    }

    @Override
    public String name() {
        return "generic";
    }

    /** {@code v1=<hex>} for a body sent at {@code timestamp}; what clients put in the signature header. */
    public static String sign(byte[] secret, long timestamp, String body) {
        return "v1=" + HexFormat.of().formatHex(Signatures.hmacSha256(secret, timestamp + "." + body));
    }

    @Override
    public void verify(InboundRequest request, Instant now) {
        Signatures.verifyTimestamped(request, TIMESTAMP_HEADER, SIGNATURE_HEADER, now, MAX_SKEW, timestamp -> sign(secret, timestamp, request.body()));
    }

    @Override
    public Optional<IncomingMessage> parse(InboundRequest request) {
        JsonNode body = readObject(request.body());
        String messageId = id(body, "messageId");
        String conversationId = id(body, "conversationId");
        String userId = id(body, "userId");
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual() || text.asText().length() > MAX_TEXT) {
            throw new ChannelException.BadRequest("text must be a string of at most " + MAX_TEXT + " characters");
        }
        long sentAt = request.header(TIMESTAMP_HEADER).map(Long::parseLong).orElse(0L);
        return Optional.of(new IncomingMessage(name(), messageId, conversationId, userId, null, text.asText(),
                new ReplyAddress(name(), Map.of("conversationId", conversationId)), sentAt));
    }

    @Override
    public ChannelResponse render(IncomingMessage message, Reply reply) {
        return replyJson(message, reply);
    }

    /** The reply as this channel's JSON; the web channel answers the same way. */
    static ChannelResponse replyJson(IncomingMessage message, Reply reply) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("conversationId", message.conversationId())
                .put("inReplyTo", message.messageId())
                .put("text", reply.markdown())
                .put("format", "markdown");
        withChoices(body, reply);
        return ChannelResponse.json(body.toString());
    }

    /** Choices as {@code "choices": [{"label", "command"}]}: a client shows buttons that send the command as text. */
    private static void withChoices(ObjectNode body, Reply reply) {
        if (!reply.choices().isEmpty()) {
            var choices = body.putArray("choices");
            reply.choices().forEach(choice -> choices.addObject().put("label", choice.label()).put("command", choice.command()));
        }
    }

    @Override
    public boolean canNotify() {
        return callbackUrl != null;
    }

    @Override
    public Optional<OutboundMessage> outbound(ReplyAddress address, Reply reply) {
        if (callbackUrl == null) {
            return Optional.empty();
        }
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("conversationId", address.field("conversationId"))
                .put("text", reply.markdown())
                .put("format", "markdown");
        withChoices(body, reply);
        // Signed like requests, so the receiver can check the notification came from us.
        long timestamp = Instant.now().getEpochSecond();
        String json = body.toString();
        return Optional.of(new OutboundMessage(callbackUrl, "application/json", json,
                Map.of(TIMESTAMP_HEADER, String.valueOf(timestamp), SIGNATURE_HEADER, sign(secret, timestamp, json))));
    }

    private static String id(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || !ID.matcher(node.asText()).matches()) {
            throw new ChannelException.BadRequest(field + " must be 1-128 letters, digits or ._:@-");
        }
        return node.asText();
    }

    static JsonNode readObject(String body) {
        return readObject(body, "the body");
    }

    /** {@code json} as a JSON object, or a 400 that names it as {@code what} ("the body", "payload"). */
    static JsonNode readObject(String json, String what) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new ChannelException.BadRequest(what + " must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ChannelException.BadRequest(what + " is not valid JSON: " + Json.problemOf(e));
        }
    }
}
