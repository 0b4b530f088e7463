package dev.sensorchat.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.localhost.eventhubs.ConsumerStats;
import dev.sensorchat.localhost.eventhubs.EventHubConsumer;
import dev.sensorchat.localhost.eventhubs.EventHubTriggerOptions;
import dev.sensorchat.localhost.eventhubs.EventLogOptions;
import dev.sensorchat.localhost.eventhubs.EventRecord;
import dev.sensorchat.localhost.eventhubs.FileCheckpointStore;
import dev.sensorchat.localhost.eventhubs.LocalEventHub;
import dev.sensorchat.localhost.eventhubs.PartitionInfo;
import dev.sensorchat.localhost.eventhubs.RetryPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Event Hub triggers over local partitioned hubs: one {@link LocalEventHub} per hub name (fed by
 * {@code POST /admin/eventhubs/{hub}}), and per function a consumer that delivers batches as the
 * Functions host does: the bodies as {@code String[]}, with {@code PartitionContext} and
 * {@code SystemPropertiesArray}, checkpointed (in the state folder) only after the function succeeded.
 *
 * <p>The hubs are durable: each partition's events are logged in {@code <state>/eventhubs/<hub>/<partition>/}
 * before a publish is acknowledged, so a restarted host delivers what it acknowledged before and numbers
 * on from there. Settings: {@code LOCALHOST_EVENTHUB_FSYNC} (default true: forced to disk before the 202),
 * {@code LOCALHOST_EVENTHUB_SEGMENT_BYTES} (32 MiB: log files are this big before the next begins; a file
 * is deleted when every consumer is past it) and {@code LOCALHOST_EVENTHUB_RETENTION} (events kept per
 * partition, 1,000,000).
 */
final class EventHubTriggers implements AutoCloseable {

    private final Map<String, LocalEventHub> hubs = new LinkedHashMap<>();
    private final List<EventHubConsumer> consumers = new ArrayList<>();
    private final Map<String, EventHubConsumer> consumerByFunction = new LinkedHashMap<>();

    /**
     * {@code functions} are consumed; {@code disabledFunctions} only have their hubs opened, so publishes to
     * them are taken and kept (up to retention) for when the function is enabled again.
     */
    EventHubTriggers(List<FunctionDefinition> functions, List<FunctionDefinition> disabledFunctions, HostSettings settings, JsonNode hostJson,
                     Path stateDir, FunctionInvoker invoker, Clock clock, PrintStream log) throws IOException {
        int partitions = settings.get("LOCALHOST_EVENTHUB_PARTITIONS").map(Integer::parseInt).orElse(4);
        int retention = settings.get("LOCALHOST_EVENTHUB_RETENTION").map(Integer::parseInt).orElse(LocalEventHub.DEFAULT_RETENTION_PER_PARTITION);
        EventLogOptions logOptions = new EventLogOptions(settings.get("LOCALHOST_EVENTHUB_FSYNC").map(Boolean::parseBoolean).orElse(true),
                settings.get("LOCALHOST_EVENTHUB_SEGMENT_BYTES").map(Long::parseLong).orElse(EventLogOptions.DEFAULT_SEGMENT_BYTES));
        EventHubTriggerOptions options = EventHubTriggerOptions.fromHostJson(hostJson);
        FileCheckpointStore checkpoints = functions.isEmpty() && disabledFunctions.isEmpty() ? null
                : new FileCheckpointStore(stateDir.resolve("eventhub-checkpoints.json"));
        // Every hub a function names, enabled or not, once; a disabled function's is opened without a consumer.
        for (FunctionDefinition function : java.util.stream.Stream.concat(disabledFunctions.stream(), functions.stream()).toList()) {
            String hubName = hubName(function, settings);
            String key = hubName.toLowerCase(Locale.ROOT);
            if (!hubs.containsKey(key)) {
                hubs.put(key, open(hubName, partitions, clock, retention, stateDir.resolve("eventhubs").resolve(key), logOptions, checkpoints, log));
                if (disabledFunctions.contains(function)) {
                    log.println("event hub " + hubName + ": taking events for the disabled function " + function.name() + ", kept until it runs");
                }
            }
        }
        for (FunctionDefinition function : functions) {
            JsonNode trigger = function.trigger();
            String consumerGroup = settings.resolve(trigger.path("consumerGroup").asText("$Default"), "function '" + function.name() + "' consumerGroup");
            LocalEventHub hub = hubs.get(hubName(function, settings).toLowerCase(Locale.ROOT));
            String bindingName = trigger.path("name").asText();
            EventHubConsumer consumer = EventHubConsumer.builder(hub, (partitionId, batch) -> deliver(invoker, function, bindingName, hub,
                            consumerGroup, partitionId, batch))
                    .name(function.name()).consumerGroup(consumerGroup).options(options)
                    .retryPolicy(RetryPolicy.fromFunctionJson(function.retry())).checkpointStore(checkpoints).build();
            consumers.add(consumer);
            consumerByFunction.put(function.name(), consumer);
        }
    }

