package dev.sensorchat.chat.channels;

import java.util.Map;

/**
 * A message to send to a platform's API, for notifications: where, what, and any headers. The URL
 * may hold a secret (a bot token, a webhook URL), so it is never logged.
 */
public record OutboundMessage(String url, String contentType, String body, Map<String, String> headers) {

    public OutboundMessage(String url, String contentType, String body) {
        this(url, contentType, body, Map.of());
    }

    @Override
    public String toString() {
        return "OutboundMessage[" + contentType + ", " + body.length() + " chars]";
    }
}
