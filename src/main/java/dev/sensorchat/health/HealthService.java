package dev.sensorchat.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every dependency check in parallel, each bounded by the same timeout, so one hung
 * dependency can neither hide the others nor hold the caller past the timeout. A check that
 * overruns is left to finish rather than interrupted (interrupting the SDK mid-connect would
 * spoil the client it is building), and the next health call waits on that same check instead
 * of piling up another.
 */
public final class HealthService {

    private static final int MAX_ERROR_LENGTH = 300;

    private final String version;
    private final List<DependencyCheck> checks;
    private final Duration timeout;
    private final Map<String, Future<Long>> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "health-check");
        thread.setDaemon(true);
        return thread;
    });

    public HealthService(String version, List<DependencyCheck> checks, Duration timeout) {
        this.version = version;
        this.checks = List.copyOf(checks);
        this.timeout = timeout;
    }

    public HealthReport check() {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<Long>> running = new ArrayList<>();
        for (DependencyCheck check : checks) {
            running.add(inFlight.compute(check.name(), (name, previous) ->
                    previous != null && !previous.isDone() ? previous : executor.submit(() -> {
                        long start = System.nanoTime();
                        check.probe().run();
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    })));
        }
        List<DependencyStatus> statuses = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            statuses.add(await(checks.get(i).name(), running.get(i), deadline));
        }
        return new HealthReport(version, statuses);
    }

    private DependencyStatus await(String name, Future<Long> check, long deadline) {
        try {
            long latency = check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new DependencyStatus(name, true, latency, null);
        } catch (TimeoutException e) {
            return new DependencyStatus(name, false, timeout.toMillis(), "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new DependencyStatus(name, false, timeout.toMillis() - remainingMillis(deadline), describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DependencyStatus(name, false, 0, "health check interrupted");
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static String describe(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String firstLine = message.lines().findFirst().orElse("").strip();
        return firstLine.length() > MAX_ERROR_LENGTH ? firstLine.substring(0, MAX_ERROR_LENGTH) + "..." : firstLine;
    }
}
