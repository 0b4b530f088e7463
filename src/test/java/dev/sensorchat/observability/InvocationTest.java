package dev.sensorchat.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class InvocationTest {

    private static final Logger FALLBACK = Logger.getLogger("fallback");

    @Test
    void workOnAnotherThreadCountsForTheInvocationThatSubmittedIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var writers = Invocation.propagating(pool);
            Logger functionLog = Logger.getLogger("Function.test");
            try (Invocation invocation = Invocation.open("inv-1", functionLog)) {
                CompletableFuture.runAsync(() -> {
                    assertEquals("inv-1", Invocation.currentId());
                    assertSame(functionLog, Invocation.logger(FALLBACK));
                    Invocation.current().orElseThrow().store().request("telemetry", 5.0, 0);
                    Invocation.current().orElseThrow().store().write("telemetry", 1, 900);
                }, writers).get();
                assertEquals(1, invocation.store().total().requests());
                assertEquals(900, invocation.store().of("telemetry").writeBytes());
                assertEquals(5.0, invocation.store().total().modelledRu(), 1e-9);
            }
            assertNull(Invocation.currentId(), "closed: the thread works for no invocation");
            CompletableFuture.runAsync(() -> {
                assertNull(Invocation.currentId(), "a pool thread does not keep the last invocation it ran for");
                assertSame(FALLBACK, Invocation.logger(FALLBACK));
            }, writers).get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reopeningTheSameInvocationSharesItsCountsAndClosingRestoresTheOuter() {
        Logger log = Logger.getLogger("Function.test");
        try (Invocation outer = Invocation.open("inv-2", log)) {
            try (Invocation inner = Invocation.open("inv-2", log)) {
                inner.store().request("alerts", 1, 2.5);
            }
            assertSame(outer, Invocation.current().orElseThrow());
            assertEquals(2.5, outer.store().total().chargedRu(), 1e-9, "counted in the outer invocation");
            try (Invocation other = Invocation.open("inv-3", log)) {
                assertEquals(0, other.store().total().requests());
            }
            assertEquals("inv-2", Invocation.currentId());
        }
    }
}
