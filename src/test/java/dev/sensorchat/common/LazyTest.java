package dev.sensorchat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void buildsOnceEvenWhenManyThreadsAskAtOnce() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Lazy<Object> lazy = new Lazy<>(() -> {
            builds.incrementAndGet();
            return new Object();
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return lazy.get();
                }));
            }
            go.countDown();
            Object first = results.get(0).get();
            for (Future<Object> result : results) {
                assertSame(first, result.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, builds.get());
    }

    @Test
    void aFailedBuildIsRetriedOnTheNextCall() {
        AtomicInteger attempts = new AtomicInteger();
        Lazy<String> lazy = new Lazy<>(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("dependency down at cold start");
            }
            return "client";
        });

        assertThrows(IllegalStateException.class, lazy::get);
        assertFalse(lazy.isBuilt());
        assertEquals("client", lazy.get());
        assertTrue(lazy.isBuilt());
        assertEquals(2, attempts.get());
    }
}
