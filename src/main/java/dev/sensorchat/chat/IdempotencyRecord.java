package dev.sensorchat.chat;

import java.time.Instant;

/**
 * "This delivery was handled, and this was the answer", in the {@code idempotency} container
 * (expires after a week). A retried webhook delivery finds it and gets the same answer without a
 * second effect; a retried notification finds it and is not sent again.
 *
 * @param state     {@code pending} while the first attempt runs, then {@code done}
 * @param claimedAt when the current attempt started: a pending record older than a minute is
 *                  taken to be from a crashed attempt, and taken over
 */
public record IdempotencyRecord(String id, String kind, String state, Instant claimedAt, Integer status,
                                String contentType, String body) {

    static final String PENDING = "pending";
    static final String DONE = "done";

    static IdempotencyRecord claim(String id, String kind, Instant at) {
        return new IdempotencyRecord(id, kind, PENDING, at, null, null, null);
    }

    IdempotencyRecord done(int responseStatus, String responseType, String responseBody) {
        return new IdempotencyRecord(id, kind, DONE, claimedAt, responseStatus, responseType, responseBody);
    }

    boolean isDone() {
        return DONE.equals(state);
    }
}
