package dev.sensorchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker the host stops (scale-in, a deployment) writes what its telemetry streams held, so the
 * read model does not wait for the partition's next event. Against the local Cosmos DB server.
 */
@ExtendWith(LocalAzureExtension.class)
class ShutdownFlushIT {

    @Test
    void aStoppedWorkerLeavesTheReadModelComplete(LocalAzure azure) {
        // No idle flush within the test: only the shutdown can write the pending reading.
        AppContext app = azure.newAppContext(Map.of(AppContext.TELEMETRY_IDLE_FLUSH_SECONDS, "3600"));
        String database = app.settings().get(AppContext.COSMOS_DATABASE, null);
        Instant ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        for (int second = 0; second < 3; second++) {
            String body = "{\"deviceId\":\"boiler-1\",\"ts\":\"" + ts.plusSeconds(second) + "\",\"metrics\":{\"temperature\":" + (20 + second) + "}}";
            app.eventHubBatches().process("telemetry", "0",
                    List.of(new EventHubBatchProcessor.Event(body, second, ts.plusSeconds(second + 1), "0", "boiler-1")));
        }
        assertTrue(app.telemetryStreams().pendingDevices() > 0, "the later readings wait for the flush period");

        app.shutdown();

        AppContext reader = azure.newAppContext(Map.of(AppContext.COSMOS_DATABASE, database));
        try {
            DeviceDocument device = reader.devices().find("boiler-1").orElseThrow();
            assertEquals(22.0, device.latest().get("temperature").value());
            assertEquals(ts.plusSeconds(2), device.lastSeen());
        } finally {
            reader.close();
        }
    }
}
