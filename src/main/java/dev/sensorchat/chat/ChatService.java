package dev.sensorchat.chat;

import dev.sensorchat.chat.DeliveryLedger.Claim;
import dev.sensorchat.chat.channels.ChannelAdapter;
import dev.sensorchat.chat.channels.ChannelException;
import dev.sensorchat.chat.channels.ChannelResponse;
import dev.sensorchat.chat.channels.InboundRequest;
import dev.sensorchat.chat.channels.IncomingMessage;
import dev.sensorchat.chat.channels.OutboundMessage;
import dev.sensorchat.chat.channels.Reply;
import dev.sensorchat.common.Json;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.storage.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One webhook delivery, end to end: find the channel, verify, parse, answer once, render.
 *
 * <p>Nothing happens before verification: a missing or forged signature gets 401 and no record,
 * no conversation, no effect. Platforms retry deliveries, so each one is claimed in the
 * {@link DeliveryLedger} under the platform's message id in its conversation before the bot runs;
 * a retry finds the claim and gets the first answer. Where the reply goes to the platform's API
 * (Slack events and buttons), it is recorded before it is sent, and a retry sends what is unsent.
 */
public final class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
    private static final Duration WAIT_FOR_FIRST_ATTEMPT = Duration.ofSeconds(3);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    private static final int CONVERSATION_LOCKS = 256;
    /** Far above any platform's delivery (Slack's largest, a block action, stays under 100 KB). */
    static final int MAX_BODY_CHARS = 1_000_000;

    private final Map<String, ChannelAdapter> channels;
    private final ChatBot bot;
    private final DeliveryLedger ledger;
    private final OutboundSender sender;
    private final Clock clock;
    /**
     * One conversation's turns run one at a time in this process, in arrival order (fair locks,
     * striped by conversation): messages that arrive together would otherwise race on the
     * conversation's document and exhaust its ETag retries. Across instances the ETag guard
     * still decides.
     */
    private final ReentrantLock[] conversationLocks = new ReentrantLock[CONVERSATION_LOCKS];

    public ChatService(Map<String, ChannelAdapter> channels, ChatBot bot, DeliveryLedger ledger, OutboundSender sender, Clock clock) {
        this.channels = Map.copyOf(channels);
        this.bot = bot;
        this.ledger = ledger;
        this.sender = sender;
        this.clock = clock;
        for (int i = 0; i < CONVERSATION_LOCKS; i++) {
            conversationLocks[i] = new ReentrantLock(true);
        }
    }

    public ChannelResponse handle(String channelName, InboundRequest request) {
        ChannelAdapter channel = channels.get(channelName);
        if (channel == null) {
            return problem(404, "Not found", "No chat channel '" + channelName + "' is configured here.", Map.of());
        }
        if (request.body().length() > MAX_BODY_CHARS) {
            return problem(413, "Payload too large", "A delivery holds at most " + MAX_BODY_CHARS + " characters.", Map.of());
        }
        IncomingMessage message;
        try {
            channel.verify(request, clock.instant());
            Optional<ChannelResponse> handshake = channel.handshake(request);
            if (handshake.isPresent()) {
                return handshake.get();
            }
            Optional<IncomingMessage> parsed = channel.parse(request);
            if (parsed.isEmpty()) {
                return channel.acknowledge();
            }
            message = parsed.get();
        } catch (ChannelException.Unauthorized e) {
            return channel.refusal(e.getMessage()).orElseGet(() -> problem(401, "Unauthorized", e.getMessage(), Map.of()));
        } catch (ChannelException.Forbidden e) {
            return problem(403, "Forbidden", e.getMessage(), Map.of());
        } catch (ChannelException.Unavailable e) {
            return unavailable(e.getMessage());
        } catch (ChannelException.BadRequest e) {
            return problem(400, "Malformed request", e.getMessage(), Map.of());
        } catch (ChannelException.NotConfigured e) {
            return problem(501, "Not configured", e.getMessage(), Map.of());
        }
        return answerOnce(channel, message);
    }

    /**
     * What makes a delivery unique: the message id within its conversation. A message id alone is
     * not (the generic channel's sender chooses it, and an id reused in another conversation must
     * not stand for that conversation's message). Length-prefixed, so no two triples share a key.
     */
    static String deliveryKey(IncomingMessage message) {
        StringBuilder key = new StringBuilder();
        for (String part : new String[] {message.channel(), message.conversationId(), message.messageId()}) {
            key.append(part.length()).append(':').append(part);
        }
        return key.toString();
    }

    private ChannelResponse answerOnce(ChannelAdapter channel, IncomingMessage message) {
        String id = "chat-" + ChatBot.sha256(deliveryKey(message));
        Claim claim = ledger.claim(id, "chat", WAIT_FOR_FIRST_ATTEMPT);
        if (claim instanceof Claim.Done done) {
            IdempotencyRecord recorded = done.record().value();
            ChannelResponse response = new ChannelResponse(recorded.status(), recorded.contentType(), recorded.body());
            return recorded.unsent() == null ? response
                    : sendFollowUps(channel.render(message, recorded.unsent()), response, done.record());
        }
        if (!(claim instanceof Claim.Granted granted)) {
            ChannelResponse working = channel.render(message, Reply.of(Texts.STILL_WORKING));
            // Where the answer goes out of band, only the first attempt may send it: ask for a retry.
            return working.answersOutOfBand() ? unavailable("The first delivery of this message is still being answered.") : working;
        }
        ChannelResponse response;
        Reply reply;
        try {
            reply = replyInTurn(message);
            response = channel.render(message, reply);
        } catch (RuntimeException failure) {
            ledger.release(id); // let the platform's retry run it again
            throw failure;
        }
        IdempotencyRecord done = granted.record().value().done(response.status(), response.contentType(), response.body());
        if (response.followUps().isEmpty()) {
            ledger.complete(granted.record(), done);
            return response;
        }
        Stored<IdempotencyRecord> recorded = ledger.complete(granted.record(), done.awaitingSend(reply));
        return sendFollowUps(response, response.withoutFollowUps(), recorded);
    }

    /**
     * Sends the reply's follow-ups to the platform's API, then records them sent. If a required one
     * fails, the answer is 503 with {@code Retry-After}: the platform retries, and the retry sends
     * what is still unsent, because the bot's turn itself is recorded and never runs twice.
     */
    private ChannelResponse sendFollowUps(ChannelResponse rendered, ChannelResponse answer, Stored<IdempotencyRecord> recorded) {
        List<OutboundMessage> followUps = rendered.followUps();
        for (OutboundMessage followUp : followUps) {
            try {
                sender.send(followUp);
            } catch (OutboundSender.DeliveryFailed failure) {
                if (followUp.bestEffort()) {
                    Invocation.logger(LOG).log(Level.WARNING, "a best-effort call to the platform failed: {0}", failure.getMessage());
                    continue;
                }
                Invocation.logger(LOG).log(Level.WARNING, "the reply could not be sent to the platform: {0}", failure.getMessage());
                return unavailable("The reply could not be sent to the platform (" + failure.getMessage() + "); it is sent on the retry.");
            }
        }
        ledger.update(recorded, recorded.value().sent());
        return answer;
    }

    private Reply replyInTurn(IncomingMessage message) {
        int stripe = Math.floorMod((message.channel() + "\n" + message.conversationId()).hashCode(), CONVERSATION_LOCKS);
        ReentrantLock turn = conversationLocks[stripe];
        turn.lock();
        try {
            Reply reply = bot.reply(message);
            return Texts.late(message.sentAt(), clock.instant()).map(reply::prefixed).orElse(reply);
        } finally {
            turn.unlock();
        }
    }

    private static ChannelResponse unavailable(String detail) {
        return problem(503, "Service unavailable", detail, Map.of("Retry-After", String.valueOf(RETRY_AFTER.toSeconds())));
    }

    private static ChannelResponse problem(int status, String title, String detail, Map<String, String> headers) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        String invocationId = Invocation.currentId();
        if (invocationId != null) {
            problem.put("invocationId", invocationId); // what to quote when reporting it; the same id is on its log lines
        }
        try {
            return new ChannelResponse(status, "application/problem+json; charset=utf-8", Json.MAPPER.writeValueAsString(problem),
                    headers, List.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
