package dev.sensorchat.chat.channels;

import java.util.List;
import java.util.Map;

/**
 * The HTTP answer to a webhook delivery, in the platform's format, and what must be sent to the
 * platform's API after it: where the HTTP answer is not shown as a reply (Slack events and
 * buttons), the reply itself.
 *
 * @param headers   extra response headers ({@code Retry-After})
 * @param followUps messages for the platform's API, sent once the delivery is recorded
 */
public record ChannelResponse(int status, String contentType, String body, Map<String, String> headers,
                              List<OutboundMessage> followUps) {

    public ChannelResponse {
        headers = Map.copyOf(headers);
        followUps = List.copyOf(followUps);
    }

    public ChannelResponse(int status, String contentType, String body) {
        this(status, contentType, body, Map.of(), List.of());
    }

    public static ChannelResponse json(String body) {
        return new ChannelResponse(200, "application/json; charset=utf-8", body);
    }

    public ChannelResponse withFollowUps(List<OutboundMessage> messages) {
        return new ChannelResponse(status, contentType, body, headers, messages);
    }

    /** The HTTP part alone, as recorded for retries. */
    public ChannelResponse withoutFollowUps() {
        return new ChannelResponse(status, contentType, body, headers, List.of());
    }

    /** Whether something still has to reach the platform's API, as a required part of the answer. */
    public boolean answersOutOfBand() {
        return followUps.stream().anyMatch(message -> !message.bestEffort());
    }
}
