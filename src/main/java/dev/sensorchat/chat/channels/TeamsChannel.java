package dev.sensorchat.chat.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Microsoft Teams outgoing webhooks. Teams signs each activity with
 * {@code Authorization: HMAC <base64 HMAC-SHA256 of the raw body>}, keyed with the base64-decoded
 * security token shown when the webhook is created. The reply is a message activity in the
 * response (Teams waits at most 5 seconds); notifications go to an incoming webhook URL, which
 * posts to one channel: subscriptions made in any thread of a channel belong to the channel.
 */
public final class TeamsChannel implements ChannelAdapter {

    private final byte[] key;
    private final String incomingWebhookUrl;

    /**
     * @param securityToken      the outgoing webhook's security token (base64)
     * @param incomingWebhookUrl for notifications; null disables them
     */
    public TeamsChannel(String securityToken, String incomingWebhookUrl) {
        this.key = Base64.getDecoder().decode(securityToken);
        this.incomingWebhookUrl = incomingWebhookUrl;
    }

    @Override
    public String name() {
        return "teams";
    }

    /** {@code HMAC <base64>} for a body: what Teams sends. */
    public static String sign(byte[] key, String body) {
        return "HMAC " + Base64.getEncoder().encodeToString(Signatures.hmacSha256(key, body));
    }

    @Override
    public void verify(InboundRequest request, Instant now) {
        String authorization = request.header("Authorization")
                .orElseThrow(() -> new ChannelException.Unauthorized("missing Authorization"));
        // Teams' HMAC covers the body only, with no timestamp: an old activity, authentically
        // signed, is answered (the activity id keeps a replay from having a second effect).
        if (!Signatures.constantTimeEquals(sign(key, request.body()), authorization)) {
            throw new ChannelException.Unauthorized("HMAC does not match");
        }
    }

    @Override
    public Optional<IncomingMessage> parse(InboundRequest request) {
        JsonNode activity = GenericChannel.readObject(request.body());
        if (!"message".equals(activity.path("type").asText())) {
            return Optional.empty();
        }
        String id = activity.path("id").asText("");
        String conversationId = activity.path("conversation").path("id").asText("");
        if (id.isEmpty() || conversationId.isEmpty()) {
            throw new ChannelException.BadRequest("a message activity needs id and conversation.id");
        }
        // A channel post's replies share the conversation id plus ";messageid=<root post>": the
        // dialogue goes on per thread, but notifications go to the channel, so subscriptions do too.
        int thread = conversationId.indexOf(";messageid=");
        String audience = thread > 0 ? conversationId.substring(0, thread) : conversationId;
        JsonNode from = activity.path("from");
        Instant sent = null;
        if (activity.path("timestamp").isTextual()) {
            try {
                sent = OffsetDateTime.parse(activity.get("timestamp").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new ChannelException.BadRequest("timestamp is not ISO-8601");
            }
        }
        return Optional.of(new IncomingMessage(name(), id, conversationId, from.path("id").asText(""), from.path("name").asText(null),
                plainText(activity.path("text").asText("")), new ReplyAddress(name(), Map.of("conversationId", conversationId)),
                sent == null ? 0 : sent.getEpochSecond(), audience));
    }

    /** Teams sends HTML with an {@code <at>} mention of the bot first; the bot wants the words. */
    static String plainText(String html) {
        return html.replaceAll("(?s)<at>.*?</at>", " ")
                .replaceAll("<[^>]+>", " ")
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
                .replaceAll("\\s+", " ")
                .strip();
    }

    @Override
    public ChannelResponse render(IncomingMessage message, Reply reply) {
        // Outgoing webhooks can show no buttons but openUrl: the reply's text names the commands.
        return ChannelResponse.json(messageActivity(Markup.teams(reply.markdown())));
    }

    /** Teams shows a message activity to the user, where a problem document would be a blank error. */
    @Override
    public Optional<ChannelResponse> refusal(String reason) {
        return Optional.of(new ChannelResponse(401, "application/json; charset=utf-8",
                messageActivity("This message could not be authenticated (" + reason + "), so it was not answered.")));
    }

    private static String messageActivity(String text) {
        ObjectNode activity = Json.MAPPER.createObjectNode().put("type", "message").put("text", text);
        return activity.toString();
    }

    @Override
    public boolean canNotify() {
        return incomingWebhookUrl != null;
    }

    @Override
    public Optional<OutboundMessage> outbound(ReplyAddress address, Reply reply) {
        if (incomingWebhookUrl == null) {
            return Optional.empty();
        }
        return Optional.of(new OutboundMessage(incomingWebhookUrl, "application/json",
                Json.MAPPER.createObjectNode().put("text", Markup.teams(reply.markdown())).toString()));
    }
}
