package dev.sensorchat.chat.channels;

import java.util.Map;

/**
 * A message to send to a platform's API: where, what, and any headers. The URL and headers may
 * hold a secret (a bot token, a webhook URL), so they are never logged.
 *
 * @param bestEffort a courtesy whose loss the user barely notices (Telegram's answerCallbackQuery,
 *                   which stops a button's spinner): a failure is logged, not retried
 */
public record OutboundMessage(String url, String contentType, String body, Map<String, String> headers, boolean bestEffort) {

    public OutboundMessage {
        headers = Map.copyOf(headers);
    }

    public OutboundMessage(String url, String contentType, String body, Map<String, String> headers) {
        this(url, contentType, body, headers, false);
    }

    public OutboundMessage(String url, String contentType, String body) {
        this(url, contentType, body, Map.of(), false);
    }

    public OutboundMessage asBestEffort() {
        return new OutboundMessage(url, contentType, body, headers, true);
    }

    @Override
    public String toString() {
        return "OutboundMessage[" + contentType + ", " + body.length() + " chars" + (bestEffort ? ", best effort" : "") + "]";
    }
}
