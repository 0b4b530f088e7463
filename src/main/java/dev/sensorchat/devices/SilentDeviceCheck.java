package dev.sensorchat.devices;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.storage.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds devices that stopped reporting and opens one {@code offline} alert for each; the alert
 * follows the usual lifecycle (acknowledge, resolve, notifications) and the device's next reading
 * resolves it. Running twice, or on two instances at once, opens nothing twice.
 *
 * <p>Why it looks like this: the check shares Cosmos DB with the telemetry path, and a whole fleet
 * can fall silent at once (an outage upstream makes 100,000 devices silent in one run). So
 * <ul>
 *   <li>the query returns only devices whose silence has no alert yet (devices already offline are
 *       filtered out by the index, not read every run) and only the fields needed, with the ETag:
 *       per device that leaves two writes, create the alert and patch the device against that
 *       ETag, and no read;</li>
 *   <li>a run deals with at most {@code budget} devices ({@code SILENT_DEVICES_MAX_PER_RUN}), the
 *       longest silent first, and says how many more are pending: the next runs continue, so a
 *       run's load on the database is bounded whatever the fleet;</li>
 *   <li>its writes go out {@code concurrency} at a time, on threads of its own (never the telemetry
 *       writers'): fast enough for the budget, too few to crowd out the telemetry writes. Cosmos DB's
 *       bulk mode would send more per second, which here is the wrong goal; and each device's
 *       writes are in two containers (alerts, devices), so a transactional batch cannot hold them.</li>
 * </ul>
 * Exactly once comes from the alert id (device and last-seen time: a second create is a 409) and
 * from the ETag-checked patch (a device is told once; a changed one is read and decided again).
 */
public final class SilentDeviceCheck {

    /** Devices a run deals with when {@code SILENT_DEVICES_MAX_PER_RUN} is not set. */
    public static final int DEFAULT_BUDGET = 2_000;
    /** Writes in flight at once. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** Device ids named in the log line of a run, at most. */
    private static final int NAMED = 10;
    private static final int MAX_PAGE = 1_000;

    /**
     * What one run found and did.
     *
     * @param silent  devices past their silence deadline, offline alert or not
     * @param opened  the offline alerts this run opened
     * @param pending silent devices left for the next runs (over the budget, or failed)
     * @param failed  devices whose writes failed (after the store's retries); the next run retries them
     * @param firstFailure the first of those failures, null when none
     */
    public record Result(int silent, List<AlertDocument> opened, int pending, int failed, RuntimeException firstFailure) {

        /** The run's log line: {@code silent=3 opened=1 devices=[boiler-1]}, and what is left. */
        public String summary(int budget) {
            StringBuilder text = new StringBuilder("silent=").append(silent).append(" opened=").append(opened.size());
            if (!opened.isEmpty()) {
                List<String> ids = opened.stream().limit(NAMED).map(AlertDocument::deviceId).toList();
                text.append(" devices=").append(ids);
                if (opened.size() > NAMED) {
                    text.setLength(text.length() - 1);
                    text.append(", and ").append(opened.size() - NAMED).append(" more]");
                }
            }
            if (pending > 0) {
                text.append("; ").append(pending).append(" more pending (at most ").append(budget).append(" a run)");
            }
            if (failed > 0) {
                text.append("; ").append(failed).append(" failed: ").append(firstFailure);
            }
            return text.toString();
        }
    }

    private final DeviceRegistry devices;
    private final AlertLedger alerts;
    private final Severity severity;
    private final Clock clock;
    private final int budget;
    private final int concurrency;

    public SilentDeviceCheck(DeviceRegistry devices, AlertLedger alerts, Severity severity, Clock clock) {
        this(devices, alerts, severity, clock, DEFAULT_BUDGET, DEFAULT_CONCURRENCY);
    }

    /**
     * @param budget      devices a run deals with at most; the rest wait for the next run
     * @param concurrency writes in flight at once
     */
    public SilentDeviceCheck(DeviceRegistry devices, AlertLedger alerts, Severity severity, Clock clock, int budget, int concurrency) {
        if (budget < 1 || concurrency < 1) {
            throw new IllegalArgumentException("budget and concurrency must be positive");
        }
        this.devices = devices;
        this.alerts = alerts;
        this.severity = severity;
        this.clock = clock;
        this.budget = budget;
        this.concurrency = concurrency;
    }

    public int budget() {
        return budget;
    }

    public Result run() {
        Instant now = clock.instant();
        List<DeviceRegistry.SilentCandidate> due = new ArrayList<>();
        int notYet = 0;
        boolean overBudget = false;
        String continuation = null;
        do {
            Page<DeviceRegistry.SilentCandidate> page = devices.silentCandidates(now, Math.min(MAX_PAGE, budget - due.size()), continuation);
            for (DeviceRegistry.SilentCandidate device : page.items()) {
                // The stored deadline was computed at the last reading; the policy may have changed since.
                Instant deadline = devices.silence().silentAfter(device.deviceId(), device.tags(), device.lastSeen(), device.intervalMs());
                if (deadline == null || !deadline.isBefore(now)) {
                    notYet++;
                } else if (due.size() == budget) {
                    overBudget = true;
                    break;
                } else {
                    due.add(device);
                }
            }
            continuation = page.continuation();
            overBudget |= due.size() == budget && continuation != null;
        } while (continuation != null && !overBudget);

        List<AlertDocument> opened = new ArrayList<>();
        int failed = 0;
        RuntimeException firstFailure = null;
        ExecutorService writers = due.isEmpty() ? null : writers(Math.min(concurrency, due.size()));
        try {
            List<Future<Optional<AlertDocument>>> outcomes = new ArrayList<>(due.size());
            for (DeviceRegistry.SilentCandidate device : due) {
                outcomes.add(writers.submit(() -> alerts.openOffline(device, severity)));
            }
            for (Future<Optional<AlertDocument>> outcome : outcomes) {
                try {
                    outcome.get().ifPresent(opened::add);
                } catch (ExecutionException e) {
                    failed++; // the next run sees the device again: nothing was marked, or the alert's 409 says it is open
                    if (firstFailure == null) {
                        firstFailure = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening offline alerts", e);
        } finally {
            if (writers != null) {
                writers.shutdownNow();
            }
        }
        // Devices the policy no longer counts as silent were seen, not dealt with: they are in both counts.
        int silent = (int) Math.max(0, devices.countSilent(now) - notYet);
        int pending = overBudget ? (int) Math.max(0, devices.countSilentCandidates(now) - notYet) : failed;
        return new Result(silent, List.copyOf(opened), pending, failed, firstFailure);
    }

    /** Threads of the run's own: the telemetry writers are never kept waiting behind the check. */
    private static ExecutorService writers(int count) {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newFixedThreadPool(count, task -> {
            Thread thread = new Thread(task, "silent-devices-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
