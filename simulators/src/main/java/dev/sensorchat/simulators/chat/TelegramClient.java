package dev.sensorchat.simulators.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Telegram Bot API webhooks: an {@code Update} with the {@code secret_token} given to
 * {@code setWebhook} in {@code X-Telegram-Bot-Api-Secret-Token}. The reply is a {@code sendMessage}
 * call in the response, in HTML parse mode.
 */
final class TelegramClient implements ChannelClient {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final String secret;
    private final long chatId;
    private final String user;
    private final long userId;
    // Telegram numbers updates one after another from an arbitrary start; a random start keeps
    // separate runs from reusing ids, which the backend would take for retries.
    private final AtomicLong updateId = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 30));
    private final AtomicLong messageId = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 20));

    /** @param conversation the chat id, a number; null for a private chat with {@code user} */
    TelegramClient(String secret, String conversation, String user) {
        this.secret = secret;
        this.user = user;
        this.userId = ChannelClient.numericId(user);
        try {
            this.chatId = conversation == null ? userId : Long.parseLong(conversation);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a Telegram chat id is a number, not '" + conversation + "'");
        }
    }

    @Override
    public Delivery delivery(String text, Instant now) {
        ObjectNode update = Json.MAPPER.createObjectNode().put("update_id", updateId.getAndIncrement());
        ObjectNode message = update.putObject("message").put("message_id", messageId.getAndIncrement());
        message.putObject("from").put("id", userId).put("is_bot", false).put("first_name", user).put("username", user)
                .put("language_code", "en");
        ObjectNode chat = message.putObject("chat").put("id", chatId);
        if (chatId < 0) {
            chat.put("title", "sensorchat").put("type", "group"); // group chats have negative ids
        } else {
            chat.put("first_name", user).put("username", user).put("type", "private");
        }
        message.put("date", now.getEpochSecond()).put("text", text);
        return new Delivery("application/json", update.toString(), Map.of(SECRET_HEADER, secret));
    }

    @Override
    public Optional<String> replyText(String responseBody) {
        return Json.textField(responseBody, "text").map(Replies::fromHtml);
    }
}
