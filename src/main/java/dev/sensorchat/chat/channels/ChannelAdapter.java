package dev.sensorchat.chat.channels;

import java.time.Instant;
import java.util.Optional;

/**
 * One chat platform. The webhook calls, in order: {@link #verify}, {@link #parse}, then, with the
 * bot's reply, {@link #render}. Notifications use {@link #outbound}. Adding a platform means adding
 * one implementation; nothing else changes.
 */
public interface ChannelAdapter {

    /** The route segment: {@code /api/chat/<name>}. */
    String name();

    /** Checks the platform's signature or secret; throws {@link ChannelException.Unauthorized}. */
    void verify(InboundRequest request, Instant now);

    /**
     * The message in the delivery, or empty for deliveries that carry none (a Telegram update about
     * a new chat member, say). Throws {@link ChannelException.BadRequest} for unreadable bodies.
     */
    Optional<IncomingMessage> parse(InboundRequest request);

    /** The reply as the platform expects it in the webhook response. */
    ChannelResponse render(IncomingMessage message, String markdown);

    /** The answer to a delivery that carries no message. */
    default ChannelResponse acknowledge() {
        return ChannelResponse.json("{}");
    }

    /** A notification to the conversation at {@code address}, or empty if this channel cannot send one. */
    Optional<OutboundMessage> outbound(ReplyAddress address, String markdown);

    /** Whether notifications are configured for this channel (its outbound URL or token is set). */
    boolean canNotify();
}
