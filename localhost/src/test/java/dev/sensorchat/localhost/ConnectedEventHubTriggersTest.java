package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.azure.AzuriteContainer;
import org.testcontainers.azure.EventHubsEmulatorContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * The host consuming from a real Event Hubs endpoint: the Event Hubs emulator and Azurite in
 * containers. Without Docker (as on this project's CI machines) JUnit reports it as skipped; the
 * mode choice itself is tested without containers below.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConnectedEventHubTriggersTest {

    /** The function under the trigger: records every body it is given. */
    public static final class Received {
        static final Set<String> BODIES = ConcurrentHashMap.newKeySet();

        @FunctionName("received")
        public void run(@EventHubTrigger(name = "events", eventHubName = "telemetry", connection = "Hub", cardinality = Cardinality.MANY,
                dataType = "string") String[] events, @BindingName("PartitionContext") Map<String, Object> partition,
                        ExecutionContext context) {
            BODIES.addAll(List.of(events));
        }
    }

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final AzuriteContainer AZURITE = new AzuriteContainer("mcr.microsoft.com/azure-storage/azurite:3.33.0").withNetwork(NETWORK);

    @Container
    static final EventHubsEmulatorContainer EVENT_HUBS = new EventHubsEmulatorContainer("mcr.microsoft.com/azure-messaging/eventhubs-emulator:2.0.1")
            .acceptLicense().withNetwork(NETWORK).withConfig(MountableFile.forClasspathResource("/eventhubs-emulator.json"))
            .withAzuriteContainer(AZURITE);

    @Test
    void eventsPublishedToTheHubReachTheFunctionAndAreCheckpointed() throws Exception {
        // Built directly (the host picks this mode for namespaces, not the emulator; ConnectionsTest):
        // the SDK speaks to the emulator as to a namespace.
        String connection = EVENT_HUBS.getConnectionString();
        HostSettings settings = new HostSettings(Map.of("Hub", connection, "AzureWebJobsStorage", AZURITE.getConnectionString()), 0);
        FunctionDefinition function = new FunctionDefinition("received", null, Received.class.getName(), "run", List.of(new ObjectMapper()
                .readTree("{\"type\": \"eventHubTrigger\", \"direction\": \"in\", \"name\": \"events\", \"eventHubName\": \"telemetry\","
                        + " \"connection\": \"Hub\", \"cardinality\": \"MANY\", \"dataType\": \"string\"}")), null);
        FunctionInvoker invoker = new FunctionInvoker(getClass().getClassLoader(), new PrintStream(new ByteArrayOutputStream()));
        try (Connections connections = new Connections(settings);
             ConnectedEventHubTriggers triggers = new ConnectedEventHubTriggers(List.of(function), settings, connections,
                     new ObjectMapper().readTree("{}"), invoker, System.out);
             EventHubProducerClient producer = new EventHubClientBuilder().connectionString(connection, "telemetry").buildProducerClient()) {
            triggers.start();
            producer.send(List.of(new EventData("{\"n\":1}"), new EventData("{\"n\":2}")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Received.BODIES.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(Set.of("{\"n\":1}", "{\"n\":2}"), Received.BODIES);
        }
    }
}
