package dev.sensorchat.simulators.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Microsoft Teams outgoing webhooks: a message activity whose text is HTML starting with an
 * {@code <at>} mention of the bot, signed with {@code Authorization: HMAC <base64 HMAC-SHA256 of the
 * raw body>} under the base64-decoded security token Teams shows when the webhook is created.
 */
final class TeamsClient implements ChannelClient {

    static final String BOT_NAME = "Sensorchat";

    private final byte[] key;
    private final String conversation;
    private final String user;

    /** @param securityToken the outgoing webhook's security token, base64 as Teams shows it */
    TeamsClient(String securityToken, String conversation, String user) {
        try {
            this.key = Base64.getDecoder().decode(securityToken.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Teams security token must be base64, as Teams shows it");
        }
        this.conversation = conversation;
        this.user = user;
    }

    static String sign(byte[] key, String body) {
        return "HMAC " + Base64.getEncoder().encodeToString(Hmac.sha256(key, body));
    }

    @Override
    public Delivery delivery(String text, Instant now) {
        Instant sent = now.truncatedTo(ChronoUnit.MILLIS);
        String html = escapeHtml(text);
        ObjectNode activity = Json.MAPPER.createObjectNode()
                .put("type", "message")
                .put("id", String.valueOf(sent.toEpochMilli()) + UUID.randomUUID().toString().substring(0, 8))
                .put("timestamp", sent.toString())
                .put("localTimestamp", sent.atZone(ZoneId.systemDefault()).toOffsetDateTime().toString())
                .put("serviceUrl", "https://smba.trafficmanager.net/amer/")
                .put("channelId", "msteams");
        activity.putObject("from").put("id", "29:" + user).put("name", user)
                .put("aadObjectId", UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8)).toString());
        activity.putObject("conversation").put("isGroup", true).put("id", conversation).putNull("name");
        activity.put("textFormat", "plain").put("text", "<at>" + BOT_NAME + "</at> " + html);
        activity.putArray("attachments").addObject().put("contentType", "text/html")
                .put("content", "<div><span itemscope=\"\" itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">"
                        + BOT_NAME + "</span> " + html + "</div>");
        ObjectNode channelData = activity.putObject("channelData");
        channelData.putObject("channel").put("id", conversation.replaceAll(";.*", ""));
        String body = activity.toString();
        return new Delivery("application/json", body, Map.of("Authorization", sign(key, body)));
    }

    @Override
    public Optional<String> replyText(String responseBody) {
        return Json.textField(responseBody, "text").map(Replies::fromTeams);
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
