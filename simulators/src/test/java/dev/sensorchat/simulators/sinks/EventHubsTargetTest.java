package dev.sensorchat.simulators.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubConsumerClient;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.messaging.eventhubs.models.PartitionEvent;
import dev.sensorchat.simulators.SimulatorsCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.azure.AzuriteContainer;
import org.testcontainers.azure.EventHubsEmulatorContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * The eventhubs target against the Event Hubs emulator (a container image). Without Docker, as on
 * this project's CI machines, JUnit reports it as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class EventHubsTargetTest {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final AzuriteContainer AZURITE = new AzuriteContainer("mcr.microsoft.com/azure-storage/azurite:3.33.0").withNetwork(NETWORK);

    @Container
    static final EventHubsEmulatorContainer EVENT_HUBS = new EventHubsEmulatorContainer("mcr.microsoft.com/azure-messaging/eventhubs-emulator:2.0.1")
            .acceptLicense()
            .withNetwork(NETWORK)
            .withConfig(MountableFile.forClasspathResource("/eventhubs-emulator.json"))
            .withAzuriteContainer(AZURITE);

    @TempDir
    Path dir;

    @Test
    void everyEventArrivesOnceAndEachDeviceStaysOnOnePartitionInOrder() throws Exception {
        Path expected = dir.resolve("expected.ndjson");
        String[] run = {"devices", "--devices", "20", "--duration", "5m", "--speed", "0", "--seed", "3", "--start", "now-5m",
                "--duplicate-rate", "0.02", "--malformed-rate", "0.02"};
        assertEquals(0, SimulatorsCli.commandLine().execute(concat(run, "--target", "file", "--file", expected.toString())));
        assertEquals(0, SimulatorsCli.commandLine().execute(concat(run, "--target", "eventhubs", "--eventhubs-connection-string",
                EVENT_HUBS.getConnectionString(), "--event-hub", "telemetry", "--batch-size", "100")));

        List<String> sent = Files.readAllLines(expected);
        Map<String, List<String>> byPartition = new HashMap<>();
        try (EventHubConsumerClient consumer = new EventHubClientBuilder()
                .connectionString(EVENT_HUBS.getConnectionString(), "telemetry").consumerGroup("sensorchat").buildConsumerClient()) {
            for (String partition : consumer.getPartitionIds()) {
                List<String> events = byPartition.computeIfAbsent(partition, p -> new ArrayList<>());
                while (true) {
                    int before = events.size();
                    EventPosition position = before == 0 ? EventPosition.earliest() : EventPosition.fromOffset(lastOffset);
                    for (PartitionEvent event : consumer.receiveFromPartition(partition, 500, position, Duration.ofSeconds(5))) {
                        events.add(event.getData().getBodyAsString());
                        lastOffset = event.getData().getOffset();
                        assertEquals(deviceOf(event.getData().getBodyAsString()), event.getData().getPartitionKey());
                    }
                    if (events.size() == before) {
                        break;
                    }
                }
            }
        }
        List<String> received = byPartition.values().stream().flatMap(List::stream).toList();
        assertEquals(sent.stream().sorted().toList(), received.stream().sorted().toList(), "each event once, none lost");
        Map<String, String> partitionOfDevice = new HashMap<>();
        byPartition.forEach((partition, events) -> events.forEach(event -> {
            String previous = partitionOfDevice.put(deviceOf(event), partition);
            assertTrue(previous == null || previous.equals(partition), deviceOf(event) + " on two partitions");
        }));
        for (String device : partitionOfDevice.keySet()) {
            assertEquals(sent.stream().filter(line -> deviceOf(line).equals(device)).toList(),
                    byPartition.get(partitionOfDevice.get(device)).stream().filter(line -> deviceOf(line).equals(device)).toList());
        }
    }

    private long lastOffset;

    private static String deviceOf(String line) {
        int start = line.indexOf("\"deviceId\":\"") + 12;
        return line.substring(start, line.indexOf('"', start)).replace(" #bad", "");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
