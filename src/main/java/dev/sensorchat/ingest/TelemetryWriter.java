package dev.sensorchat.ingest;

import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.RuleCatalog;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.telemetry.DeviceBatch;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.telemetry.SourcedReading;
import dev.sensorchat.telemetry.WindowDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Writes one batch's aggregates, device state and alerts to Cosmos DB: per device, each minute and
 * hour window document at most once, then the rule state and alerts in one transaction, then the
 * device document. Devices are written in parallel. Every write applies only what its document has
 * not seen (see {@code AppliedPositions}), so a replayed batch writes nothing new.
 */
public final class TelemetryWriter {

    /**
     * @param minute how long minute windows are kept after their last write
     * @param hour   how long hourly rollups are kept after their last write
     */
    public record Retention(Duration minute, Duration hour) {
        int seconds(Resolution resolution) {
            return (int) (resolution == Resolution.MINUTE ? minute : hour).toSeconds();
        }
    }

    private final CosmosStore<WindowDocument> windows;
    private final DeviceRegistry devices;
    private final AlertLedger alerts;
    private final RuleCatalog rules;
    private final Retention retention;
    private final ExecutorService executor;

    public TelemetryWriter(CosmosStore<WindowDocument> windows, DeviceRegistry devices, AlertLedger alerts,
                           RuleCatalog rules, Retention retention, ExecutorService executor) {
        this.windows = windows;
        this.devices = devices;
        this.alerts = alerts;
        this.rules = rules;
        this.retention = retention;
        this.executor = executor;
    }

    /** Writes every device of the batch; throws if any device could not be written (the batch is retried whole). */
    public void write(String source, Map<String, DeviceBatch> batch) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (DeviceBatch device : batch.values()) {
            writes.add(CompletableFuture.runAsync(() -> writeDevice(source, device), executor));
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void writeDevice(String source, DeviceBatch batch) {
        String deviceId = batch.deviceId();
        List<String> tags = devices.find(deviceId).map(DeviceDocument::tags).orElse(List.of());
        for (Resolution resolution : Resolution.values()) {
            int ttl = retention.seconds(resolution);
            for (Map.Entry<Long, List<SourcedReading>> window : batch.windows(resolution).entrySet()) {
                windows.compute(deviceId, resolution.documentId(window.getKey()), current -> current
                        .orElseGet(() -> WindowDocument.empty(deviceId, resolution, window.getKey(), ttl))
                        .apply(source, window.getValue()));
            }
        }
        int activeAlerts = alerts.evaluate(source, deviceId, batch.readings(), rules.applicableTo(deviceId, tags));
        devices.applyTelemetry(source, batch, activeAlerts);
    }
}
