package dev.sensorchat.chat.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Telegram Bot API webhooks. Telegram sends each {@code Update} with the secret token given to
 * {@code setWebhook} in {@code X-Telegram-Bot-Api-Secret-Token}; the reply goes back in the webhook
 * response as a {@code sendMessage} call, and notifications go to {@code <api>/bot<token>/sendMessage}.
 * Choices become an inline keyboard whose callback data is the command; a press arrives as a
 * {@code callback_query} and is answered like the typed command.
 */
public final class TelegramChannel implements ChannelAdapter {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    /** The address field of a button press, for answerCallbackQuery. */
    private static final String CALLBACK_QUERY = "callbackQueryId";
    /** A command's first word with the bot's name appended, as Telegram sends commands in groups. */
    private static final Pattern GROUP_COMMAND = Pattern.compile("^(/[A-Za-z0-9_]{1,32})@[A-Za-z0-9_]{1,64}(?=\\s|$)");

    /** What setWebhook accepts as secret_token: another value could never match what Telegram sends. */
    public static final String SECRET_RULE = "must be 1-256 characters of A-Z, a-z, 0-9, _ and - (what Telegram's setWebhook accepts as secret_token)";
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final String webhookSecret;
    private final String apiBaseUrl;
    private final String botToken;

    /** @param botToken for notifications; null disables them */
    public TelegramChannel(String webhookSecret, String apiBaseUrl, String botToken) {
        if (!isValidSecret(webhookSecret)) {
            throw new IllegalArgumentException(SECRET_RULE);
        }
        this.webhookSecret = webhookSecret;
        this.apiBaseUrl = apiBaseUrl.replaceAll("/+$", "");
        this.botToken = botToken;
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public void verify(InboundRequest request, Instant now) {
        String token = request.header(SECRET_HEADER).orElseThrow(() -> new ChannelException.Unauthorized("missing " + SECRET_HEADER));
        // The secret is Telegram's whole scheme. A message's date is no credential: Telegram keeps
        // redelivering what was not acknowledged, for up to a day, and drops it after that.
        if (!Signatures.constantTimeEquals(webhookSecret, token)) {
            throw new ChannelException.Unauthorized("secret token does not match");
        }
    }

    @Override
    public Optional<IncomingMessage> parse(InboundRequest request) {
        JsonNode update = GenericChannel.readObject(request.body());
        if (!update.path("update_id").isIntegralNumber()) {
            throw new ChannelException.BadRequest("an Update needs an integer update_id");
        }
        String updateId = update.get("update_id").asText();
        JsonNode callback = update.get("callback_query");
        if (callback != null && callback.isObject()) {
            return buttonPressed(updateId, callback);
        }
        // A message in a chat or group, or a post in a channel the bot administers. Edits
        // (edited_message, edited_channel_post) were answered when first sent: answering again
        // would repeat it. Member changes and the like carry nothing to answer.
        JsonNode message = update.path("message").isObject() ? update.get("message") : update.get("channel_post");
        if (message == null || !message.isObject()) {
            return Optional.empty();
        }
        // A photo or document carries its words in the caption.
        JsonNode text = message.path("text").isTextual() ? message.get("text") : message.get("caption");
        if (text == null || !text.isTextual()) {
            return Optional.empty();
        }
        JsonNode chatId = chatId(message);
        // A channel post has no "from": the channel itself (sender_chat) speaks.
        JsonNode from = message.path("from").isObject() ? message.get("from") : message.path("sender_chat");
        return Optional.of(new IncomingMessage(name(), updateId, chatId.asText(), from.path("id").asText(""), displayName(from),
                withoutBotName(text.asText()), address(message, chatId, null), message.path("date").asLong(0)));
    }

    /**
     * A press of an inline keyboard button: its callback data is the command it stands for. The
     * press has no date of its own; the message it was under is older.
     */
    private Optional<IncomingMessage> buttonPressed(String updateId, JsonNode callback) {
        JsonNode message = callback.get("message");
        if (!callback.path("data").isTextual() || message == null || !message.isObject()) {
            return Optional.empty(); // a game's button, or one under an inline-mode message: not ours
        }
        JsonNode chatId = chatId(message);
        JsonNode from = callback.path("from");
        return Optional.of(new IncomingMessage(name(), updateId, chatId.asText(), from.path("id").asText(""), displayName(from),
                callback.get("data").asText(), address(message, chatId, callback.path("id").asText(null)), 0));
    }

    private static JsonNode chatId(JsonNode message) {
        JsonNode chatId = message.path("chat").path("id");
        if (!chatId.isIntegralNumber() && !chatId.isTextual()) {
            throw new ChannelException.BadRequest("message.chat.id is required");
        }
        return chatId;
    }

    private static String displayName(JsonNode from) {
        for (String field : new String[] {"username", "first_name", "title"}) {
            if (from.path(field).isTextual()) {
                return from.get(field).asText();
            }
        }
        return null;
    }

    private ReplyAddress address(JsonNode message, JsonNode chatId, String callbackQueryId) {
        Map<String, String> address = new HashMap<>(Map.of("chatId", chatId.asText()));
        if (message.path("message_thread_id").isIntegralNumber()) {
            address.put("threadId", message.get("message_thread_id").asText()); // a forum topic: reply in it
        }
        if (callbackQueryId != null) {
            address.put(CALLBACK_QUERY, callbackQueryId);
        }
        return new ReplyAddress(name(), address);
    }

    public static boolean isValidSecret(String secret) {
        return secret != null && SECRET.matcher(secret).matches();
    }

    /** {@code /help@SensorchatBot args}, a command as groups send it, becomes {@code /help args}. */
    static String withoutBotName(String text) {
        return GROUP_COMMAND.matcher(text).replaceFirst("$1");
    }

    @Override
    public ChannelResponse render(IncomingMessage message, Reply reply) {
        ObjectNode call = sendMessage(message.address(), reply).put("method", "sendMessage");
        ChannelResponse response = ChannelResponse.json(call.toString());
        String callbackQuery = message.address().field(CALLBACK_QUERY);
        if (callbackQuery == null || botToken == null) {
            return response;
        }
        // The pressed button spins until answerCallbackQuery; the reply itself is in the response.
        return response.withFollowUps(List.of(new OutboundMessage(apiBaseUrl + "/bot" + botToken + "/answerCallbackQuery",
                "application/json", Json.MAPPER.createObjectNode().put("callback_query_id", callbackQuery).toString()).asBestEffort()));
    }

    @Override
    public boolean canNotify() {
        return botToken != null;
    }

    @Override
    public Optional<OutboundMessage> outbound(ReplyAddress address, Reply reply) {
        if (botToken == null) {
            return Optional.empty();
        }
        return Optional.of(new OutboundMessage(apiBaseUrl + "/bot" + botToken + "/sendMessage", "application/json",
                sendMessage(address, reply).toString()));
    }

    private static ObjectNode sendMessage(ReplyAddress address, Reply reply) {
        ObjectNode call = Json.MAPPER.createObjectNode();
        String chatId = address.field("chatId");
        if (chatId.matches("-?\\d+")) {
            call.put("chat_id", Long.parseLong(chatId));
        } else {
            call.put("chat_id", chatId);
        }
        String threadId = address.field("threadId");
        if (threadId != null && threadId.matches("\\d{1,18}")) {
            call.put("message_thread_id", Long.parseLong(threadId));
        }
        call.put("text", Markup.telegramHtml(fitted(reply.markdown()))).put("parse_mode", "HTML");
        List<Reply.Choice> buttons = reply.choices().stream()
                .filter(choice -> choice.command().getBytes(StandardCharsets.UTF_8).length <= MAX_CALLBACK_DATA).toList();
        if (!buttons.isEmpty()) {
            ArrayNode row = call.putObject("reply_markup").putArray("inline_keyboard").addArray();
            buttons.forEach(choice -> row.addObject().put("text", choice.label()).put("callback_data", choice.command()));
        }
        return call;
    }

    /** Telegram's limit on a button's callback_data; a longer command stays in the text only. */
    static final int MAX_CALLBACK_DATA = 64;

    /** Telegram refuses a message longer than 4096 characters of text (tags aside). */
    static final int MAX_TEXT = 4096;
    private static final String CUT = "\n… (cut: the answer is longer than Telegram allows)";

    /** The markdown, cut at a line end so its visible text fits in {@link #MAX_TEXT}. */
    static String fitted(String markdown) {
        if (Markup.plain(markdown).length() <= MAX_TEXT) {
            return markdown;
        }
        String kept = markdown;
        while (Markup.plain(kept).length() + CUT.length() > MAX_TEXT) {
            int lineEnd = kept.lastIndexOf('\n');
            // A single line too long: cut inside it (bold and code never span lines, so only that line's markup can break).
            if (lineEnd > 0) {
                kept = kept.substring(0, lineEnd);
            } else {
                int end = Math.min(kept.length(), MAX_TEXT - CUT.length());
                if (end > 0 && Character.isHighSurrogate(kept.charAt(end - 1))) {
                    end--; // never half an emoji
                }
                kept = kept.substring(0, end);
            }
        }
        return kept + CUT;
    }

}
