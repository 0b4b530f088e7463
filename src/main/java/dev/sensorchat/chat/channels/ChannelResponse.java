package dev.sensorchat.chat.channels;

/** The HTTP answer to a webhook delivery, in the platform's format. */
public record ChannelResponse(int status, String contentType, String body) {

    public static ChannelResponse json(String body) {
        return new ChannelResponse(200, "application/json; charset=utf-8", body);
    }
}
