package dev.sensorchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.chat.channels.OutboundMessage;
import dev.sensorchat.common.Json;
import dev.sensorchat.common.Lazy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends messages to the platforms' APIs (notifications, and replies that do not go in the webhook
 * response), retrying with backoff on network errors, 429 and
 * 5xx (honouring Retry-After). One HTTP client per process. URLs are never logged or put in
 * exception messages: they may hold tokens.
 */
public final class OutboundSender {

    private static final int MAX_ATTEMPTS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Sending failed for good. */
    public static final class DeliveryFailed extends RuntimeException {
        public DeliveryFailed(String message) {
            super(message);
        }
    }

    /** Built at the first send: most webhooks answer in their responses, so a cold start need not build it (nor its selector thread). */
    private final Lazy<HttpClient> client = new Lazy<>(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());

    public void send(OutboundMessage message) {
        Duration backoff = FIRST_BACKOFF;
        String lastProblem = "";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(message.url()))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", message.contentType())
                        .POST(HttpRequest.BodyPublishers.ofString(message.body()));
                message.headers().forEach(request::header);
                HttpResponse<String> response = client.get().send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    refusedInBody(response.body()).ifPresent(error -> {
                        throw new DeliveryFailed("the platform refused the message: " + error);
                    });
                    return;
                }
                lastProblem = "status " + status;
                if (status != 429 && status < 500) {
                    throw new DeliveryFailed("the platform refused the notification: " + lastProblem);
                }
                backoff = retryAfter(response).orElse(backoff);
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryFailed("interrupted");
            }
            if (attempt < MAX_ATTEMPTS) {
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
        throw new DeliveryFailed("notification not delivered after " + MAX_ATTEMPTS + " attempts: " + lastProblem);
    }

    /**
     * Slack's Web API answers 200 with {@code {"ok": false, "error": "channel_not_found"}}; Telegram
     * uses the same field. Such an answer is a refusal, not a delivery.
     */
    static Optional<String> refusedInBody(String body) {
        if (body == null || !body.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode answer = Json.MAPPER.readTree(body);
            if (answer.path("ok").isBoolean() && !answer.get("ok").asBoolean()) {
                return Optional.of(answer.path("error").asText(answer.path("description").asText("ok is false")));
            }
        } catch (IOException notJson) {
            // not an API answer we know: the status decides
        }
        return Optional.empty();
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(min(Duration.ofSeconds(Long.parseLong(value.strip())), MAX_BACKOFF));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailed("interrupted");
        }
    }
}
