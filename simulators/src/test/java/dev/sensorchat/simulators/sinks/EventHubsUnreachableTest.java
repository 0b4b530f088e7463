package dev.sensorchat.simulators.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorchat.simulators.SimulatorsCli;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs without Docker: an event hub that cannot be reached costs no event silently. */
class EventHubsUnreachableTest {

    @TempDir
    Path dir;

    @Test
    void everyEventIsReportedFailedWithTheReasonAndTheRunExitsWithOne() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path summary = dir.resolve("summary.json");
        int exit = SimulatorsCli.commandLine().execute("devices", "--devices", "3", "--events", "40", "--speed", "0", "--progress", "never",
                "--target", "eventhubs", "--eventhubs-connection-string", "Endpoint=sb://127.0.0.1:" + closedPort
                        + ";SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
                "--retries", "0", "--try-timeout", "2s", "--summary-json", summary.toString());
        assertEquals(1, exit);
        JsonNode result = new ObjectMapper().readTree(summary.toFile());
        assertEquals(0, result.get("acknowledged").asLong());
        assertEquals(result.get("sent").asLong(), result.get("failed").asLong());
        assertTrue(result.get("sent").asLong() > 0);
        assertTrue(result.get("error").asText().startsWith("cannot reach the event hub"), result.toString());
    }
}
