package dev.sensorchat.chat;

import java.time.Instant;

/**
 * "This delivery was handled, and this was the answer", in the {@code idempotency} container
 * (expires after {@code ttl} seconds: {@code IDEMPOTENCY_TTL_DAYS}, a week by default). A retried webhook delivery finds it and gets the same answer without a
 * second effect; a retried notification finds it and is not sent again.
 *
 * @param state     {@code pending} while the first attempt runs, then {@code done}
 * @param claimedAt when the current attempt started: a pending record older than a minute is
 *                  taken to be from a crashed attempt, and taken over
 */
public record IdempotencyRecord(String id, String kind, String state, Instant claimedAt, Integer status,
                                String contentType, String body, Integer ttl) {

    static final String PENDING = "pending";
    static final String DONE = "done";

    /** @param lifetime how long the record is kept ({@code IDEMPOTENCY_TTL_DAYS}): retries later than that are new */
    static IdempotencyRecord claim(String id, String kind, Instant at, java.time.Duration lifetime) {
        return new IdempotencyRecord(id, kind, PENDING, at, null, null, null, (int) lifetime.toSeconds());
    }

    IdempotencyRecord done(int responseStatus, String responseType, String responseBody) {
        return new IdempotencyRecord(id, kind, DONE, claimedAt, responseStatus, responseType, responseBody, ttl);
    }

    boolean isDone() {
        return DONE.equals(state);
    }
}
