package dev.sensorchat.localhost.eventhubs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A function's retry policy ({@code @ExponentialBackoffRetry} / {@code @FixedDelayRetry}, written to
 * function.json's {@code retry}). A failed batch is delivered again after {@link #delayBeforeRetry};
 * when {@code maxRetryCount} retries have failed too, the trigger checkpoints past the batch and moves on.
 *
 * <p>Exponential delays are {@code minimumInterval * 2^(retry-1)}, capped at {@code maximumInterval}:
 * the real host's curve without its random jitter, so tests are deterministic.
 *
 * @param maxRetryCount retries after the first attempt; -1 retries forever, 0 never
 * @param minimumInterval the first retry's delay (the fixed delay for fixedDelay)
 * @param maximumInterval the longest delay
 * @param exponential exponentialBackoff, or fixedDelay
 */
public record RetryPolicy(int maxRetryCount, Duration minimumInterval, Duration maximumInterval, boolean exponential) {

    /** No retry policy: a failed batch is checkpointed and lost, as on the real host. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO, false);

    public RetryPolicy {
        Objects.requireNonNull(minimumInterval, "minimumInterval");
        Objects.requireNonNull(maximumInterval, "maximumInterval");
        if (maxRetryCount < -1) {
            throw new IllegalArgumentException("maxRetryCount is -1 (forever) or more, was " + maxRetryCount);
        }
        if (minimumInterval.isNegative() || maximumInterval.compareTo(minimumInterval) < 0) {
            throw new IllegalArgumentException("need 0 <= minimumInterval <= maximumInterval, got "
                    + minimumInterval + " and " + maximumInterval);
        }
    }

    public static RetryPolicy exponentialBackoff(int maxRetryCount, Duration minimumInterval, Duration maximumInterval) {
        return new RetryPolicy(maxRetryCount, minimumInterval, maximumInterval, true);
    }

    public static RetryPolicy fixedDelay(int maxRetryCount, Duration delay) {
        return new RetryPolicy(maxRetryCount, delay, delay, false);
    }

    /**
     * function.json's {@code retry} object ({@code strategy} exponentialBackoff with {@code minimumInterval}
     * and {@code maximumInterval}, or fixedDelay with {@code delayInterval}); null or missing is {@link #NONE}.
     */
    public static RetryPolicy fromFunctionJson(JsonNode retry) {
        if (retry == null || retry.isMissingNode() || retry.isNull()) {
            return NONE;
        }
        String strategy = retry.path("strategy").asText("").toLowerCase(Locale.ROOT);
        int maxRetryCount = retry.path("maxRetryCount").asInt(0);
        switch (strategy) {
            case "exponentialbackoff":
                return exponentialBackoff(maxRetryCount, TimeSpans.parse(retry.path("minimumInterval").asText(null)),
                        TimeSpans.parse(retry.path("maximumInterval").asText(null)));
            case "fixeddelay":
                return fixedDelay(maxRetryCount, TimeSpans.parse(retry.path("delayInterval").asText(null)));
            default:
                throw new IllegalArgumentException("unknown retry strategy '" + retry.path("strategy").asText()
                        + "' (expected exponentialBackoff or fixedDelay)");
        }
    }

    /** Whether retry number {@code retry} (1 for the first retry) is allowed. */
    public boolean allowsRetry(int retry) {
        return maxRetryCount == -1 || retry <= maxRetryCount;
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBeforeRetry(int retry) {
        if (!exponential) {
            return minimumInterval;
        }
        int doublings = Math.min(Math.max(retry - 1, 0), 62);
        long minNanos = minimumInterval.toNanos();
        long maxNanos = maximumInterval.toNanos();
        if (minNanos == 0) {
            return Duration.ZERO;
        }
        long delay = doublings >= Long.numberOfLeadingZeros(minNanos) - 1 ? maxNanos : minNanos << doublings;
        return Duration.ofNanos(Math.min(delay, maxNanos));
    }
}
