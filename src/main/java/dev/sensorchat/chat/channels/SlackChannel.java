package dev.sensorchat.chat.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Slack, as an app in a workspace talks: slash commands, the Events API ({@code app_mention} and
 * direct messages) and interactivity (button presses), all at one request URL.
 *
 * <p>Slack signs each request: {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of
 * "v0:<timestamp>:<raw body>">} under the app's signing secret, with the timestamp in
 * {@code X-Slack-Request-Timestamp}; requests older than 5 minutes are refused. A slash command's
 * reply is the HTTP response. An event's or a button's is not shown: the reply is posted with
 * {@code chat.postMessage} under the bot token (events) or to the press's {@code response_url}
 * (buttons), as a follow-up. Slack retries an event it had no 200 for within 3 seconds, with
 * {@code X-Slack-Retry-Num}; the event id makes the retry a no-op. Notifications go to the
 * conversation with {@code chat.postMessage} when the bot token is set, else to the incoming webhook.
 */
public final class SlackChannel implements ChannelAdapter {

    static final String SIGNATURE_HEADER = "X-Slack-Signature";
    static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Pattern MENTION = Pattern.compile("<@[A-Z0-9]+(\\|[^>]*)?>");
    /** Slack's limit on a section block's text. */
    static final int MAX_SECTION = 3_000;
    /** Where a delivery came from, in its reply address: how to answer it. */
    private static final String VIA = "via";

    private final byte[] signingSecret;
    private final String incomingWebhookUrl;
    private final String apiBaseUrl;
    private final String botToken;

    /**
     * @param incomingWebhookUrl for notifications without a bot token; null disables it
     * @param apiBaseUrl         Slack's Web API, {@code https://slack.com/api}
     * @param botToken           {@code xoxb-…}, for answering events and notifying conversations; null disables both
     */
    public SlackChannel(String signingSecret, String incomingWebhookUrl, String apiBaseUrl, String botToken) {
        this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.incomingWebhookUrl = incomingWebhookUrl;
        this.apiBaseUrl = apiBaseUrl.replaceAll("/+$", "");
        this.botToken = botToken;
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
        if (isSslCheck(request.body())) {
            return; // Slack's certificate check: it does nothing here, signed or not
        }
        Signatures.verifyTimestamped(request, TIMESTAMP_HEADER, SIGNATURE_HEADER, now, MAX_AGE, timestamp -> sign(signingSecret, timestamp, request.body()));
    }

