package dev.sensorchat.simulators;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live progress line: events sent, acknowledged, failed, the current rate and the simulated
 * clock. On a terminal it rewrites one line every second; otherwise (mode always) it prints a line
 * every ten seconds, which reads well in CI logs.
 */
final class Progress implements AutoCloseable {

    enum Mode { AUTO, ALWAYS, NEVER }

    private final ScheduledExecutorService ticker;
    private final Runner runner;
    private final PrintStream out;
    private final boolean terminal;
    private long lastSent;
    private long lastNanos = System.nanoTime();

    private Progress(Runner runner, PrintStream out, boolean terminal, boolean enabled) {
        this.runner = runner;
        this.out = out;
        this.terminal = terminal;
        if (!enabled) {
            this.ticker = null;
            return;
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "progress");
            thread.setDaemon(true);
            return thread;
        });
        long period = terminal ? 1 : 10;
        ticker.scheduleAtFixedRate(this::print, period, period, TimeUnit.SECONDS);
    }

    /** A running display, or a no-op one when the mode says so. */
    static Progress start(Mode mode, Runner runner, PrintStream out) {
        boolean terminal = System.console() != null;
        return new Progress(runner, out, terminal, mode == Mode.ALWAYS || (mode == Mode.AUTO && terminal));
    }

    private void print() {
        long now = System.nanoTime();
        long sent = runner.sent();
        double rate = (sent - lastSent) / ((now - lastNanos) / 1e9);
        lastSent = sent;
        lastNanos = now;
        String line = String.format(Locale.ROOT, "sent %,d | acknowledged %,d | failed %,d | %,.0f events/s | simulated %s",
                sent, runner.outcomes().acknowledged(), runner.outcomes().failed(), rate, Runner.formatSimulated(runner.simulatedNow()));
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        if (terminal) {
            out.print("\r\u001b[K");
            out.flush();
        }
    }
}
