package dev.sensorchat.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.CosmosDBTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.chat.AlertNotifier;
import dev.sensorchat.common.Json;
import dev.sensorchat.observability.Invocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The alerts container's change feed → chat notifications. The Cosmos DB trigger keeps its place in
 * the {@code leases} container; a failed batch is retried (delivery records make that safe).
 */
public final class AlertNotificationsFunction {

    private final Supplier<AlertNotifier> notifier;

    public AlertNotificationsFunction() {
        this(() -> AppContext.shared().alertNotifier());
    }

    AlertNotificationsFunction(Supplier<AlertNotifier> notifier) {
        this.notifier = notifier;
    }

    @FunctionName("alertNotifications")
    @ExponentialBackoffRetry(maxRetryCount = 10, minimumInterval = "00:00:05", maximumInterval = "00:05:00")
    public void run(
            @CosmosDBTrigger(name = "changes", databaseName = "%COSMOS_DATABASE%", containerName = "alerts",
                    connection = "CosmosDb", leaseContainerName = "leases", createLeaseContainerIfNotExists = false)
            String[] changes,
            ExecutionContext context) {
        try (Invocation ignored = Invocations.open(context)) {
            List<AlertDocument> alerts = new ArrayList<>();
            for (String change : changes) {
                try {
                    JsonNode document = Json.MAPPER.readTree(change);
                    if (AlertDocument.TYPE.equals(document.path("type").asText())) {
                        alerts.add(Json.MAPPER.treeToValue(document, AlertDocument.class));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("unreadable change-feed document", e);
                }
            }
            AlertNotifier.Summary summary = notifier.get().process(alerts);
            context.getLogger().info(() -> "alertNotifications changes=" + changes.length + " alerts=" + alerts.size()
                    + " transitions=" + summary.transitions() + " sent=" + summary.messagesSent()
                    + " alreadyDelivered=" + summary.alreadyDelivered());
        }
    }
}