    @Override
    public Optional<ChannelResponse> handshake(InboundRequest request) {
        if (isSslCheck(request.body())) {
            return Optional.of(new ChannelResponse(200, "text/plain; charset=utf-8", ""));
        }
        if (isJson(request.body())) {
            JsonNode body = GenericChannel.readObject(request.body());
            if ("url_verification".equals(body.path("type").asText())) {
                // Slack checks a new Events API URL by asking for its challenge back.
                return Optional.of(ChannelResponse.json(Json.MAPPER.createObjectNode()
                        .put("challenge", body.path("challenge").asText("")).toString()));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<IncomingMessage> parse(InboundRequest request) {
        if (isJson(request.body())) {
            return event(GenericChannel.readObject(request.body()));
        }
        Map<String, String> form = form(request.body());
        if (form.containsKey("payload")) {
            return interaction(GenericChannel.readObject(form.get("payload"), "payload"));
        }
        return command(form, request);
    }

    private Optional<IncomingMessage> command(Map<String, String> form, InboundRequest request) {
        String triggerId = form.get("trigger_id");
        String channelId = form.get("channel_id");
        if (triggerId == null || channelId == null || !form.containsKey("text")) {
            throw new ChannelException.BadRequest("a slash command needs trigger_id, channel_id and text");
        }
        Map<String, String> address = new HashMap<>(Map.of("channelId", channelId, VIA, "command"));
        long sent = request.header(TIMESTAMP_HEADER).map(Long::parseLong).orElse(0L);
        return Optional.of(new IncomingMessage(name(), triggerId, conversation(form.get("team_id"), channelId), form.getOrDefault("user_id", ""),
                form.get("user_name"), form.get("text"), new ReplyAddress(name(), address), sent));
    }

    /**
     * An Events API callback. Answered: a mention of the bot, and a direct message to it. Not
     * answered: the bot's own messages (they would answer themselves), edits and deletions
     * (message subtypes), and every other event type.
     */
    private Optional<IncomingMessage> event(JsonNode body) {
        if (!"event_callback".equals(body.path("type").asText())) {
            return Optional.empty();
        }
        JsonNode event = body.path("event");
        String eventId = body.path("event_id").asText("");
        if (eventId.isEmpty() || !event.isObject()) {
            throw new ChannelException.BadRequest("an event_callback needs event_id and event");
        }
        String type = event.path("type").asText();
        boolean mention = "app_mention".equals(type);
        boolean directMessage = "message".equals(type) && "im".equals(event.path("channel_type").asText());
        if (!mention && !directMessage || event.hasNonNull("bot_id") || event.hasNonNull("subtype") || !event.path("text").isTextual()) {
            return Optional.empty();
        }
        if (botToken == null) {
            throw new ChannelException.NotConfigured("answering Slack events needs the bot token (SLACK_BOT_TOKEN): "
                    + "the reply to an event is posted with chat.postMessage");
        }
        String channelId = event.path("channel").asText("");
        if (channelId.isEmpty()) {
            throw new ChannelException.BadRequest("the event has no channel");
        }
        Map<String, String> address = new HashMap<>(Map.of("channelId", channelId, VIA, "event"));
        if (event.path("thread_ts").isTextual()) {
            address.put("threadTs", event.get("thread_ts").asText()); // asked in a thread: answer there
        }
        String text = MENTION.matcher(event.get("text").asText()).replaceAll(" ").strip();
        return Optional.of(new IncomingMessage(name(), eventId, conversation(body.path("team_id").asText(null), channelId),
                event.path("user").asText(""), null, text, new ReplyAddress(name(), address), body.path("event_time").asLong(0)));
    }

    /** A button press (block_actions): its value is the command it stands for. */
    private Optional<IncomingMessage> interaction(JsonNode payload) {
        JsonNode action = payload.path("actions").path(0);
        if (!"block_actions".equals(payload.path("type").asText()) || !action.path("value").isTextual()) {
            return Optional.empty();
        }
        String triggerId = payload.path("trigger_id").asText("");
        String channelId = payload.path("channel").path("id").asText(payload.path("container").path("channel_id").asText(""));
        if (triggerId.isEmpty() || channelId.isEmpty()) {
            throw new ChannelException.BadRequest("a block action needs trigger_id and a channel");
        }
        Map<String, String> address = new HashMap<>(Map.of("channelId", channelId, VIA, "action"));
        if (payload.path("response_url").isTextual()) {
            address.put("responseUrl", payload.get("response_url").asText());
        }
        if (payload.path("container").path("thread_ts").isTextual()) {
            address.put("threadTs", payload.get("container").get("thread_ts").asText());
        }
        JsonNode user = payload.path("user");
        String team = payload.path("team").path("id").asText(user.path("team_id").asText(null));
        return Optional.of(new IncomingMessage(name(), triggerId, conversation(team, channelId), user.path("id").asText(""),
                user.path("username").asText(user.path("name").asText(null)), action.get("value").asText(),
                new ReplyAddress(name(), address), 0));
    }

    /** One conversation per channel in a workspace, whichever way its messages arrive. */
    private static String conversation(String teamId, String channelId) {
        return (teamId == null ? "" : teamId) + ":" + channelId;
    }

    @Override
    public ChannelResponse render(IncomingMessage message, Reply reply) {
        ObjectNode content = content(reply);
        String via = message.address().field(VIA);
        if ("event".equals(via)) {
            return ChannelResponse.json("{}").withFollowUps(List.of(postMessage(message.address(), content)));
        }
        if ("action".equals(via)) {
            String responseUrl = message.address().field("responseUrl");
            OutboundMessage followUp = responseUrl != null
                    ? new OutboundMessage(responseUrl, "application/json",
                            content.put("response_type", "in_channel").put("replace_original", false).toString())
                    : postMessage(message.address(), content);
            return new ChannelResponse(200, "text/plain; charset=utf-8", "").withFollowUps(List.of(followUp));
        }
        return ChannelResponse.json(content.put("response_type", "in_channel").toString());
    }

    @Override
    public boolean canNotify() {
        return incomingWebhookUrl != null || botToken != null;
    }

    @Override
    public Optional<OutboundMessage> outbound(ReplyAddress address, Reply reply) {
        if (botToken != null && address.field("channelId") != null) {
            return Optional.of(postMessage(new ReplyAddress(name(), Map.of("channelId", address.field("channelId"))), content(reply)));
        }
        if (incomingWebhookUrl == null) {
            return Optional.empty();
        }
        return Optional.of(new OutboundMessage(incomingWebhookUrl, "application/json", content(reply).toString()));
    }

    private OutboundMessage postMessage(ReplyAddress address, ObjectNode content) {
        if (botToken == null) {
            throw new ChannelException.NotConfigured("posting to Slack needs the bot token (SLACK_BOT_TOKEN)");
        }
        content.put("channel", address.field("channelId"));
        if (address.field("threadTs") != null) {
            content.put("thread_ts", address.field("threadTs"));
        }
        return new OutboundMessage(apiBaseUrl + "/chat.postMessage", "application/json; charset=utf-8", content.toString(),
                Map.of("Authorization", "Bearer " + botToken));
    }

    /**
     * The reply as Slack message content: {@code text} (for notifications and screen readers) and
     * blocks: the text in sections of at most {@value #MAX_SECTION} characters, cut at line ends,
     * then the choices as buttons whose value is the command.
     */
    static ObjectNode content(Reply reply) {
        String text = Markup.slack(reply.markdown());
        ObjectNode content = Json.MAPPER.createObjectNode().put("text", text).put("mrkdwn", true);
        ArrayNode blocks = content.putArray("blocks");
        for (String section : sections(text)) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", section);
        }
        if (!reply.choices().isEmpty()) {
            ArrayNode buttons = blocks.addObject().put("type", "actions").putArray("elements");
            for (int i = 0; i < reply.choices().size(); i++) {
                Reply.Choice choice = reply.choices().get(i);
                ObjectNode button = buttons.addObject().put("type", "button").put("action_id", "choice-" + i).put("value", choice.command());
                button.putObject("text").put("type", "plain_text").put("text", choice.label());
            }
        }
        return content;
    }

    private static List<String> sections(String text) {
        List<String> sections = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            while (line.length() > MAX_SECTION) {
                flush(sections, current);
                int cut = Character.isHighSurrogate(line.charAt(MAX_SECTION - 1)) ? MAX_SECTION - 1 : MAX_SECTION;
                sections.add(line.substring(0, cut));
                line = line.substring(cut);
            }
            if (current.length() + line.length() + 1 > MAX_SECTION) {
                flush(sections, current);
            }
            current.append(current.length() == 0 ? "" : "\n").append(line);
        }
        flush(sections, current);
        return sections;
    }

    private static void flush(List<String> sections, StringBuilder current) {
        if (!current.isEmpty() && !current.toString().isBlank()) {
            sections.add(current.toString());
        }
        current.setLength(0);
    }

    private static boolean isJson(String body) {
        return body.stripLeading().startsWith("{");
    }

    private static boolean isSslCheck(String body) {
        return !isJson(body) && "1".equals(form(body).get("ssl_check"));
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
