package dev.sensorchat.stream;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.WindowDocument;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the stream processor reads and writes, and nothing else: the store boundary the
 * pipeline owns. Plain Java; {@code storage.CosmosStreamStore} implements it on Cosmos DB, tests
 * and benchmarks run it on memory or on a stub.
 *
 * <p>Writes that lose a race say so with {@link Conflict}: a segment whose base is taken, a
 * document that exists when it was meant to be created, an ETag that no longer matches.
 */
public interface StreamStore {

    /** A write found the store in another state than expected (HTTP 409 or 412). */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** A document and the ETag of that version. */
    record Versioned<T>(T value, String etag) {
    }

    /**
     * One batch's entry in a stream's log: the accepted events after position {@code base}, up to
     * {@code last}, encoded by {@link SegmentCodec}.
     */
    record Segment(String stream, String lineage, long base, long last, byte[] data) {
    }

    /** One part of a stream's checkpoint: the head ({@code part} "head") or a shard of its state. */
    record CheckpointPart(String stream, String part, String lineage, long applied, byte[] data) {
    }

    /** The changes a flush makes to a device document, set with one patch. */
    record DeviceUpdate(java.time.Instant firstSeen, java.time.Instant lastSeen, Map<String, DeviceDocument.LatestValue> latest,
                        Long intervalMs, java.time.Instant silentAfter, Long lastDeviceSeq, int activeAlerts,
                        boolean clearOffline, Map<String, String> handResolved) {
    }

    /** The changes a flush makes to a minute-windows document: some minutes, the hour so far, the position. */
    record MinutesUpdate(Map<String, Map<String, double[]>> minutes, Map<String, dev.sensorchat.telemetry.MetricStats> hour,
                         Map<String, String> masks, long applied) {
    }

    // --- the stream's log and checkpoints

    /** Appends the segment unless one with the same base exists (then false: another writer is ahead). */
    boolean appendSegment(Segment segment);

    Optional<Segment> segment(String stream, long base);

    Optional<Versioned<CheckpointPart>> checkpoint(String stream, String part);

    /** Creates ({@code ifMatch} null) or replaces the part; {@link Conflict} when someone else wrote it. */
    String saveCheckpoint(CheckpointPart part, String ifMatch);

    /** Keeps a rule set under its fingerprint, so a replay evaluates the rules the batch was evaluated with. */
    void saveRules(String stream, String fingerprint, String rulesJson);

    Optional<String> rules(String stream, String fingerprint);

    // --- the read model

    Optional<Versioned<DeviceDocument>> device(String deviceId);

    /** {@link Conflict} when the device exists. */
    String createDevice(DeviceDocument device);

    /** Empty when the device does not exist; {@link Conflict} when its ETag changed. */
    Optional<Versioned<DeviceDocument>> updateDevice(String deviceId, DeviceUpdate update, String ifMatch);

    Optional<Versioned<MinuteWindows>> minutes(String deviceId, String id);

    /** {@link Conflict} when it exists. */
    String createMinutes(MinuteWindows document);

    /** Empty when it does not exist; {@link Conflict} when its ETag changed. */
    Optional<String> updateMinutes(String deviceId, String id, MinutesUpdate update, String ifMatch);

    /** Replaces the whole document; {@link Conflict} when its ETag changed or it no longer exists. */
    String replaceMinutes(MinuteWindows document, String ifMatch);

    Optional<Versioned<WindowDocument>> hour(String deviceId, String id);

    /** Creates ({@code ifMatch} null) or replaces the hourly rollup; {@link Conflict} when someone else wrote it. */
    String saveHour(WindowDocument hour, String ifMatch);

    // --- alerts

    /** False when an alert with this id exists (it was opened before: replays open nothing twice). */
    boolean createAlert(AlertDocument alert);

    Optional<Versioned<AlertDocument>> alert(String deviceId, String alertId);

    /** {@link Conflict} when it changed since it was read. */
    void replaceAlert(AlertDocument alert, String ifMatch);
}
