package dev.sensorchat.localhost;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.checkpointstore.blob.BlobCheckpointStore;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.localhost.eventhubs.EventHubTriggerOptions;
import dev.sensorchat.localhost.eventhubs.RetryPolicy;
import dev.sensorchat.localhost.eventhubs.StartPosition;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event Hub triggers on a real Event Hubs namespace, when the trigger's connection names one
 * ({@code X} with an {@code Endpoint=sb://...} connection string, or {@code X__fullyQualifiedNamespace}):
 * the SDK's {@link EventProcessorClient}, with checkpoints in the host's storage
 * ({@code azure-webjobs-eventhub} container, as the Functions host keeps them), batch sizes from
 * host.json, a checkpoint only after the function succeeded, and the function's retry policy.
 */
final class ConnectedEventHubTriggers implements AutoCloseable {

    private final List<EventProcessorClient> processors = new ArrayList<>();

    ConnectedEventHubTriggers(List<FunctionDefinition> functions, HostSettings settings, Connections connections, JsonNode hostJson,
                              FunctionInvoker invoker, PrintStream log) {
        EventHubTriggerOptions options = EventHubTriggerOptions.fromHostJson(hostJson);
        for (FunctionDefinition function : functions) {
            JsonNode trigger = function.trigger();
            String where = "function '" + function.name() + "'";
            String hub = settings.resolve(trigger.path("eventHubName").asText(), where + " eventHubName");
            String consumerGroup = settings.resolve(trigger.path("consumerGroup").asText("$Default"), where + " consumerGroup");
            String connection = trigger.path("connection").asText();
            String bindingName = trigger.path("name").asText();
            RetryPolicy retry = RetryPolicy.fromFunctionJson(function.retry());
            EventProcessorClientBuilder builder = new EventProcessorClientBuilder()
                    .consumerGroup(consumerGroup)
                    .checkpointStore(new BlobCheckpointStore(connections.storageAsync("AzureWebJobsStorage")
                            .getBlobContainerAsyncClient("azure-webjobs-eventhub")))
                    .initialPartitionEventPosition(partition -> options.initialPosition() == StartPosition.FROM_END
                            ? EventPosition.latest() : EventPosition.earliest())
                    .processEventBatch(batch -> deliver(invoker, function, bindingName, hub, consumerGroup, retry, batch, log),
                            options.maxEventBatchSize(), options.maxWaitTime())
                    .processError(error -> log.println("event hub " + hub + " partition " + error.getPartitionContext().getPartitionId()
                            + ": " + error.getThrowable()));
            settings.get(connection).ifPresentOrElse(connectionString -> builder.connectionString(connectionString, hub),
                    () -> builder.credential(settings.get(connection + "__fullyQualifiedNamespace").orElseThrow(), hub,
                            connections.credentialFor(connection)));
            processors.add(builder.buildEventProcessorClient());
        }
    }

    private static void deliver(FunctionInvoker invoker, FunctionDefinition function, String bindingName, String hub, String consumerGroup,
                                RetryPolicy retry, EventBatchContext batch, PrintStream log) {
        List<EventData> events = batch.getEvents();
        if (events.isEmpty()) {
            return;
        }
        String[] bodies = events.stream().map(EventData::getBodyAsString).toArray(String[]::new);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Object>[] properties = events.stream().map(event -> {
            Map<String, Object> system = new HashMap<>();
            system.put("SequenceNumber", event.getSequenceNumber());
            system.put("EnqueuedTimeUtc", event.getEnqueuedTime().toString());
            system.put("Offset", String.valueOf(event.getOffsetString()));
            if (event.getPartitionKey() != null) {
                system.put("PartitionKey", event.getPartitionKey());
            }
            return system;
        }).toArray(Map[]::new);
        String partition = batch.getPartitionContext().getPartitionId();
        Map<String, Object> metadata = Map.of("PartitionContext", Map.of("PartitionId", partition, "EventHubName", hub,
                "ConsumerGroup", consumerGroup, "FullyQualifiedNamespace", batch.getPartitionContext().getFullyQualifiedNamespace()),
                "SystemPropertiesArray", properties);
        for (int attempt = 1; ; attempt++) {
            try {
                invoker.invoke(function, Map.of(bindingName, bodies), metadata);
                break;
            } catch (FunctionInvoker.InvocationFailed e) {
                if (!retry.allowsRetry(attempt)) {
                    log.println("event hub " + hub + " partition " + partition + ": " + events.size()
                            + " events skipped after the retry policy ran out, invocation " + e.invocationId());
                    break;
                }
                try {
                    Thread.sleep(retry.delayBeforeRetry(attempt).toMillis());
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                    return; // not checkpointed: the batch comes again
                }
            }
        }
        batch.updateCheckpoint();
    }

    void start() {
        processors.forEach(EventProcessorClient::start);
    }

    @Override
    public void close() {
        processors.forEach(EventProcessorClient::stop);
    }
}
