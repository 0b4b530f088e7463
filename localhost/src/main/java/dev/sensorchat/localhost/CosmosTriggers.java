package dev.sensorchat.localhost;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosChangeFeedRequestOptions;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.FeedRange;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.localhost.eventhubs.RetryPolicy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cosmos DB triggers: reads each monitored container's change feed and hands the changed documents
 * to the function, batch by batch. The continuation is kept in the binding's lease container (one
 * document per function, {@code <host>.<function>}), written only after the function succeeded, so
 * a restart resumes where it stopped and a failed batch is delivered again, per the function's
 * retry policy. Without a lease it starts from now, or from the beginning when the binding says
 * {@code startFromBeginning}.
 */
final class CosmosTriggers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ITEMS = 100;

    private record Feed(FunctionDefinition function, CosmosContainer monitored, CosmosContainer leases, String leaseId,
                        boolean fromBeginning, String bindingName, Class<?> parameterType, RetryPolicy retry) {
    }

    private final List<Feed> feeds = new ArrayList<>();
    private final FunctionInvoker invoker;
    private final PrintStream log;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Threads.daemon("cosmos-change-feed"));

    CosmosTriggers(List<FunctionDefinition> functions, HostSettings settings, Connections connections, FunctionInvoker invoker, PrintStream log) {
        this.invoker = invoker;
        this.log = log;
        for (FunctionDefinition function : functions) {
            JsonNode trigger = function.trigger();
            String where = "function '" + function.name() + "'";
            String database = settings.resolve(trigger.path("databaseName").asText(), where + " databaseName");
            String container = settings.resolve(trigger.path("containerName").asText(), where + " containerName");
            String leases = settings.resolve(trigger.path("leaseContainerName").asText("leases"), where + " leaseContainerName");
            String connection = trigger.path("connection").asText();
            var client = connections.cosmos(connection);
            String bindingName = trigger.path("name").asText();
            feeds.add(new Feed(function, client.getDatabase(database).getContainer(container), client.getDatabase(database).getContainer(leases),
                    BlobTriggers.HOST_ID + "." + function.name(), trigger.path("startFromBeginning").asBoolean(false), bindingName,
                    invoker.parameterType(function, bindingName), RetryPolicy.fromFunctionJson(function.retry())));
        }
    }

    void start() {
        if (!feeds.isEmpty()) {
            poller.scheduleWithFixedDelay(this::poll, 0, 1, TimeUnit.SECONDS);
        }
    }

    /** For each feed: the changes after its lease, delivered until the feed is drained. */
    void poll() {
        for (Feed feed : feeds) {
            try {
                drain(feed);
            } catch (CosmosException e) {
                // Typically the container does not exist yet (the app creates it on first use): try again at the next poll.
                log.println("cosmos trigger " + feed.function().name() + ": status " + e.getStatusCode() + "/" + e.getSubStatusCode()
                        + " reading " + feed.monitored().getId() + "; retrying");
            } catch (RuntimeException e) {
                log.println("cosmos trigger " + feed.function().name() + ": " + e);
            }
        }
    }

    private void drain(Feed feed) {
        while (true) {
            String continuation = lease(feed);
            CosmosChangeFeedRequestOptions options = continuation != null
                    ? CosmosChangeFeedRequestOptions.createForProcessingFromContinuation(continuation)
                    : feed.fromBeginning() ? CosmosChangeFeedRequestOptions.createForProcessingFromBeginning(FeedRange.forFullRange())
                    : CosmosChangeFeedRequestOptions.createForProcessingFromNow(FeedRange.forFullRange());
            options.setMaxItemCount(MAX_ITEMS);
            FeedResponse<JsonNode> page = feed.monitored().queryChangeFeed(options, JsonNode.class).iterableByPage(MAX_ITEMS).iterator().next();
            List<JsonNode> changes = page.getResults();
            if (changes.isEmpty()) {
                if (continuation == null) {
                    saveLease(feed, page.getContinuationToken()); // "now" is fixed at the first poll
                }
                return;
            }
            deliver(feed, changes);
            saveLease(feed, page.getContinuationToken());
        }
    }

    /** Runs the function on one batch, retrying per its policy; after the last retry the batch is skipped, as in Azure. */
    private void deliver(Feed feed, List<JsonNode> changes) {
        Object value = feed.parameterType() == String.class ? JSON.valueToTree(changes).toString()
                : feed.parameterType() == String[].class ? changes.stream().map(JsonNode::toString).toArray(String[]::new)
                : changes.stream().map(JsonNode::toString).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                invoker.invoke(feed.function(), Map.of(feed.bindingName(), value), Map.of());
                return;
            } catch (FunctionInvoker.InvocationFailed e) {
                if (!feed.retry().allowsRetry(attempt)) {
                    log.println("cosmos trigger " + feed.function().name() + ": " + changes.size() + " changes skipped after "
                            + attempt + " attempts (retry policy exhausted), invocation " + e.invocationId());
                    return;
                }
                sleep(feed.retry().delayBeforeRetry(attempt));
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped", e);
        }
    }

    private static String lease(Feed feed) {
        try {
            JsonNode lease = feed.leases().readItem(feed.leaseId(), new PartitionKey(feed.leaseId()), JsonNode.class).getItem();
            return lease.path("continuation").asText(null);
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static void saveLease(Feed feed, String continuation) {
        ObjectNode lease = JSON.createObjectNode().put("id", feed.leaseId()).put("owner", BlobTriggers.HOST_ID)
                .put("continuation", continuation);
        feed.leases().upsertItem(lease, new PartitionKey(feed.leaseId()), new CosmosItemRequestOptions());
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
