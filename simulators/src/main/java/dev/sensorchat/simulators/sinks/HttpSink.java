package dev.sensorchat.simulators.sinks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * POSTs events to an HTTP endpoint (the local host's Event Hubs endpoint), in one of two formats:
 * <ul>
 * <li>{@link Format#NDJSON}: per device, in order, the event bodies as NDJSON (one event per line, so
 *     a malformed body travels as it is) with {@code ?partitionKey=<deviceId>}, as Event Hubs partitions
 *     by key. One request per device per send: what many small devices posting directly look like.</li>
 * <li>{@link Format#BATCH}: Event Hubs' REST batch ({@code application/vnd.microsoft.servicebus.json},
 *     "Send batch events"): one request carries many devices' events, each message
 *     {@code {"Body": "<event>", "BrokerProperties": {"PartitionKey": "<deviceId>"}}}, up to
 *     {@link #MAX_BATCH_BYTES} a request (Event Hubs' limit for a batch). What a gateway or a
 *     field aggregator sends.</li>
 * </ul>
 *
 * <p>Devices are spread over {@code streams} concurrent senders by a hash of their id, so one
 * device's events stay in order while the endpoint is driven at its capacity, not at one request
 * round trip at a time. Retries network errors, 429 and 5xx with backoff (honouring Retry-After);
 * a 4xx is a failure. Every group is tried, and a batch with a failed group ends in an exception
 * once all are reported.
 */
public final class HttpSink implements Sink {

    private static final int MAX_ATTEMPTS = 5;

    /** How events are put into requests. */
    public enum Format { NDJSON, BATCH }

    /** The largest batch body: Event Hubs takes 1 MB a batch (Standard tier). */
    public static final int MAX_BATCH_BYTES = 1024 * 1024;

    private static final String BATCH_CONTENT_TYPE = "application/vnd.microsoft.servicebus.json";

    /** The endpoint said no for good (a 4xx other than 429). */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** Concurrent senders unless told otherwise: the local host's default partition count. */
    public static final int DEFAULT_STREAMS = 4;

    private final URI url;
    private final Outcomes outcomes;
    private final int streams;
    private final Format format;
    /** Why events that were never sent because the run stopped failed. */
    static final String NOT_SENT_AT_STOP = "not sent: the run was stopped";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService senders;
    private volatile boolean stopping;
    private volatile long stopDeadline;

    public HttpSink(URI url, Outcomes outcomes) {
        this(url, outcomes, DEFAULT_STREAMS, Format.NDJSON);
    }

    public HttpSink(URI url, Outcomes outcomes, int streams, Format format) {
        this.format = Objects.requireNonNull(format, "format");
        if (streams < 1) {
            throw new IllegalArgumentException("streams must be at least 1");
        }
        this.url = url;
        this.outcomes = outcomes;
        this.streams = streams;
        this.senders = Executors.newFixedThreadPool(streams, runnable -> {
            Thread thread = new Thread(runnable, "http-sink");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void send(List<SimEvent> batch) throws IOException, InterruptedException {
        List<Map<String, List<SimEvent>>> byStream = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            byStream.add(new LinkedHashMap<>());
        }
        batch.forEach(event -> byStream.get(Math.floorMod(event.deviceId().hashCode(), streams))
                .computeIfAbsent(event.deviceId(), id -> new ArrayList<>()).add(event));
        List<Future<IOException>> sending = new ArrayList<>();
        for (Map<String, List<SimEvent>> devices : byStream) {
            if (!devices.isEmpty()) {
                sending.add(senders.submit(() -> sendInOrder(devices)));
            }
        }
        IOException firstFailure = null;
        for (Future<IOException> stream : sending) {
            try {
                IOException failure = stream.get();
                firstFailure = firstFailure == null ? failure : firstFailure;
            } catch (ExecutionException e) {
                throw new IOException("a sender failed", e.getCause());
            } catch (InterruptedException e) {
                sending.forEach(other -> other.cancel(true));
                throw e;
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    @Override
    public void stopBy(long deadlineNanos) {
        stopDeadline = deadlineNanos;
        stopping = true;
    }

    private boolean pastStop(long extraNanos) {
        return stopping && System.nanoTime() + extraNanos - stopDeadline >= 0;
    }

    /** One POST: its body, the partition key for the query (null: the messages name theirs), its events. */
    private record Request(String body, String partitionKey, String contentType, List<SimEvent> events) {
    }

    /** One stream's requests: a device's events in one NDJSON request, or many devices' in Event Hubs batches. */
    private List<Request> requests(Map<String, List<SimEvent>> byDevice) {
        List<Request> requests = new ArrayList<>();
        if (format == Format.NDJSON) {
            byDevice.forEach((deviceId, events) -> {
                StringBuilder body = new StringBuilder(events.size() * 160);
                events.forEach(event -> body.append(event.line()).append('\n'));
                requests.add(new Request(body.toString(), deviceId, "application/x-ndjson", events));
            });
            return requests;
        }
        List<SimEvent> events = new ArrayList<>();
        StringBuilder body = new StringBuilder(64 * 1024).append('[');
        long bytes = 2; // the brackets
        for (var device : byDevice.entrySet()) {
            for (SimEvent event : device.getValue()) {
                String message = batchMessage(event.line(), device.getKey());
                long messageBytes = utf8Length(message) + 1; // and a comma
                if (!events.isEmpty() && bytes + messageBytes > MAX_BATCH_BYTES) {
                    requests.add(new Request(body.append(']').toString(), null, BATCH_CONTENT_TYPE, events));
                    events = new ArrayList<>();
                    body.setLength(0);
                    body.append('[');
                    bytes = 2;
                }
                body.append(events.isEmpty() ? "" : ",").append(message);
                bytes += messageBytes;
                events.add(event);
            }
        }
        if (!events.isEmpty()) {
            requests.add(new Request(body.append(']').toString(), null, BATCH_CONTENT_TYPE, events));
        }
        return requests;
    }

    private static String batchMessage(String event, String deviceId) {
        JsonStringEncoder json = JsonStringEncoder.getInstance();
        return "{\"Body\":\"" + new String(json.quoteAsString(event)) + "\",\"BrokerProperties\":{\"PartitionKey\":\""
                + new String(json.quoteAsString(deviceId)) + "\"}}";
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4 bytes
        }
        return bytes;
    }

    /**
     * One stream's requests, one after another; the first failure, or null. Interrupted (the run stopped),
     * the request waiting for an answer is abandoned unreported (the endpoint may have taken it) and the
     * requests after it are reported as not sent.
     */
    private IOException sendInOrder(Map<String, List<SimEvent>> byDevice) throws InterruptedException {
        IOException firstFailure = null;
        boolean abandoned = false;
        for (Request request : requests(byDevice)) {
            List<SimEvent> events = request.events();
            if (abandoned || pastStop(0)) {
                outcomes.failed(events.size(), NOT_SENT_AT_STOP); // reported, but not a failure of the target
                continue;
            }
            long started = System.nanoTime();
            try {
                post(request.body(), request.partitionKey(), request.contentType());
                outcomes.acknowledged(events, System.nanoTime() - started);
            } catch (IOException e) {
                outcomes.failed(events.size(), e.getMessage());
                firstFailure = firstFailure == null ? e : firstFailure;
            } catch (InterruptedException e) {
                abandoned = true;
            }
        }
        if (abandoned) {
            throw new InterruptedException("stopped while waiting for the endpoint");
        }
        return firstFailure;
    }


    private void post(String body, String partitionKey, String contentType) throws IOException, InterruptedException {
        String separator = url.getQuery() == null ? "?" : "&";
        URI target = partitionKey == null ? url
                : URI.create(url + separator + "partitionKey=" + URLEncoder.encode(partitionKey, StandardCharsets.UTF_8));
        long backoffMs = 200;
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
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
            if (pastStop(TimeUnit.MILLISECONDS.toNanos(backoffMs))) {
                throw new IOException("events not delivered, no retry as the run was stopped: " + problem);
            }
            Thread.sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 5_000);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    /** Stops the senders; those still waiting for an answer (a stop gave up on them) get a moment to end. */
    @Override
    public void close() {
        senders.shutdownNow();
        try {
            senders.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
