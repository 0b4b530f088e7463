package dev.sensorchat.storage;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Retries transient failures with exponential backoff and jitter, honouring the server's
 * retry-after hint when it gives one. Non-transient failures are rethrown at once. Plain Java:
 * what counts as transient comes from a {@link TransientErrors} per service.
 */
public final class RetryPolicy {

    /** Decides which failures are worth another attempt. */
    @FunctionalInterface
    public interface TransientErrors {
        /**
         * Empty when {@code error} should not be retried; otherwise the server's retry-after hint,
         * or {@link Duration#ZERO} when it gave none (backoff then decides).
         */
        Optional<Duration> retryAfter(RuntimeException error);
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final TransientErrors transientErrors;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    public RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, TransientErrors transientErrors) {
        this(maxAttempts, baseDelay, maxDelay, transientErrors, d -> Thread.sleep(d.toMillis()),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, TransientErrors transientErrors,
                Sleeper sleeper, DoubleSupplier random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.transientErrors = transientErrors;
        this.sleeper = sleeper;
        this.random = random;
    }

    public <T> T execute(Supplier<T> operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (RuntimeException error) {
                Optional<Duration> retryAfter = transientErrors.retryAfter(error);
                if (retryAfter.isEmpty() || attempt >= maxAttempts) {
                    throw error;
                }
                pause(delayBeforeRetry(attempt, retryAfter.get()), error);
            }
        }
    }

    /**
     * The server's hint when it gave one; otherwise base * 2^(attempt-1), capped, with "equal
     * jitter" (half fixed, half random) so that many instances do not retry in lockstep.
     */
    Duration delayBeforeRetry(int attempt, Duration retryAfterHint) {
        if (retryAfterHint.compareTo(Duration.ZERO) > 0) {
            return retryAfterHint;
        }
        long exponential = baseDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(exponential, maxDelay.toMillis());
        return Duration.ofMillis(capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2)));
    }

    private void pause(Duration delay, RuntimeException cause) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            cause.addSuppressed(interrupted);
            throw cause;
        }
    }
}
