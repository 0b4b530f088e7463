package dev.sensorchat.testing;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.sensorchat.functions.TelemetryFunction;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.TelemetryEvent;
import dev.sensorchat.telemetry.TelemetryLimits;
import dev.sensorchat.telemetry.TelemetryParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;

/**
 * The peer of the end-to-end throughput benchmark: the per-event design as the official samples
 * write telemetry, one upsert per event (id: device and reading time, so a redelivery writes the
 * same document again), partitioned by device, with the app's own parser for validation. It is
 * given its best case: a client built once per process, and a batch's upserts in flight together
 * (32 at a time) instead of one after another. {@link #writeTo} packages it beside the app's jars,
 * as the Maven plugin packages an app, so the same local host runs it on the same hub and Cosmos DB
 * server.
 */
public final class PerEventFunctionApp {

    public static final String CONTAINER = "events";
    private static final int IN_FLIGHT = 32;
    private static final TelemetryParser PARSER = new TelemetryParser(TelemetryLimits.defaults());
    private static volatile CosmosAsyncContainer container;

    @FunctionName("telemetry")
    public void run(
            @EventHubTrigger(name = "events", eventHubName = "%TELEMETRY_HUB%", connection = "TelemetryEventHub",
                    consumerGroup = "%TELEMETRY_CONSUMER_GROUP%", cardinality = Cardinality.MANY, dataType = "string")
            String[] events,
            @BindingName("SystemPropertiesArray") Map<String, Object>[] systemProperties,
            ExecutionContext context) {
        List<ObjectNode> documents = new ArrayList<>(events.length);
        int rejected = 0;
        for (int i = 0; i < events.length; i++) {
            long enqueued = TelemetryFunction.enqueuedTime(systemProperties[i].get("EnqueuedTimeUtc")).toEpochMilli();
            if (PARSER.parse(events[i], enqueued) instanceof TelemetryParser.Accepted accepted) {
                documents.addAll(documentsOf(accepted.event()));
            } else {
                rejected++;
            }
        }
        CosmosAsyncContainer store = container();
        Flux.fromIterable(documents)
                .flatMap(document -> store.upsertItem(document, new PartitionKey(document.get("deviceId").asText()), null), IN_FLIGHT)
                .blockLast();
        context.getLogger().info("per-event batch received=" + events.length + " upserted=" + documents.size() + " rejected=" + rejected);
    }

    private static List<ObjectNode> documentsOf(TelemetryEvent event) {
        List<ObjectNode> documents = new ArrayList<>(event.readings().size());
        for (Reading reading : event.readings()) {
            ObjectNode document = JsonNodeFactory.instance.objectNode();
            // Device and reading time: a device's sequence number restarts when it reboots, its clock does not repeat.
            document.put("id", event.deviceId() + ":" + reading.timestampMs());
            document.put("deviceId", event.deviceId());
            document.put("ts", Instant.ofEpochMilli(reading.timestampMs()).toString());
            ObjectNode metrics = document.putObject("metrics");
            for (int m = 0; m < reading.metricCount(); m++) {
                metrics.put(reading.metric(m), reading.value(m));
            }
            documents.add(document);
        }
        return documents;
    }

    /** One client per process, and the container made if missing, on first use. */
    private static CosmosAsyncContainer container() {
        CosmosAsyncContainer found = container;
        if (found == null) {
            synchronized (PerEventFunctionApp.class) {
                if (container == null) {
                    String connection = System.getenv("CosmosDb");
                    CosmosAsyncClient client = new CosmosClientBuilder().endpoint(part(connection, "AccountEndpoint"))
                            .key(part(connection, "AccountKey")).gatewayMode().endpointDiscoveryEnabled(false).buildAsyncClient();
                    String database = System.getenv("COSMOS_DATABASE");
                    client.createDatabaseIfNotExists(database).block();
                    client.getDatabase(database).createContainerIfNotExists(new CosmosContainerProperties(CONTAINER, "/deviceId")).block();
                    container = client.getDatabase(database).getContainer(CONTAINER);
                }
                found = container;
            }
        }
        return found;
    }

    private static String part(String connectionString, String name) {
        for (String part : connectionString.split(";")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("CosmosDb has no " + name);
    }

    /**
     * Writes the packaged peer into {@code dir}: per-event-app.jar with this class, the app's jar
     * and libraries in lib/ (the parser and the Cosmos DB SDK), the app's host.json, telemetry/.
     */
    public static Path writeTo(Path dir, Path app) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        FunctionAppJar.write(dir.resolve("per-event-app.jar"), PerEventFunctionApp.class);
        try (Stream<Path> jars = Stream.concat(Files.list(app.resolve("lib")), Files.list(app).filter(p -> p.toString().endsWith(".jar")))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, dir.resolve("lib").resolve(jar.getFileName()));
            }
        }
        Files.copy(app.resolve("host.json"), dir.resolve("host.json"));
        Files.createDirectories(dir.resolve("telemetry"));
        Files.writeString(dir.resolve("telemetry").resolve("function.json"), """
                {"scriptFile": "../per-event-app.jar", "entryPoint": "%s.run",
                 "bindings": [{"type": "eventHubTrigger", "direction": "in", "name": "events", "dataType": "string",
                               "connection": "TelemetryEventHub", "eventHubName": "%%TELEMETRY_HUB%%", "cardinality": "MANY",
                               "consumerGroup": "%%TELEMETRY_CONSUMER_GROUP%%"}],
                 "retry": {"strategy": "exponentialBackoff", "maxRetryCount": -1, "minimumInterval": "00:00:05",
                           "maximumInterval": "00:05:00"}}
                """.formatted(PerEventFunctionApp.class.getName()));
        return dir;
    }
}
