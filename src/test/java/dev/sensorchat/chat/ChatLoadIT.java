package dev.sensorchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.functions.ChatWebhook;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Signing;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chat under load (R6): 100 conversations at once, each sending its next message as soon as
 * the last is answered, for 60 seconds ({@code -Dsensorchat.chatLoad.seconds} to change it),
 * through the webhook function and the real local Cosmos DB server. Every message must be
 * answered 200, and each conversation's follow-up state must hold. The rate and latencies are
 * printed for the README, not asserted.
 */
@ExtendWith(LocalAzureExtension.class)
class ChatLoadIT {

    private static final int CONVERSATIONS = 100;
    private static final List<String> SCRIPT = List.of("status kiln-7", "temperature of kiln-7 last hour", "and humidity?",
            "devices", "alerts", "help", "subscriptions");

    @Test
    void a100ConversationsAtOnceAreAllAnswered(LocalAzure azure) throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("sensorchat.chatLoad.seconds", 60));
        try (AppContext app = azure.newAppContext(ChatDeliveries.settings(null))) {
            String reading = "{\"deviceId\":\"kiln-7\",\"ts\":\"" + Instant.now().minusSeconds(60) + "\",\"metrics\":{\"temperature\":40,\"humidity\":30}}";
            app.eventHubBatches().process("telemetry", "0", List.of(new EventHubBatchProcessor.Event(reading, 1, Instant.now(), "0", "kiln-7")));
            app.telemetryStreams().flushIdle();
            ChatWebhook webhook = new ChatWebhook(app);
            String run = UUID.randomUUID().toString().substring(0, 6);

            AtomicLong answered = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
            ExecutorService users = Executors.newFixedThreadPool(CONVERSATIONS);
            CountDownLatch done = new CountDownLatch(CONVERSATIONS);
            long end = System.nanoTime() + duration.toNanos();
            for (int c = 0; c < CONVERSATIONS; c++) {
                String conversation = "load-" + run + "-" + c;
                users.submit(() -> {
                    try {
                        for (int turn = 0; System.nanoTime() < end; turn++) {
                            String text = SCRIPT.get(turn % SCRIPT.size());
                            long started = System.nanoTime();
                            HttpResponseMessage response = webhook.deliver(ChatDeliveries.generic(UUID.randomUUID().toString(), conversation,
                                    text, Signing.VALID, Instant.now()));
                            latenciesMicros.add((System.nanoTime() - started) / 1_000);
                            JsonNode body = response.getStatusCode() == 200 ? Json.MAPPER.readTree((String) response.getBody()) : null;
                            if (body == null || !body.hasNonNull("text")) {
                                failures.add(conversation + " '" + text + "': " + response.getStatusCode() + " " + response.getBody());
                            } else if (text.equals("and humidity?") && !body.get("text").asText().contains("**humidity** of `kiln-7`")) {
                                failures.add(conversation + ": the follow-up lost its context: " + body.get("text").asText());
                            } else {
                                answered.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        failures.add(conversation + ": " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(duration.toSeconds() + 120, TimeUnit.SECONDS), "every conversation finished");
            users.shutdown();

            List<Long> sorted = new ArrayList<>(latenciesMicros);
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "CHAT LOAD: %d conversations for %d s: %d messages answered, %.1f messages/s, "
                            + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed%n",
                    CONVERSATIONS, duration.toSeconds(), answered.get(), answered.get() / (double) duration.toSeconds(),
                    percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0), failures.size());
            assertEquals(List.of(), failures.stream().limit(10).toList(), failures.size() + " messages failed");
            assertTrue(answered.get() >= CONVERSATIONS * 2L, "each conversation got a few turns: " + answered.get());
            long stored = app.store(Containers.CONVERSATIONS, ConversationDocument.class)
                    .query(dev.sensorchat.storage.SqlQuery.of("SELECT VALUE COUNT(1) FROM c WHERE STARTSWITH(c.id, @prefix)")
                            .with("@prefix", "generic:load-" + run), Long.class).get(0);
            assertEquals(CONVERSATIONS, stored, "one document per conversation");
        }
    }

    private static double percentile(List<Long> sortedMicros, double share) {
        if (sortedMicros.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sortedMicros.size() - 1, Math.ceil(share * sortedMicros.size()) - 1);
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }
}
