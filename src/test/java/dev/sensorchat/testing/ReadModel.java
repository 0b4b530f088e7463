package dev.sensorchat.testing;

import dev.sensorchat.AppContext;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.Resolution;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Reads aggregates the way the query API does, for comparisons with a ground truth. */
public final class ReadModel {

    private ReadModel() {
    }

    /** Every window of one device and metric starting in [from, to), by start. */
    public static Map<Long, AggregateReader.Window> windows(AppContext app, String deviceId, String metric, Resolution resolution,
                                                             Instant from, Instant to) {
        Map<Long, AggregateReader.Window> windows = new TreeMap<>();
        String continuation = null;
        do {
            var page = app.aggregates().read(deviceId, metric, resolution, from, to, 1000, continuation);
            page.items().forEach(window -> windows.put(window.start().toEpochMilli(), window));
            continuation = page.continuation();
        } while (continuation != null);
        return windows;
    }

    /**
     * Runs {@code check} until it passes or {@code seconds} are over: a stream that went quiet in
     * another process writes what it held after its idle flush.
     */
    public static void eventually(int seconds, Runnable check) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
