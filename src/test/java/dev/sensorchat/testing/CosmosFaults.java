package dev.sensorchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fault injection into the local Cosmos DB server, for resilience tests: its compatibility layer
 * answers data-plane requests with 429 or 503, or drops their connections, for a while; and its
 * process can be paused (SIGSTOP) and resumed (SIGCONT), keeping its in-memory data.
 *
 * <p>Faults are server-wide: they hit every client of the shared server, so tests that use them
 * must not run concurrently with other Cosmos DB tests (the build runs test classes one after
 * another). Every fault expires by itself; {@link LocalAzureExtension} also switches faults off
 * and resumes the server after each test class that used them.
 *
 * <p>Only the npm servers support this. With the official emulator (Docker) every method but
 * {@link #isSupported()} throws {@link UnsupportedOperationException}.
 */
public final class CosmosFaults {

    /** What a faulty request gets. */
    public enum Mode {
        /** 429 TooManyRequests, substatus 3200, with x-ms-retry-after-ms: the SDK retries these itself. */
        THROTTLE,
        /** 503 ServiceUnavailable. */
        UNAVAILABLE,
        /** The connection is destroyed without a response. */
        DROP
    }

    /**
     * A fault to inject.
     *
     * @param mode           what failing requests get
     * @param duration       how long the fault lasts; it then switches itself off
     * @param ratio          share of requests that fail, in (0, 1]; deterministic (0.5: every second one)
     * @param retryAfter     the retry-after hint of a throttle
     * @param executedFirst  false: requests fail before the server looks at them (nothing written,
     *                       as with real 429s); true: the server executes the request, then the
     *                       client gets the 503 or the dropped connection instead of the answer
     *                       (an in-doubt write). Not for throttles.
     * @param allRequests    false: only document requests (point operations, queries, change
     *                       feed, batches); true: also account, database, collection and
     *                       partition-key-range metadata
     */
    public record Fault(Mode mode, Duration duration, double ratio, Duration retryAfter,
                        boolean executedFirst, boolean allRequests) {

        public Fault {
            Objects.requireNonNull(mode, "mode");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive");
            }
            if (!(ratio > 0 && ratio <= 1)) {
                throw new IllegalArgumentException("ratio must be in (0, 1]");
            }
            if (executedFirst && mode == Mode.THROTTLE) {
                throw new IllegalArgumentException("a throttled request is never executed");
            }
        }

        public static Fault of(Mode mode, Duration duration) {
            return new Fault(mode, duration, 1.0, Duration.ofMillis(100), false, false);
        }

        public Fault ratio(double newRatio) {
            return new Fault(mode, duration, newRatio, retryAfter, executedFirst, allRequests);
        }

        public Fault retryAfter(Duration hint) {
            return new Fault(mode, duration, ratio, hint, executedFirst, allRequests);
        }

        /** The server executes the request and only then fails it: the client cannot know whether it was applied. */
        public Fault afterExecution() {
            return new Fault(mode, duration, ratio, retryAfter, true, allRequests);
        }

        public Fault includingMetadata() {
            return new Fault(mode, duration, ratio, retryAfter, executedFirst, true);
        }
    }

    /** Faults injected since the server started. Subtract an earlier snapshot to count one phase. */
    public record Injected(long throttled, long unavailable, long dropped) {

        public long total() {
            return throttled + unavailable + dropped;
        }

        public Injected minus(Injected earlier) {
            return new Injected(throttled - earlier.throttled, unavailable - earlier.unavailable, dropped - earlier.dropped);
        }
    }

    /**
     * One fault, from its command to its end.
     *
     * @param seen            requests in scope while it was on
     * @param injected        of those, the ones that failed
     * @param endedAt         null while it is on
     * @param firstInjectedAt null until a request failed
     * @param lastInjectedAt  null until a request failed; where a measurement of recovery starts
     */
    public record Window(Mode mode, Instant startedAt, Instant expiresAt, Instant endedAt, long seen, long injected,
                         Instant firstInjectedAt, Instant lastInjectedAt) {
    }

    /**
     * @param current the fault that is on, or null
     * @param last    the previous fault, when none is on (null if there was none)
     */
    public record State(boolean active, Duration remaining, Injected injected, Window current, Window last) {
    }

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    private final URI admin;
    private final ProcessHandle server;
    private final String unsupportedReason;
    private final HttpClient http;
    private volatile boolean paused;
    private volatile boolean used;
    private volatile long pausedAtNanos;

    private CosmosFaults(URI admin, ProcessHandle server, String unsupportedReason) {
        this.admin = admin;
        this.server = server;
        this.unsupportedReason = unsupportedReason;
        this.http = admin == null ? null : HttpClient.newBuilder().connectTimeout(ADMIN_TIMEOUT).build();
    }

    /** The npm server's fault switch at {@code admin}; {@code server} is its process. */
    static CosmosFaults of(URI admin, ProcessHandle server) {
        return new CosmosFaults(Objects.requireNonNull(admin), Objects.requireNonNull(server), null);
    }

    /** For servers without a fault switch, such as the official emulator. */
    static CosmosFaults unsupported(String reason) {
        return new CosmosFaults(null, null, reason);
    }

    public boolean isSupported() {
        return unsupportedReason == null;
    }

    /** The npm server's process (its CPU, for the benchmarks), or empty for other servers. */
    public java.util.Optional<ProcessHandle> serverProcess() {
        return java.util.Optional.ofNullable(server);
    }

    /** The server process's id (what {@link #pause()} stops). */
    public long pid() {
        requireSupported();
        return server.pid();
    }

    public State throttle(Duration duration) {
        return inject(Fault.of(Mode.THROTTLE, duration));
    }

    public State unavailable(Duration duration) {
        return inject(Fault.of(Mode.UNAVAILABLE, duration));
    }

    public State dropConnections(Duration duration) {
        return inject(Fault.of(Mode.DROP, duration));
    }

    /** Switches {@code fault} on, replacing any fault that is on; it switches itself off after its duration. */
    public State inject(Fault fault) {
        ObjectNode command = Json.MAPPER.createObjectNode()
                .put("mode", fault.mode().name().toLowerCase(Locale.ROOT))
                .put("forMs", Math.max(1, fault.duration().toMillis()))
                .put("ratio", fault.ratio())
                .put("retryAfterMs", fault.retryAfter().toMillis())
                .put("phase", fault.executedFirst() ? "after" : "before")
                .put("scope", fault.allRequests() ? "all" : "documents");
        used = true;
        return send("POST", command.toString());
    }

    /** Switches injected faults off now (the server is left paused if it is). */
    public State off() {
        return send("POST", "{\"mode\":\"off\"}");
    }

    public State state() {
        return send("GET", null);
    }

    public Injected injected() {
        return state().injected();
    }

    /**
     * Stops the server process (SIGSTOP). Its connections stay open and its data stays in memory;
     * requests wait in the kernel's buffers until {@link #resume()}. The fault switch does not
     * answer meanwhile.
     */
    public synchronized void pause() {
        requireSupported();
        if (!paused) {
            used = true;
            signal("STOP");
            pausedAtNanos = System.nanoTime();
            paused = true;
        }
    }

    /** Continues the server process (SIGCONT). Returns how long it was paused (zero if it was not). */
    public synchronized Duration resume() {
        requireSupported();
        if (!paused) {
            return Duration.ZERO;
        }
        signal("CONT");
        paused = false;
        return Duration.ofNanos(System.nanoTime() - pausedAtNanos);
    }

    /** Pauses now and resumes after {@code duration}, without blocking the caller. */
    public CompletableFuture<Duration> pauseFor(Duration duration) {
        pause();
        return CompletableFuture.supplyAsync(this::resume,
                CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS));
    }

    public boolean isPaused() {
        return paused;
    }

    /** Resumes the server and switches faults off, if this helper was used at all. */
    void reset() {
        if (isSupported() && used) {
            resume();
            off();
            used = false;
        }
    }

    private void signal(String signal) {
        if (System.getProperty("os.name").startsWith("Windows")) {
            throw new UnsupportedOperationException("Pausing the Cosmos DB server needs POSIX signals (SIGSTOP/SIGCONT)");
        }
        if (!server.isAlive()) {
            throw new IllegalStateException("The Cosmos DB server process " + server.pid() + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + server.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling the Cosmos DB server", e);
        }
    }

    private State send(String method, String body) {
        requireSupported();
        if (paused) {
            throw new IllegalStateException("The Cosmos DB server is paused, so its fault switch cannot answer: resume() first");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(admin).timeout(ADMIN_TIMEOUT)
                .header("content-type", "application/json");
        request = body == null ? request.GET() : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("The fault switch refused " + body + ": " + json.path("error").asText());
            }
            return stateFrom(json);
        } catch (IOException e) {
            throw new UncheckedIOException("The Cosmos DB fault switch at " + admin + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while talking to the fault switch", e);
        }
    }

    private void requireSupported() {
        if (!isSupported()) {
            throw new UnsupportedOperationException("Cosmos DB fault injection is not supported here: " + unsupportedReason);
        }
    }

    private static State stateFrom(JsonNode json) {
        JsonNode counts = json.path("injected");
        Injected injected = new Injected(counts.path("throttle").asLong(), counts.path("unavailable").asLong(),
                counts.path("drop").asLong());
        return new State(json.path("active").asBoolean(), Duration.ofMillis(json.path("remainingMs").asLong()), injected,
                windowFrom(json.path("current")), windowFrom(json.path("last")));
    }

    private static Window windowFrom(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return null;
        }
        return new Window(Mode.valueOf(json.path("mode").asText().toUpperCase(Locale.ROOT)),
                instant(json.path("startedAt")), instant(json.path("expiresAt")), instant(json.path("endedAt")),
                json.path("seen").asLong(), json.path("injected").asLong(),
                instant(json.path("firstInjectedAt")), instant(json.path("lastInjectedAt")));
    }

    private static Instant instant(JsonNode epochMillis) {
        return epochMillis.isNumber() ? Instant.ofEpochMilli(epochMillis.asLong()) : null;
    }

    @Override
    public String toString() {
        return isSupported() ? "CosmosFaults[" + admin + ", pid " + server.pid() + "]" : "CosmosFaults[unsupported]";
    }
}
