package dev.sensorchat.simulators.sinks;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.core.credential.TokenCredential;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventDataBatch;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerAsyncClient;
import com.azure.messaging.eventhubs.models.CreateBatchOptions;
import dev.sensorchat.simulators.devices.SimEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Sends to Azure Event Hubs with the SDK's producer: each device's events go in {@link EventDataBatch}es
 * with the device id as partition key, so one device's events keep their order on one partition.
 *
 * <p>Throttling ({@code ServerBusy}) and other transient errors are retried by the SDK's exponential
 * policy and then, should that give up, by rounds of longer backoff here. Every event ends up reported
 * to {@link Outcomes}: acknowledged by the service, or failed with the service's reason. At most
 * {@code maxInFlight} batches are in flight; beyond that {@link #send} blocks, which slows the
 * generator instead of buffering without bound.
 */
public final class EventHubsSink implements Sink {

    /**
     * How hard to try: the SDK retries each send {@code retries} times (exponential, 0.5 s to 30 s,
     * each try at most {@code tryTimeout}); if it still fails with a transient error, it is sent again
     * after 5 s, then longer, up to {@code retries / 2} more rounds.
     */
    public record Settings(int maxInFlight, int retries, Duration tryTimeout) {
    }

    private final EventHubProducerAsyncClient producer;
    private final Outcomes outcomes;
    private final Settings settings;
    private final Semaphore inFlight;

    private EventHubsSink(EventHubProducerAsyncClient producer, Outcomes outcomes, Settings settings) {
        this.producer = producer;
        this.outcomes = outcomes;
        this.settings = settings;
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    /** With a connection string (Shared Access Signature, or the emulator's); {@code eventHub} may be null when it names the entity. */
    public static EventHubsSink withConnectionString(String connectionString, String eventHub, Outcomes outcomes, Settings settings) {
        EventHubClientBuilder builder = new EventHubClientBuilder().retryOptions(retryOptions(settings));
        if (eventHub == null) {
            builder.connectionString(connectionString);
        } else {
            builder.connectionString(connectionString, eventHub);
        }
        return new EventHubsSink(builder.buildAsyncProducerClient(), outcomes, settings);
    }

    /** Passwordless: a namespace ({@code <name>.servicebus.windows.net}) and a Microsoft Entra credential. */
    public static EventHubsSink withCredential(String fullyQualifiedNamespace, String eventHub, TokenCredential credential,
                                               Outcomes outcomes, Settings settings) {
        return new EventHubsSink(new EventHubClientBuilder().retryOptions(retryOptions(settings))
                .credential(fullyQualifiedNamespace, eventHub, credential).buildAsyncProducerClient(), outcomes, settings);
    }

    private static AmqpRetryOptions retryOptions(Settings settings) {
        return new AmqpRetryOptions().setMode(AmqpRetryMode.EXPONENTIAL).setMaxRetries(settings.retries())
                .setDelay(Duration.ofMillis(500)).setMaxDelay(Duration.ofSeconds(30)).setTryTimeout(settings.tryTimeout());
    }

    /**
     * Queues the batch for sending. Throws when the event hub cannot be reached at all (no batch can
     * be created), after reporting every event not yet dispatched as failed.
     */
    @Override
    public void send(List<SimEvent> batch) throws InterruptedException, IOException {
        Map<String, List<SimEvent>> byDevice = new LinkedHashMap<>();
        batch.forEach(event -> byDevice.computeIfAbsent(event.deviceId(), id -> new ArrayList<>()).add(event));
        int dispatched = 0;
        try {
            for (var group : byDevice.entrySet()) {
                CreateBatchOptions options = new CreateBatchOptions().setPartitionKey(group.getKey());
                EventDataBatch current = null;
                List<SimEvent> inCurrent = new ArrayList<>();
                for (SimEvent event : group.getValue()) {
                    EventData data = new EventData(event.line().getBytes(StandardCharsets.UTF_8)).setContentType("application/json");
                    if (current != null && current.tryAdd(data)) {
                        inCurrent.add(event);
                        continue;
                    }
                    if (current != null) {
                        dispatched += dispatch(current, inCurrent);
                        inCurrent = new ArrayList<>();
                    }
                    current = producer.createBatch(options).block();
                    if (!current.tryAdd(data)) {
                        outcomes.failed(1, "event larger than the largest batch the event hub accepts");
                        dispatched++;
                        current = null;
                    } else {
                        inCurrent.add(event);
                    }
                }
                if (current != null && current.getCount() > 0) {
                    dispatched += dispatch(current, inCurrent);
                }
            }
        } catch (RuntimeException e) {
            String reason = "cannot reach the event hub: " + reason(e);
            outcomes.failed(batch.size() - dispatched, reason);
            throw new IOException(reason, e);
        }
    }

    /** Sends one batch in the background, holding a slot until the service answers; returns its size. */
    private int dispatch(EventDataBatch batch, List<SimEvent> events) throws InterruptedException {
        inFlight.acquire();
        int count = batch.getCount();
        long started = System.nanoTime();
        producer.send(batch)
                .retryWhen(Retry.backoff(settings.retries() / 2, Duration.ofSeconds(5)).maxBackoff(Duration.ofMinutes(1))
                        .filter(EventHubsSink::isTransient))
                .then(Mono.fromRunnable(() -> outcomes.acknowledged(events, System.nanoTime() - started)))
                .doOnError(error -> outcomes.failed(count, reason(error)))
                .doFinally(signal -> inFlight.release())
                .subscribe(ignored -> { }, error -> { /* reported in doOnError */ });
        return count;
    }

    private static boolean isTransient(Throwable error) {
        return error instanceof AmqpException amqp && (amqp.isTransient() || amqp.getErrorCondition() == AmqpErrorCondition.SERVER_BUSY_ERROR);
    }

    private static String reason(Throwable error) {
        // Reactor wraps the last error of an exhausted retry; the service's own error is what explains it.
        Throwable cause = Exceptions.isRetryExhausted(error) && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof AmqpException amqp && amqp.getErrorCondition() != null) {
            return amqp.getErrorCondition().getErrorCondition() + ": " + amqp.getMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Waits until every batch sent so far has been answered. */
    @Override
    public void flush() throws InterruptedException {
        inFlight.acquire(settings.maxInFlight());
        inFlight.release(settings.maxInFlight());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            flush();
        } finally {
            producer.close();
        }
    }
}