    private static String hubName(FunctionDefinition function, HostSettings settings) {
        return settings.resolve(function.trigger().path("eventHubName").asText(), "function '" + function.name() + "' eventHubName");
    }

    /** Opens a hub's logs, and says what they held: how far each partition got, and anything the replay had to cut off. */
    private LocalEventHub open(String hubName, int partitions, Clock clock, int retention, Path directory, EventLogOptions logOptions,
                               FileCheckpointStore checkpoints, PrintStream log) throws IOException {
        LocalEventHub hub;
        try {
            hub = LocalEventHub.durable(hubName, partitions, clock, retention, directory, logOptions, checkpoints,
                    note -> log.println("event hub " + hubName + ": " + note));
        } catch (IOException | RuntimeException e) {
            close(); // the hubs opened so far
            throw e;
        }
        long retained = 0;
        List<String> next = new ArrayList<>();
        for (String partition : hub.partitionIds()) {
            PartitionInfo info = hub.partitionInfo(partition);
            retained += info.retainedEvents();
            next.add(partition + ": " + info.nextSequenceNumber());
        }
        log.println("event hub " + hubName + ": logged in " + directory + (logOptions.fsync() ? "" : " (without fsync)") + ", " + retained
                + " events kept; next sequence numbers " + String.join(", ", next));
        return hub;
    }

    private static void deliver(FunctionInvoker invoker, FunctionDefinition function, String bindingName, LocalEventHub hub,
                                String consumerGroup, String partitionId, List<EventRecord> batch) throws Exception {
        String[] bodies = batch.stream().map(EventRecord::body).toArray(String[]::new);
        Map<String, Object>[] properties = EventRecord.systemPropertiesOf(batch);
        Map<String, Object> partitionContext = Map.of("PartitionId", partitionId, "EventHubName", hub.name(),
                "ConsumerGroup", consumerGroup, "FullyQualifiedNamespace", "localhost");
        invoker.invoke(function, Map.of(bindingName, bodies),
                Map.of("PartitionContext", partitionContext, "SystemPropertiesArray", properties));
    }

    void start() {
        consumers.forEach(EventHubConsumer::start);
    }

    Optional<LocalEventHub> hub(String name) {
        return Optional.ofNullable(hubs.get(name.toLowerCase(Locale.ROOT)));
    }

    Optional<ConsumerStats> stats(String function) {
        return Optional.ofNullable(consumerByFunction.get(function)).map(EventHubConsumer::stats);
    }

    /** Per partition of the function's hub: events not yet checkpointed and how long the oldest has waited. */
    Map<String, EventHubConsumer.Lag> lag(String function, Instant now) {
        EventHubConsumer consumer = consumerByFunction.get(function);
        return consumer == null ? Map.of() : consumer.lag(now);
    }

    /** Whether every consumer has delivered everything published so far. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        for (EventHubConsumer consumer : consumers) {
            if (!consumer.awaitCaughtUp(timeout)) {
                return false;
            }
        }
        return true;
    }

    /** Stops the consumers (running batches finish), then closes the hubs' logs. */
    @Override
    public void close() {
        consumers.forEach(consumer -> consumer.stop(Duration.ofSeconds(30)));
        hubs.values().forEach(LocalEventHub::close);
    }
}
