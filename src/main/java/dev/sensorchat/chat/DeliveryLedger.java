package dev.sensorchat.chat;

import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * "Has this been done?" for everything the bot does once: answering a webhook delivery and sending
 * a notification. One record per effect in the {@code idempotency} container, claimed before the
 * work and completed after, so a retried delivery or a replayed change-feed batch has no second
 * effect. A claim whose holder died (pending for longer than {@link #TAKE_OVER_AFTER}) is taken
 * over, so a crash delays an effect but never loses it.
 */
public final class DeliveryLedger {

    static final Duration TAKE_OVER_AFTER = Duration.ofMinutes(1);
    private static final Duration POLL = Duration.ofMillis(100);

    /** What a claim found. */
    public sealed interface Claim {
        /** Nobody has done it: the caller does, then {@link #complete}s or {@link #release}s. */
        record Granted(Stored<IdempotencyRecord> record) implements Claim {
        }

        /** Done before: here is what was recorded. */
        record Done(Stored<IdempotencyRecord> record) implements Claim {
        }

        /** Another attempt is at work on it now. */
        record Busy() implements Claim {
        }
    }

    private final CosmosStore<IdempotencyRecord> records;
    private final Clock clock;
    private final Duration lifetime;

    /** @param lifetime how long records are kept ({@code IDEMPOTENCY_TTL_DAYS}): a retry later than that is new */
    public DeliveryLedger(CosmosStore<IdempotencyRecord> records, Clock clock, Duration lifetime) {
        this.records = records;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /**
     * Claims {@code id}. If another attempt holds it, waits up to {@code waitForOther} for that
     * attempt to finish (a webhook retry that arrives while the first is still answering).
     */
    public Claim claim(String id, String kind, Duration waitForOther) {
        Instant giveUp = clock.instant().plus(waitForOther);
        while (true) {
            Instant now = clock.instant();
            try {
                return new Claim.Granted(records.create(IdempotencyRecord.claim(id, kind, now, lifetime)));
            } catch (StoreException.Conflict held) {
                Optional<Stored<IdempotencyRecord>> record = records.find(id, id);
                if (record.isEmpty()) {
                    continue; // released between the two calls: claim it afresh
                }
                if (record.get().value().isDone()) {
                    return new Claim.Done(record.get());
                }
                if (now.isAfter(record.get().value().claimedAt().plus(TAKE_OVER_AFTER))) {
                    try {
                        return new Claim.Granted(records.replace(IdempotencyRecord.claim(id, kind, now, lifetime), record.get().etag()));
                    } catch (StoreException.StaleDocument raced) {
                        continue; // another attempt took it over first: look again
                    }
                }
            }
            if (!clock.instant().isBefore(giveUp)) {
                return new Claim.Busy();
            }
            pause();
        }
    }

    /** Records the work as done, with what a retry should get. */
    public Stored<IdempotencyRecord> complete(Stored<IdempotencyRecord> claim, IdempotencyRecord done) {
        return records.replace(done, claim.etag());
    }

    /** Records a change to a done record (its follow-ups sent), unless another attempt changed it first. */
    public void update(Stored<IdempotencyRecord> current, IdempotencyRecord changed) {
        try {
            records.replace(changed, current.etag());
        } catch (StoreException.StaleDocument raced) {
            // a concurrent retry recorded the same thing
        }
    }

    /** Gives the claim up, so the next attempt does the work. */
    public void release(String id) {
        records.delete(id, id);
    }

    /** Records work done without a claim (what one notification covered). */
    public void recordDone(String id, String kind) {
        records.upsert(IdempotencyRecord.claim(id, kind, clock.instant(), lifetime).done(200, "text/markdown", null));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an earlier attempt", e);
        }
    }
}
