package dev.sensorchat.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.localhost.eventhubs.ConsumerStats;
import dev.sensorchat.localhost.eventhubs.EventHubConsumer;
import dev.sensorchat.localhost.eventhubs.EventHubTriggerOptions;
import dev.sensorchat.localhost.eventhubs.EventRecord;
import dev.sensorchat.localhost.eventhubs.FileCheckpointStore;
import dev.sensorchat.localhost.eventhubs.LocalEventHub;
import dev.sensorchat.localhost.eventhubs.RetryPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 */
final class EventHubTriggers implements AutoCloseable {

    private final Map<String, LocalEventHub> hubs = new LinkedHashMap<>();
    private final List<EventHubConsumer> consumers = new ArrayList<>();
    private final Map<String, EventHubConsumer> consumerByFunction = new LinkedHashMap<>();

    EventHubTriggers(List<FunctionDefinition> functions, HostSettings settings, JsonNode hostJson, Path stateDir, FunctionInvoker invoker,
                     Clock clock) throws IOException {
        int partitions = settings.get("LOCALHOST_EVENTHUB_PARTITIONS").map(Integer::parseInt).orElse(4);
        EventHubTriggerOptions options = EventHubTriggerOptions.fromHostJson(hostJson);
        FileCheckpointStore checkpoints = functions.isEmpty() ? null : new FileCheckpointStore(stateDir.resolve("eventhub-checkpoints.json"));
        for (FunctionDefinition function : functions) {
            JsonNode trigger = function.trigger();
            String where = "function '" + function.name() + "'";
            String hubName = settings.resolve(trigger.path("eventHubName").asText(), where + " eventHubName");
            String consumerGroup = settings.resolve(trigger.path("consumerGroup").asText("$Default"), where + " consumerGroup");
            LocalEventHub hub = hubs.computeIfAbsent(hubName.toLowerCase(Locale.ROOT), name -> new LocalEventHub(hubName, partitions, clock));
            String bindingName = trigger.path("name").asText();
            EventHubConsumer consumer = EventHubConsumer.builder(hub, (partitionId, batch) -> deliver(invoker, function, bindingName, hub,
                            consumerGroup, partitionId, batch))
                    .name(function.name()).consumerGroup(consumerGroup).options(options)
                    .retryPolicy(RetryPolicy.fromFunctionJson(function.retry())).checkpointStore(checkpoints).build();
            consumers.add(consumer);
            consumerByFunction.put(function.name(), consumer);
        }
    }

    private static void deliver(FunctionInvoker invoker, FunctionDefinition function, String bindingName, LocalEventHub hub,
                                String consumerGroup, String partitionId, List<EventRecord> batch) throws Exception {
        String[] bodies = batch.stream().map(EventRecord::body).toArray(String[]::new);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Object>[] properties = batch.stream().map(EventRecord::systemProperties).toArray(Map[]::new);
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

    /** Whether every consumer has delivered everything published so far. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        for (EventHubConsumer consumer : consumers) {
            if (!consumer.awaitCaughtUp(timeout)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumers.forEach(consumer -> consumer.stop(Duration.ofSeconds(30)));
    }
}
