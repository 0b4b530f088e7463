package dev.sensorchat.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthServiceTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @Test
    void healthyWhenEveryCheckPasses() {
        HealthReport report = new HealthService("1.2.3", List.of(
                new DependencyCheck("a", () -> { }),
                new DependencyCheck("b", () -> { })), TIMEOUT).check();

        assertTrue(report.healthy());
        assertEquals("healthy", report.status());
        assertEquals("1.2.3", report.version());
        assertNull(report.dependencies().get(0).error());
    }

    @Test
    void aFailingCheckReportsItsFirstLineOnly() {
        HealthReport report = new HealthService("v", List.of(
                new DependencyCheck("ok", () -> { }),
                new DependencyCheck("broken", () -> {
                    throw new IllegalStateException("Cosmos DB answered 401\n{huge diagnostics json}");
                })), TIMEOUT).check();

        assertFalse(report.healthy());
        assertEquals("unhealthy", report.status());
        DependencyStatus broken = report.dependencies().get(1);
        assertEquals("broken", broken.name());
        assertEquals("Cosmos DB answered 401", broken.error());
        assertTrue(report.dependencies().get(0).healthy(), "one failure does not hide the others");
    }

    @Test
    void aHungCheckIsReportedAtTheTimeoutAndNotStartedTwice() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        HealthService service = new HealthService("v", List.of(
                new DependencyCheck("hung", () -> {
                    started.incrementAndGet();
                    release.await();
                }),
                new DependencyCheck("fast", () -> { })), TIMEOUT);

        long start = System.nanoTime();
        HealthReport first = service.check();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        HealthReport second = service.check();

        assertTrue(elapsedMs < TIMEOUT.toMillis() + 500, "returned after " + elapsedMs + " ms");
        assertEquals("no answer within 300 ms", first.dependencies().get(0).error());
        assertTrue(first.dependencies().get(1).healthy());
        assertFalse(second.healthy());
        assertEquals(1, started.get(), "the second call waited on the running check instead of starting another");

        release.countDown();
        Thread.sleep(50);
        assertTrue(service.check().healthy(), "once it finishes, the next call runs a fresh check");
        assertEquals(2, started.get());
    }
}
