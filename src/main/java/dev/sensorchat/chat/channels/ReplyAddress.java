package dev.sensorchat.chat.channels;

import java.util.Map;

/**
 * Where a conversation can be messaged later, for alert notifications: the channel and what its
 * outbound API needs (a Telegram chat id, a Slack response URL, ...). Kept in the conversation.
 */
public record ReplyAddress(String channel, Map<String, String> fields) {

    public ReplyAddress {
        fields = Map.copyOf(fields);
    }

    public String field(String name) {
        return fields.get(name);
    }
}
