package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.AppContext;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blob Storage down while a batch has bad events to dead-letter (R3): the batch fails loudly, so
 * the Event Hubs trigger's retry policy (unbounded, host.json and {@code @ExponentialBackoffRetry})
 * runs it again, instead of checkpointing past events it could not account for. Run again once
 * storage is back, on another instance, the batch ends exactly as one clean run would: every good
 * reading counted once, every bad event dead-lettered once.
 */
@ExtendWith(LocalAzureExtension.class)
class DeadLetterOutageIT {

    @Test
    void aBatchThatCannotDeadLetterFailsAndItsRetryIsExact(LocalAzure azure) throws IOException {
        Map<String, String> settings = new HashMap<>(azure.appSettings());
        settings.put(BlobContainerNames.DEADLETTER_CONTAINER, "outage-deadletters-" + UUID.randomUUID().toString().substring(0, 6));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> storageDown = new HashMap<>(settings);
        storageDown.put(AppContext.STORAGE_CONNECTION, azure.storageConnectionString()
                .replaceAll("BlobEndpoint=[^;]+", "BlobEndpoint=http://127.0.0.1:" + closedPort + "/devstoreaccount1"));

        String device = "outage-" + UUID.randomUUID().toString().substring(0, 6);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<EventHubBatchProcessor.Event> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = i % 5 == 4 ? "{\"deviceId\":\"" + device + "\",\"ts\":\"" + now + "\",\"metrics\":{\"t\":NaN}}"
                    : "{\"deviceId\":\"" + device + "\",\"ts\":\"" + now.minusSeconds(60 - i) + "\",\"metrics\":{\"t\":" + i + "}}";
            batch.add(new EventHubBatchProcessor.Event(body, 100 + i, now, "0", device));
        }

        try (AppContext broken = new AppContext(new AppSettings(storageDown))) {
            long started = System.nanoTime();
            assertThrows(RuntimeException.class, () -> broken.eventHubBatches().process("telemetry", "0", batch),
                    "a batch whose bad events cannot be recorded is not acknowledged");
            System.out.printf("DEAD-LETTER OUTAGE: the batch failed after %d ms of storage retries%n", (System.nanoTime() - started) / 1_000_000);
        }
        try (AppContext healthy = new AppContext(new AppSettings(settings))) {
            EventHubBatchProcessor.Summary summary = healthy.eventHubBatches().process("telemetry", "0", batch);
            EventHubBatchProcessor.Summary again = healthy.eventHubBatches().process("telemetry", "0", batch);
            healthy.telemetryStreams().flushIdle();
            assertEquals(16, summary.accepted());
            assertEquals(4, summary.deadLettered());
            assertEquals(4, again.deadLettered(), "a redelivery finds its dead letters already there");
            long count = 0;
            double sum = 0;
            for (AggregateReader.Window window : healthy.aggregates().read(device, "t", Resolution.MINUTE,
                    now.minus(Duration.ofHours(1)), now.plusSeconds(60), 100, null).items()) {
                count += window.count();
                sum += window.sum();
            }
            assertEquals(16, count, "every good reading counted once");
            assertEquals(144.0, sum, "0 to 19 but the bad 4, 9, 14 and 19");
            assertEquals(4, healthy.deadLetters().list("eventhub/").size(), "every bad event dead-lettered once");
            assertTrue(healthy.deadLetters().list("eventhub/").stream().allMatch(name -> name.startsWith("eventhub/")));
        }
    }
}
