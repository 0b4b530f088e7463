package dev.sensorchat.chat.channels;

import java.time.Instant;
import java.util.Optional;

/**
 * One chat platform. The webhook calls, in order: {@link #verify}, {@link #handshake},
 * {@link #parse}, then, with the bot's reply, {@link #render}. Notifications use {@link #outbound}.
 * Adding a platform means adding one implementation; nothing else changes.
 */
public interface ChannelAdapter {

    /** The route segment: {@code /api/chat/<name>}. */
    String name();

    /**
     * Checks the platform's signature or secret, by the platform's own scheme and nothing more;
     * throws {@link ChannelException.Unauthorized}.
     */
    void verify(InboundRequest request, Instant now);

    /**
     * The answer to a delivery that only checks the endpoint (Slack's {@code url_verification} and
     * {@code ssl_check}), or empty for everything else.
     */
    default Optional<ChannelResponse> handshake(InboundRequest request) {
        return Optional.empty();
    }

    /**
     * The message in the delivery, or empty for deliveries that carry none (a Telegram update about
     * a new chat member, say). Throws {@link ChannelException.BadRequest} for unreadable bodies.
     */
    Optional<IncomingMessage> parse(InboundRequest request);

    /**
     * The reply as the platform expects it: in the webhook response, or (where that is not shown)
     * as {@link ChannelResponse#followUps()} to the platform's API.
     */
    ChannelResponse render(IncomingMessage message, Reply reply);

    /** The answer to a delivery that carries no message. */
    default ChannelResponse acknowledge() {
        return ChannelResponse.json("{}");
    }

    /**
     * The answer to a delivery that failed verification, in a shape the platform shows, or empty
     * for the default problem document.
     */
    default Optional<ChannelResponse> refusal(String reason) {
        return Optional.empty();
    }

    /** A notification to the conversation at {@code address}, or empty if this channel cannot send one. */
    Optional<OutboundMessage> outbound(ReplyAddress address, Reply reply);

    /** Whether notifications are configured for this channel (its outbound URL or token is set). */
    boolean canNotify();
}
