package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.EmptyFunctionApp;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.LocalHostProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * P5, chat latency: the chat webhook through the local host (the run command's host, over the
 * local Cosmos DB server), 50 conversations at once, for the app and for an empty app with the
 * same route ({@link EmptyFunctionApp}: what the host and HTTP cost alone). Two loads: paced, each
 * conversation sending a message a second and waiting for each answer, as people chat; and back to
 * back, each sending its next message as soon as the last is answered (the host's capacity, where
 * latency is queueing). A benchmark: {@code -Dsensorchat.benchmarks=true}; see the README.
 */
@ExtendWith(LocalAzureExtension.class)
class ChatLatencyBenchmarkIT {

    private static final int CONVERSATIONS = 50;
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("sensorchat.chatLatency.warmUpSeconds", 15));
    private static final Duration PACED = Duration.ofSeconds(Long.getLong("sensorchat.chatLatency.pacedSeconds", 30));
    private static final Duration BACK_TO_BACK = Duration.ofSeconds(Long.getLong("sensorchat.chatLatency.backToBackSeconds", 20));
    private static final List<String> SCRIPT = List.of("status kiln-7", "temperature of kiln-7 last hour", "and humidity?",
            "devices", "alerts", "help");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    record Run(long answered, long failed, double seconds, double p50, double p99, double max, String firstFailure) {
        double rate() {
            return answered / seconds;
        }
    }

    @Test
    void fiftyConversationsAreAnsweredWithinFiftyMillisecondsAtP99(LocalAzure azure, @TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("sensorchat.benchmarks"), "benchmark: run with -Dsensorchat.benchmarks=true");
        Path empty = EmptyFunctionApp.writeTo(dir.resolve("empty-app"));
        List<String> rows = new ArrayList<>();
        Run oursPaced = null;
        for (String app : List.of("empty app", "sensorchat")) {
            Path appDir = app.equals("sensorchat")
                    ? Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat")) : empty;
            Files.createDirectories(dir.resolve(app.charAt(0) + ""));
            try (LocalHostProcess host = new LocalHostProcess(dir.resolve(app.charAt(0) + ""), LocalHostProcess.settings(azure, ChatDeliveries.settings(null)),
                    "chat-latency-master-key", appDir)) {
                host.start();
                if (app.equals("sensorchat")) {
                    String reading = "{\"deviceId\":\"kiln-7\",\"ts\":\"" + Instant.now().minusSeconds(60) + "\",\"metrics\":{\"temperature\":40,\"humidity\":30}}";
                    HttpResponse<String> published = http.send(HttpRequest.newBuilder(URI.create(host.eventHubUrl("telemetry")))
                            .POST(HttpRequest.BodyPublishers.ofString(reading)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(202, published.statusCode(), published.body());
                    host.awaitCaughtUp("telemetry", Duration.ofSeconds(60));
                }
                run(host.baseUrl(), WARM_UP, false); // the JIT, the connection pools and the caches
                Run paced = run(host.baseUrl(), PACED, true);
                Run backToBack = run(host.baseUrl(), BACK_TO_BACK, false);
                assertEquals(0, paced.failed() + backToBack.failed(), app + ": every message answered; first failure: "
                        + (paced.firstFailure() != null ? paced.firstFailure() : backToBack.firstFailure()));
                rows.add(String.format(Locale.ROOT, "  %-11s %7.1f %7.1f %7.1f %,9d %12.0f %7.1f %7.1f%n", app, paced.p50(), paced.p99(), paced.max(),
                        paced.answered(), backToBack.rate(), backToBack.p50(), backToBack.p99()));
                if (app.equals("sensorchat")) {
                    oursPaced = paced;
                }
            }
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "P5 chat latency: the webhook through the local host, %d conversations at once, in ms%n", CONVERSATIONS));
        report.append(String.format(Locale.ROOT, "  %-11s %23s %9s %28s%n", "", "paced: 1 message/s each", "", "back to back"));
        report.append(String.format(Locale.ROOT, "  %-11s %7s %7s %7s %9s %12s %7s %7s%n", "app", "p50", "p99", "max", "messages", "messages/s", "p50", "p99"));
        rows.forEach(report::append);
        report.append(String.format(Locale.ROOT, "  sensorchat p99, paced: %.1f ms (target <= 50 ms)  %s%n", oursPaced.p99(), oursPaced.p99() <= 50 ? "met" : "NOT met"));
        System.out.print(report);
        Files.writeString(Path.of("target", "chat-latency.txt"), report);
    }

    /** {@link #CONVERSATIONS} conversations for {@code duration}; paced: each sends at most one message a second. */
    private Run run(String base, Duration duration, boolean paced) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService people = Executors.newFixedThreadPool(CONVERSATIONS);
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        List<Future<?>> conversations = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            String conversation = "latency-" + run + "-" + c;
            long offset = TimeUnit.SECONDS.toNanos(1) * c / CONVERSATIONS; // paced: spread over each second
            conversations.add(people.submit(() -> {
                long next = started + offset;
                for (int turn = 0; System.nanoTime() < end; turn++) {
                    if (paced) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        next += TimeUnit.SECONDS.toNanos(1);
                    }
                    ChatDeliveries.Delivery delivery = ChatDeliveries.generic(UUID.randomUUID().toString(), conversation,
                            SCRIPT.get(turn % SCRIPT.size()), ChatDeliveries.Signing.VALID, Instant.now());
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/chat/generic")).timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
                    delivery.headers().forEach(request::header);
                    long sent = System.nanoTime();
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    micros.add((System.nanoTime() - sent) / 1_000);
                    if (response.statusCode() != 200 || !response.body().contains("\"text\"")) {
                        failed.incrementAndGet();
                        failures.add(response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> conversation : conversations) {
            conversation.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
        }
        people.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        assertTrue(!sorted.isEmpty(), "messages were sent");
        return new Run(sorted.size() - failed.get(), failed.get(), seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                percentile(sorted, 1.0), failures.peek());
    }

    private static double percentile(List<Long> sortedMicros, double share) {
        int index = (int) Math.min(sortedMicros.size() - 1, Math.ceil(share * sortedMicros.size()) - 1);
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }
}
