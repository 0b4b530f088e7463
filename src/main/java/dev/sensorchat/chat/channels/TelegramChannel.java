package dev.sensorchat.chat.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Telegram Bot API webhooks. Telegram sends each {@code Update} with the secret token given to
 * {@code setWebhook} in {@code X-Telegram-Bot-Api-Secret-Token}; the reply goes back in the webhook
 * response as a {@code sendMessage} call, and notifications go to {@code <api>/bot<token>/sendMessage}.
 */
public final class TelegramChannel implements ChannelAdapter {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
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
        if (!Signatures.constantTimeEquals(webhookSecret, token)) {
            throw new ChannelException.Unauthorized("secret token does not match");
        }
        JsonNode message = message(GenericChannel.readObject(request.body()));
        if (message != null) {
            long sent = Math.max(message.path("date").asLong(0), message.path("edit_date").asLong(0));
            if (sent > 0 && now.getEpochSecond() - sent > MAX_AGE.toSeconds()) {
                throw new ChannelException.Unauthorized("message is older than 5 minutes");
            }
        }
    }

    @Override
    public Optional<IncomingMessage> parse(InboundRequest request) {
        JsonNode update = GenericChannel.readObject(request.body());
        if (!update.path("update_id").isIntegralNumber()) {
            throw new ChannelException.BadRequest("an Update needs an integer update_id");
        }
        JsonNode message = update.get("message");
        if (message == null || !message.isObject() || !message.path("text").isTextual()) {
            // Not a new text message: a photo, a member change, or an edit (answered when it was
            // first sent; answering the edit would repeat it). Nothing to answer.
            return Optional.empty();
        }
        JsonNode chatId = message.path("chat").path("id");
        if (!chatId.isIntegralNumber() && !chatId.isTextual()) {
            throw new ChannelException.BadRequest("message.chat.id is required");
        }
        JsonNode from = message.path("from");
        String name = from.path("username").isTextual() ? from.get("username").asText() : from.path("first_name").asText(null);
        Map<String, String> address = new HashMap<>(Map.of("chatId", chatId.asText()));
        if (message.path("message_thread_id").isIntegralNumber()) {
            address.put("threadId", message.get("message_thread_id").asText()); // a forum topic: reply in it
        }
        return Optional.of(new IncomingMessage(name(), update.get("update_id").asText(), chatId.asText(),
                from.path("id").asText(""), name, withoutBotName(message.get("text").asText()),
                new ReplyAddress(name(), address), message.path("date").asLong(0)));
    }

    public static boolean isValidSecret(String secret) {
        return secret != null && SECRET.matcher(secret).matches();
    }

    /** {@code /help@SensorchatBot args}, a command as groups send it, becomes {@code /help args}. */
    static String withoutBotName(String text) {
        return GROUP_COMMAND.matcher(text).replaceFirst("$1");
    }

    @Override
    public ChannelResponse render(IncomingMessage message, String markdown) {
        ObjectNode call = sendMessage(message.address(), markdown).put("method", "sendMessage");
        return ChannelResponse.json(call.toString());
    }

    @Override
    public boolean canNotify() {
        return botToken != null;
    }

    @Override
    public Optional<OutboundMessage> outbound(ReplyAddress address, String markdown) {
        if (botToken == null) {
            return Optional.empty();
        }
        return Optional.of(new OutboundMessage(apiBaseUrl + "/bot" + botToken + "/sendMessage", "application/json",
                sendMessage(address, markdown).toString()));
    }

    private static ObjectNode sendMessage(ReplyAddress address, String markdown) {
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
        return call.put("text", Markup.telegramHtml(fitted(markdown))).put("parse_mode", "HTML");
    }

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

    private static JsonNode message(JsonNode update) {
        JsonNode message = update.get("message");
        if (message == null || !message.isObject()) {
            message = update.get("edited_message");
        }
        return message != null && message.isObject() ? message : null;
    }
}
