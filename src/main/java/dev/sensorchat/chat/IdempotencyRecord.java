package dev.sensorchat.chat;

import dev.sensorchat.chat.channels.Reply;
import java.time.Instant;

/**
 * "This was done, and this was the answer", in the {@code idempotency} container (expires after
 * {@code ttl} seconds: {@code IDEMPOTENCY_TTL_DAYS}, a week by default); see {@link DeliveryLedger}.
 * A retried webhook delivery finds it and gets the same answer without a second effect; a retried
 * notification finds it and is not sent again.
 *
 * @param state     {@code pending} while the first attempt runs, then {@code done}
 * @param claimedAt when the current attempt started: a pending record older than a minute is
 *                  taken to be from a crashed attempt, and taken over
 * @param unsent    a reply that goes to the platform's API rather than in the HTTP answer (Slack
 *                  events and buttons), kept until it is sent: a retry sends it, never a second one
 */
public record IdempotencyRecord(String id, String kind, String state, Instant claimedAt, Integer status,
                                String contentType, String body, Reply unsent, Integer ttl) {

    static final String PENDING = "pending";
    static final String DONE = "done";

    /** @param lifetime how long the record is kept ({@code IDEMPOTENCY_TTL_DAYS}): retries later than that are new */
    static IdempotencyRecord claim(String id, String kind, Instant at, java.time.Duration lifetime) {
        return new IdempotencyRecord(id, kind, PENDING, at, null, null, null, null, (int) lifetime.toSeconds());
    }

    IdempotencyRecord done(int responseStatus, String responseType, String responseBody) {
        return new IdempotencyRecord(id, kind, DONE, claimedAt, responseStatus, responseType, responseBody, null, ttl);
    }

    IdempotencyRecord awaitingSend(Reply reply) {
        return new IdempotencyRecord(id, kind, state, claimedAt, status, contentType, body, reply, ttl);
    }

    IdempotencyRecord sent() {
        return awaitingSend(null);
    }

    boolean isDone() {
        return DONE.equals(state);
    }
}
