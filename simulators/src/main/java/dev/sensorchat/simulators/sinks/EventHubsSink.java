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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

    private static final int OUTER_RETRIES = 3;

    private final EventHubProducerAsyncClient producer;
    private final Outcomes outcomes;
    private final int maxInFlight;
    private final Semaphore inFlight;

    private EventHubsSink(EventHubProducerAsyncClient producer, Outcomes outcomes, int maxInFlight) {
        this.producer = producer;
        this.outcomes = outcomes;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** With a connection string (Shared Access Signature, or the emulator's); {@code eventHub} may be null when it names the entity. */
    public static EventHubsSink withConnectionString(String connectionString, String eventHub, Outcomes outcomes, int maxInFlight) {
        EventHubClientBuilder builder = new EventHubClientBuilder().retryOptions(retryOptions());
        if (eventHub == null) {
            builder.connectionString(connectionString);
        } else {
            builder.connectionString(connectionString, eventHub);
        }
        return new EventHubsSink(builder.buildAsyncProducerClient(), outcomes, maxInFlight);
    }

    /** Passwordless: a namespace ({@code <name>.servicebus.windows.net}) and a Microsoft Entra credential. */
    public static EventHubsSink withCredential(String fullyQualifiedNamespace, String eventHub, TokenCredential credential,
                                               Outcomes outcomes, int maxInFlight) {
        return new EventHubsSink(new EventHubClientBuilder().retryOptions(retryOptions())
                .credential(fullyQualifiedNamespace, eventHub, credential).buildAsyncProducerClient(), outcomes, maxInFlight);
    }

    private static AmqpRetryOptions retryOptions() {
        return new AmqpRetryOptions().setMode(AmqpRetryMode.EXPONENTIAL).setMaxRetries(6)
                .setDelay(Duration.ofMillis(500)).setMaxDelay(Duration.ofSeconds(30)).setTryTimeout(Duration.ofSeconds(60));
    }

    @Override
    public void send(List<SimEvent> batch) throws InterruptedException {
        Map<String, List<SimEvent>> byDevice = new LinkedHashMap<>();
        batch.forEach(event -> byDevice.computeIfAbsent(event.deviceId(), id -> new ArrayList<>()).add(event));
        for (var group : byDevice.entrySet()) {
            CreateBatchOptions options = new CreateBatchOptions().setPartitionKey(group.getKey());
            EventDataBatch current = null;
            for (SimEvent event : group.getValue()) {
                EventData data = new EventData(event.line().getBytes(StandardCharsets.UTF_8)).setContentType("application/json");
                if (current != null && current.tryAdd(data)) {
                    continue;
                }
                if (current != null) {
                    dispatch(current, options);
                }
                current = newBatch(options);
                if (current == null) {
                    outcomes.failed(1, "could not create a batch for " + group.getKey());
                } else if (!current.tryAdd(data)) {
                    outcomes.failed(1, "event larger than the largest batch the event hub accepts");
                    current = null;
                }
            }
            if (current != null && current.getCount() > 0) {
                dispatch(current, options);
            }
        }
    }

    private EventDataBatch newBatch(CreateBatchOptions options) {
        try {
            return producer.createBatch(options).block();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Sends one batch in the background, holding a slot until the service answers. */
    private void dispatch(EventDataBatch batch, CreateBatchOptions options) throws InterruptedException {
        inFlight.acquire();
        int count = batch.getCount();
        long started = System.nanoTime();
        producer.send(batch)
                .retryWhen(Retry.backoff(OUTER_RETRIES, Duration.ofSeconds(5)).maxBackoff(Duration.ofMinutes(1))
                        .filter(EventHubsSink::isTransient))
                .then(Mono.fromRunnable(() -> outcomes.acknowledged(count, System.nanoTime() - started)))
                .doOnError(error -> outcomes.failed(count, reason(error)))
                .doFinally(signal -> inFlight.release())
                .subscribe(ignored -> { }, error -> { /* reported in doOnError */ });
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
        while (!inFlight.tryAcquire(maxInFlight, 1, TimeUnit.SECONDS)) {
            Thread.onSpinWait(); // the progress display keeps running meanwhile
        }
        inFlight.release(maxInFlight);
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
