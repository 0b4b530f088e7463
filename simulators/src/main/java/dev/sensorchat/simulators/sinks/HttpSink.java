package dev.sensorchat.simulators.sinks;

import dev.sensorchat.simulators.devices.SimEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs events to an HTTP endpoint (the local host's Event Hubs endpoint): per device, in order,
 * the event bodies as NDJSON (one event per line, so a malformed body travels as it is) with
 * {@code ?partitionKey=<deviceId>}, as Event Hubs partitions by key.
 * Retries network errors, 429 and 5xx with backoff (honouring Retry-After); a 4xx is a failure.
 * Every group is tried, and a batch with a failed group ends in an exception once all are reported.
 */
public final class HttpSink implements Sink {

    private static final int MAX_ATTEMPTS = 5;

    /** The endpoint said no for good (a 4xx other than 429). */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final URI url;
    private final Outcomes outcomes;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpSink(URI url, Outcomes outcomes) {
        this.url = url;
        this.outcomes = outcomes;
    }

    @Override
    public void send(List<SimEvent> batch) throws IOException, InterruptedException {
        Map<String, List<SimEvent>> byDevice = new LinkedHashMap<>();
        batch.forEach(event -> byDevice.computeIfAbsent(event.deviceId(), id -> new ArrayList<>()).add(event));
        IOException firstFailure = null;
        for (var group : byDevice.entrySet()) {
            List<SimEvent> events = group.getValue();
            StringBuilder body = new StringBuilder(events.size() * 160);
            events.forEach(event -> body.append(event.line()).append('\n'));
            long started = System.nanoTime();
            try {
                post(body.toString(), group.getKey());
                outcomes.acknowledged(events.size(), System.nanoTime() - started);
            } catch (IOException e) {
                outcomes.failed(events.size(), e.getMessage());
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    private void post(String body, String partitionKey) throws IOException, InterruptedException {
        String separator = url.getQuery() == null ? "?" : "&";
        URI target = URI.create(url + separator + "partitionKey=" + URLEncoder.encode(partitionKey, StandardCharsets.UTF_8));
        long backoffMs = 200;
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return;
                }
                problem = "HTTP " + status;
                if (status != 429 && status < 500) {
                    throw new Refused("the endpoint refused the events: " + problem + " " + abbreviate(response.body()));
                }
                long retryAfterMs = response.headers().firstValueAsLong("Retry-After").orElse(0) * 1_000;
                backoffMs = Math.max(backoffMs, Math.min(retryAfterMs, 30_000));
            } catch (Refused e) {
                throw e;
            } catch (IOException e) {
                problem = e.toString();
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IOException("events not delivered after " + MAX_ATTEMPTS + " attempts: " + problem);
            }
            Thread.sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 5_000);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        // the JDK client has nothing to release
    }
}
