package dev.sensorchat.chat.channels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.auth.AuthException;
import dev.sensorchat.auth.Authenticator;
import dev.sensorchat.auth.Role;
import dev.sensorchat.auth.User;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dashboard's chat panel: the signed-in user talks to the bot with their access token, as the
 * API's {@code /app/api} routes are called, not with a shared secret. Each user has one conversation,
 * and the bot applies their role to what they ask (a viewer may ask, an operator may also act).
 *
 * <p>Request: {@code Authorization: Bearer <token>}, body {@code {"messageId", "text"}} (a retry
 * repeats the message id). Reply: {@code {"conversationId", "inReplyTo", "text", "format": "markdown",
 * "choices"}}, as the generic channel's. No notifications: the dashboard shows alerts itself.
 */
public final class WebChannel implements ChannelAdapter {

    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int MAX_TEXT = 4_000;

    private final Authenticator authenticator;

    public WebChannel(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public String name() {
        return "web";
    }

    @Override
    public void verify(InboundRequest request, Instant now) {
        user(request);
    }

    /** The token's user, who may chat if their role includes viewer. */
    private User user(InboundRequest request) {
        try {
            return authenticator.authorize(request::header, Role.VIEWER);
        } catch (AuthException.Unauthenticated e) {
            throw new ChannelException.Unauthorized(e.getMessage());
        } catch (AuthException.Forbidden e) {
            throw new ChannelException.Forbidden(e.getMessage());
        } catch (AuthException.ProviderUnavailable e) {
            throw new ChannelException.Unavailable(e.getMessage());
        }
    }

    @Override
    public Optional<IncomingMessage> parse(InboundRequest request) {
        User user = user(request);
        JsonNode body = GenericChannel.readObject(request.body());
        JsonNode messageId = body.get("messageId");
        if (messageId == null || !messageId.isTextual() || !MESSAGE_ID.matcher(messageId.asText()).matches()) {
            throw new ChannelException.BadRequest("messageId must be 1-128 letters, digits or ._:-");
        }
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual() || text.asText().length() > MAX_TEXT) {
            throw new ChannelException.BadRequest("text must be a string of at most " + MAX_TEXT + " characters");
        }
        String conversation = "user-" + user.id();
        return Optional.of(new IncomingMessage(name(), messageId.asText(), conversation, user.id(), user.name(), text.asText(),
                new ReplyAddress(name(), Map.of("userId", user.id())), Instant.now().getEpochSecond(), conversation,
                user.role().orElseThrow()));
    }

    @Override
    public ChannelResponse render(IncomingMessage message, Reply reply) {
        return GenericChannel.replyJson(message, reply);
    }

    @Override
    public Optional<OutboundMessage> outbound(ReplyAddress address, Reply reply) {
        return Optional.empty();
    }

    @Override
    public boolean canNotify() {
        return false;
    }
}
