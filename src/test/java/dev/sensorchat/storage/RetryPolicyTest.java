package dev.sensorchat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.cosmos.CosmosException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    /** The SDK's exception type, with the status and headers the service would send. */
    static final class ServiceError extends CosmosException {
        ServiceError(int status, Map<String, String> headers) {
            super(status, "status " + status, headers, null);
        }
    }

    private final List<Duration> sleeps = new ArrayList<>();

    private RetryPolicy policy(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(1), CosmosErrors::retryAfter,
                sleeps::add, () -> 1.0);
    }

    /** Fails with the given errors in turn, then returns "done". */
    private static java.util.function.Supplier<String> failing(AtomicInteger calls, RuntimeException... errors) {
        return () -> {
            int call = calls.getAndIncrement();
            if (call < errors.length) {
                throw errors[call];
            }
            return "done";
        };
    }

    @Test
    void throttledCallsWaitWhatTheServiceAsksThenSucceed() {
        AtomicInteger calls = new AtomicInteger();
        var throttled = new ServiceError(429, Map.of("x-ms-retry-after-ms", "750"));

        assertEquals("done", policy(5).execute(failing(calls, throttled, throttled)));

        assertEquals(3, calls.get());
        assertEquals(List.of(Duration.ofMillis(750), Duration.ofMillis(750)), sleeps);
    }

    @Test
    void unavailableAndTimeoutBackOffExponentiallyUpToTheCap() {
        AtomicInteger calls = new AtomicInteger();
        var unavailable = new ServiceError(503, Map.of());
        var timeout = new ServiceError(408, Map.of());

        policy(6).execute(failing(calls, unavailable, timeout, unavailable, unavailable, unavailable));

        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L), sleeps.stream().map(Duration::toMillis).toList());
    }

    @Test
    void jitterKeepsEachDelayBetweenHalfAndAllOfTheBackoff() {
        RetryPolicy lowJitter = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), CosmosErrors::retryAfter,
                sleeps::add, () -> 0.0);
        assertEquals(Duration.ofMillis(200), lowJitter.delayBeforeRetry(3, Duration.ZERO));
        assertEquals(Duration.ofMillis(400), policy(3).delayBeforeRetry(3, Duration.ZERO));
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastError() {
        AtomicInteger calls = new AtomicInteger();
        var unavailable = new ServiceError(503, Map.of());

        var thrown = assertThrows(ServiceError.class,
                () -> policy(3).execute(failing(calls, unavailable, unavailable, unavailable, unavailable)));

        assertSame(unavailable, thrown);
        assertEquals(3, calls.get());
        assertEquals(2, sleeps.size());
    }

    @Test
    void finalErrorsAreNotRetried() {
        for (int status : new int[] {400, 401, 403, 404, 409, 412, 413}) {
            AtomicInteger calls = new AtomicInteger();
            assertThrows(ServiceError.class, () -> policy(5).execute(failing(calls, new ServiceError(status, Map.of()))));
            assertEquals(1, calls.get(), "status " + status);
        }
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> policy(5).execute(failing(calls, new IllegalArgumentException("bug"))));
        assertEquals(1, calls.get());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void interruptedWaitStopsRetryingAndKeepsTheInterruptFlag() {
        RetryPolicy interrupted = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), CosmosErrors::retryAfter,
                d -> {
                    throw new InterruptedException();
                }, () -> 1.0);
        AtomicInteger calls = new AtomicInteger();

        assertThrows(ServiceError.class, () -> interrupted.execute(failing(calls, new ServiceError(503, Map.of()))));

        assertTrue(Thread.interrupted(), "interrupt flag restored (and cleared here)");
        assertEquals(1, calls.get());
    }
}
