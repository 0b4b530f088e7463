package dev.sensorchat.chat;

import dev.sensorchat.chat.channels.ChannelAdapter;
import dev.sensorchat.chat.channels.ChannelException;
import dev.sensorchat.chat.channels.ChannelResponse;
import dev.sensorchat.chat.channels.InboundRequest;
import dev.sensorchat.chat.channels.IncomingMessage;
import dev.sensorchat.common.Json;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One webhook delivery, end to end: find the channel, verify, parse, answer once, render.
 *
 * <p>Nothing happens before verification: a missing or forged signature gets 401 and no record,
 * no conversation, no effect. Platforms retry deliveries, so each one is claimed in the
 * idempotency container under the platform's message id in its conversation before the bot runs; a retry finds the
 * claim and gets the first answer.
 */
public final class ChatService {

    static final Duration TAKE_OVER_AFTER = Duration.ofMinutes(1);
    private static final Duration WAIT_FOR_FIRST_ATTEMPT = Duration.ofSeconds(3);
    private static final int CONVERSATION_LOCKS = 256;

    private final Map<String, ChannelAdapter> channels;
    private final ChatBot bot;
    private final CosmosStore<IdempotencyRecord> records;
    private final Clock clock;
    private final java.time.Duration recordLifetime;
    /**
     * One conversation's turns run one at a time in this process, in arrival order (fair locks,
     * striped by conversation): messages that arrive together would otherwise race on the
     * conversation's document and exhaust its ETag retries. Across instances the ETag guard
     * still decides.
     */
    private final ReentrantLock[] conversationLocks = new ReentrantLock[CONVERSATION_LOCKS];

    public ChatService(Map<String, ChannelAdapter> channels, ChatBot bot, CosmosStore<IdempotencyRecord> records, Clock clock,
                       java.time.Duration recordLifetime) {
        this.recordLifetime = recordLifetime;
        this.channels = Map.copyOf(channels);
        this.bot = bot;
        this.records = records;
        this.clock = clock;
        for (int i = 0; i < CONVERSATION_LOCKS; i++) {
            conversationLocks[i] = new ReentrantLock(true);
        }
    }

    public ChannelResponse handle(String channelName, InboundRequest request) {
        ChannelAdapter channel = channels.get(channelName);
        if (channel == null) {
            return problem(404, "Not found", "No chat channel '" + channelName + "' is configured here.");
        }
        IncomingMessage message;
        try {
            channel.verify(request, clock.instant());
            Optional<IncomingMessage> parsed = channel.parse(request);
            if (parsed.isEmpty()) {
                return channel.acknowledge();
            }
            message = parsed.get();
        } catch (ChannelException.Unauthorized e) {
            return problem(401, "Unauthorized", e.getMessage());
        } catch (ChannelException.BadRequest e) {
            return problem(400, "Malformed request", e.getMessage());
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
        Instant now = clock.instant();
        Stored<IdempotencyRecord> claim;
        try {
            claim = records.create(IdempotencyRecord.claim(id, "chat", now, recordLifetime));
        } catch (StoreException.Conflict retried) {
            Optional<Stored<IdempotencyRecord>> earlier = awaitEarlierAttempt(id);
            if (earlier.isEmpty()) {
                return channel.render(message, "Still working on that message; the answer will follow.");
            }
            if (earlier.get().value().isDone()) {
                IdempotencyRecord done = earlier.get().value();
                return new ChannelResponse(done.status(), done.contentType(), done.body());
            }
            // The earlier attempt died without finishing: take over its claim.
            claim = records.replace(IdempotencyRecord.claim(id, "chat", now, recordLifetime), earlier.get().etag());
        }
        try {
            ChannelResponse response = channel.render(message, replyInTurn(message));
            records.replace(claim.value().done(response.status(), response.contentType(), response.body()), claim.etag());
            return response;
        } catch (RuntimeException failure) {
            records.delete(id, id); // let the platform's retry run it again
            throw failure;
        }
    }

    private String replyInTurn(IncomingMessage message) {
        int stripe = Math.floorMod((message.channel() + "\n" + message.conversationId()).hashCode(), CONVERSATION_LOCKS);
        ReentrantLock turn = conversationLocks[stripe];
        turn.lock();
        try {
            return bot.reply(message);
        } finally {
            turn.unlock();
        }
    }

    /** Waits briefly for a concurrent first attempt; empty while it is still running. */
    private Optional<Stored<IdempotencyRecord>> awaitEarlierAttempt(String id) {
        Instant giveUp = clock.instant().plus(WAIT_FOR_FIRST_ATTEMPT);
        while (true) {
            Optional<Stored<IdempotencyRecord>> record = records.find(id, id);
            if (record.isEmpty()) {
                return Optional.empty(); // the first attempt failed and released its claim; the next retry runs
            }
            IdempotencyRecord value = record.get().value();
            if (value.isDone() || clock.instant().isAfter(value.claimedAt().plus(TAKE_OVER_AFTER))) {
                return record;
            }
            if (clock.instant().isAfter(giveUp)) {
                return Optional.empty();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private static ChannelResponse problem(int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        try {
            return new ChannelResponse(status, "application/problem+json; charset=utf-8", Json.MAPPER.writeValueAsString(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
