package dev.sensorchat.localhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs timer-triggered functions on their NCRONTAB schedules. Like the real host, it records each
 * timer's last occurrence (in {@code <state>/timers/<function>.json}), so an occurrence fires once,
 * even across restarts; after downtime it fires once, marked past due; and {@code runOnStartup}
 * fires at start.
 */
final class TimerTriggers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Later than this after its occurrence, a run counts as past due. */
    private static final Duration PAST_DUE_AFTER = Duration.ofSeconds(30);

    private record Timer(FunctionDefinition function, TimerSchedule schedule, boolean runOnStartup, Path stateFile) {
    }

    private final List<Timer> timers = new ArrayList<>();
    private final FunctionInvoker invoker;
    private final Clock clock;
    private final PrintStream log;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("timers"));

    TimerTriggers(List<FunctionDefinition> functions, HostSettings settings, Path stateDir, FunctionInvoker invoker, Clock clock,
                  PrintStream log) {
        this.invoker = invoker;
        this.clock = clock;
        this.log = log;
        for (FunctionDefinition function : functions) {
            String where = "function '" + function.name() + "' schedule";
            String expression = settings.resolve(function.trigger().path("schedule").asText(), where);
            TimerSchedule schedule;
            try {
                schedule = new TimerSchedule(expression);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": " + e.getMessage(), e);
            }
            timers.add(new Timer(function, schedule, function.trigger().path("runOnStartup").asBoolean(false),
                    stateDir.resolve("timers").resolve(function.name() + ".json")));
        }
    }

    void start() {
        Instant now = clock.instant();
        for (Timer timer : timers) {
            Instant last = last(timer);
            if (last == null) {
                record(timer, now); // first start: from now on, no backlog
            }
            if (timer.runOnStartup()) {
                fire(timer, now, false);
            }
        }
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Fires each timer whose next occurrence has come: once, however many occurrences were missed. */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Timer timer : timers) {
            try {
                Instant last = last(timer);
                Instant next = timer.schedule().next(last == null ? now : last);
                if (next.isAfter(now)) {
                    continue;
                }
                Instant latest = timer.schedule().previous(now);
                record(timer, latest); // recorded first: an occurrence never fires twice
                fire(timer, latest, Duration.between(next, now).compareTo(PAST_DUE_AFTER) > 0);
            } catch (RuntimeException e) {
                log.println(clock.instant() + " timer " + timer.function().name() + " failed to run: " + e);
            }
        }
    }

    /** {@code POST /admin/functions/{name}}: runs it now, not past due. */
    synchronized boolean runNow(String functionName) {
        for (Timer timer : timers) {
            if (timer.function().name().equals(functionName)) {
                fire(timer, clock.instant(), false);
                return true;
            }
        }
        return false;
    }

    private void fire(Timer timer, Instant occurrence, boolean pastDue) {
        ObjectNode info = JSON.createObjectNode();
        info.putObject("Schedule").put("AdjustForDST", true);
        info.putObject("ScheduleStatus").put("Last", occurrence.toString()).put("Next", timer.schedule().next(occurrence).toString())
                .put("LastUpdated", clock.instant().toString());
        info.put("IsPastDue", pastDue);
        try {
            invoker.invoke(timer.function(), java.util.Map.of(timer.function().trigger().path("name").asText(), info.toString()), java.util.Map.of());
        } catch (FunctionInvoker.InvocationFailed e) {
            // logged by the invoker; the next occurrence runs as scheduled, as in Azure
        }
    }

    private static Instant last(Timer timer) {
        try {
            if (!Files.isRegularFile(timer.stateFile())) {
                return null;
            }
            return Instant.parse(JSON.readTree(timer.stateFile().toFile()).path("last").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void record(Timer timer, Instant occurrence) {
        try {
            Files.createDirectories(timer.stateFile().getParent());
            Path temporary = timer.stateFile().resolveSibling(timer.stateFile().getFileName() + ".tmp");
            Files.writeString(temporary, JSON.createObjectNode().put("last", occurrence.toString()).toString());
            Files.move(temporary, timer.stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
