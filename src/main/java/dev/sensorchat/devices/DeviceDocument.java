package dev.sensorchat.devices;

import dev.sensorchat.telemetry.AppliedPositions;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.SourcedReading;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A device and its last known state, as stored in the {@code devices} container (partition key
 * {@code deviceId}, id = device id). Telemetry and the API change different fields, each through
 * an ETag-checked write, so neither loses the other's changes.
 *
 * @param name         display name (defaults to the id)
 * @param location     free text, e.g. "plant 2 / boiler room"
 * @param tags         labels for rule scopes and filters
 * @param firstSeen    time of the earliest reading
 * @param lastSeen     time of the latest reading
 * @param latest       latest value per metric, by reading time
 * @param activeAlerts open or acknowledged alerts
 * @param lastDeviceSeq the device's own counter from its latest event, when it sends one
 * @param applied      highest applied position per source (see {@link AppliedPositions})
 */
public record DeviceDocument(String id, String deviceId, String name, String location, List<String> tags,
                             Instant firstSeen, Instant lastSeen, Map<String, LatestValue> latest, int activeAlerts,
                             Long lastDeviceSeq, Map<String, Long> applied) {

    /** @param ts time of the reading that carried the value */
    public record LatestValue(double value, Instant ts) {
    }

    public static DeviceDocument register(String deviceId) {
        return new DeviceDocument(deviceId, deviceId, deviceId, null, List.of(), null, null, Map.of(), 0, null, Map.of());
    }

    /** Folds in readings of {@code source} not applied before, and the current active-alert count. */
    public DeviceDocument withTelemetry(String source, List<SourcedReading> readings, Long deviceSeq, int activeAlertCount) {
        long applied = AppliedPositions.applied(this.applied, source);
        Map<String, LatestValue> values = null;
        long first = firstSeen == null ? Long.MAX_VALUE : firstSeen.toEpochMilli();
        long last = lastSeen == null ? Long.MIN_VALUE : lastSeen.toEpochMilli();
        long highest = applied;
        for (SourcedReading sourced : readings) {
            if (sourced.position() <= applied) {
                continue;
            }
            if (values == null) {
                values = new TreeMap<>(latest);
            }
            Reading reading = sourced.reading();
            long ts = reading.timestampMs();
            for (int i = 0; i < reading.metricCount(); i++) {
                LatestValue current = values.get(reading.metric(i));
                if (current == null || ts >= current.ts().toEpochMilli()) {
                    values.put(reading.metric(i), new LatestValue(reading.value(i), Instant.ofEpochMilli(ts)));
                }
            }
            first = Math.min(first, ts);
            last = Math.max(last, ts);
            highest = Math.max(highest, sourced.position());
        }
        if (values == null) {
            return activeAlertCount == activeAlerts ? this : withActiveAlerts(activeAlertCount);
        }
        return new DeviceDocument(id, deviceId, name, location, tags, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last),
                Map.copyOf(values), activeAlertCount, deviceSeq != null ? deviceSeq : lastDeviceSeq,
                AppliedPositions.advance(this.applied, source, highest));
    }

    public DeviceDocument withProfile(String newName, String newLocation, List<String> newTags) {
        return new DeviceDocument(id, deviceId, Objects.requireNonNullElse(newName, name), newLocation == null ? location : newLocation,
                newTags == null ? tags : List.copyOf(newTags), firstSeen, lastSeen, latest, activeAlerts, lastDeviceSeq, applied);
    }

    public DeviceDocument withActiveAlerts(int count) {
        return new DeviceDocument(id, deviceId, name, location, tags, firstSeen, lastSeen, latest, count, lastDeviceSeq, applied);
    }
}
