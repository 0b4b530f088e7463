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
 * @param intervalMs   how often the device reports, learned from its readings (a moving average of the gaps)
 * @param silentAfter  when the device counts as silent unless it reports again (see {@link SilencePolicy})
 * @param offline      the open offline alert, set by the silent-device check; the device's stream
 *                     resolves it when the device reports again, and clears it
 * @param handResolved alerts resolved through the API or chat (alert id to rule id), so the
 *                     device's stream lets their rules raise again; the stream clears them
 * @param silenceHandled the last-seen time of the silence the silent-device check has dealt with
 *                     (its offline alert opened, or found resolved by hand): the check's query skips
 *                     the device while {@code lastSeen} still equals it, so a silence costs one
 *                     alert, once, however many runs see it
 */
public record DeviceDocument(String id, String deviceId, String name, String location, List<String> tags,
                             Instant firstSeen, Instant lastSeen, Map<String, LatestValue> latest, int activeAlerts,
                             Long lastDeviceSeq, Map<String, Long> applied, Long intervalMs, Instant silentAfter,
                             OfflineSignal offline, Map<String, String> handResolved, Instant silenceHandled) {

    /** The canonical constructor: the one the JSON mapper uses. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public DeviceDocument {
    }

    /** A document the silent-device check has not dealt with (as the streams register devices). */
    public DeviceDocument(String id, String deviceId, String name, String location, List<String> tags,
                          Instant firstSeen, Instant lastSeen, Map<String, LatestValue> latest, int activeAlerts,
                          Long lastDeviceSeq, Map<String, Long> applied, Long intervalMs, Instant silentAfter,
                          OfflineSignal offline, Map<String, String> handResolved) {
        this(id, deviceId, name, location, tags, firstSeen, lastSeen, latest, activeAlerts, lastDeviceSeq, applied, intervalMs,
                silentAfter, offline, handResolved, null);
    }

    /** An offline alert that is open, and the last reading before the silence. */
    public record OfflineSignal(String alertId, Instant since) {
    }

    /** Weight of the newest gap in the learned interval: adapts within a few readings, ignores one odd gap. */
    private static final double INTERVAL_WEIGHT = 0.2;

    /** @param ts time of the reading that carried the value */
    public record LatestValue(double value, Instant ts) {
    }

    public static DeviceDocument register(String deviceId) {
        return new DeviceDocument(deviceId, deviceId, deviceId, null, List.of(), null, null, Map.of(), 0, null, Map.of(), null, null,
                null, null);
    }

    /** Folds in readings of {@code source} not applied before, and the current active-alert count. */
    public DeviceDocument withTelemetry(String source, List<SourcedReading> readings, Long deviceSeq, int activeAlertCount,
                                        SilencePolicy silence) {
        long applied = AppliedPositions.applied(this.applied, source);
        Map<String, LatestValue> values = null;
        long first = firstSeen == null ? Long.MAX_VALUE : firstSeen.toEpochMilli();
        long last = lastSeen == null ? Long.MIN_VALUE : lastSeen.toEpochMilli();
        long highest = applied;
        List<Long> newer = new java.util.ArrayList<>(); // times past lastSeen, for the learned interval
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
            if (ts > last || lastSeen == null) {
                newer.add(ts);
            }
            last = Math.max(last, ts);
            highest = Math.max(highest, sourced.position());
        }
        if (values == null) {
            return activeAlertCount == activeAlerts ? this : withActiveAlerts(activeAlertCount);
        }
        Long interval = learnInterval(newer);
        Instant seen = Instant.ofEpochMilli(last);
        return new DeviceDocument(id, deviceId, name, location, tags, Instant.ofEpochMilli(first), seen,
                Map.copyOf(values), activeAlertCount, deviceSeq != null ? deviceSeq : lastDeviceSeq,
                AppliedPositions.advance(this.applied, source, highest), interval,
                silence.silentAfter(deviceId, tags, seen, interval), offline, handResolved, silenceHandled);
    }

    /** The moving average of the gaps between successive readings, from lastSeen on. */
    private Long learnInterval(List<Long> newer) {
        newer.sort(null);
        Double average = intervalMs == null ? null : intervalMs.doubleValue();
        long previous = lastSeen == null ? Long.MIN_VALUE : lastSeen.toEpochMilli();
        for (long ts : newer) {
            if (previous != Long.MIN_VALUE && ts > previous) {
                double gap = ts - previous;
                average = average == null ? gap : average + INTERVAL_WEIGHT * (gap - average);
            }
            previous = ts;
        }
        return average == null ? null : Math.round(average);
    }

    public DeviceDocument withProfile(String newName, String newLocation, List<String> newTags) {
        return new DeviceDocument(id, deviceId, Objects.requireNonNullElse(newName, name), newLocation == null ? location : newLocation,
                newTags == null ? tags : List.copyOf(newTags), firstSeen, lastSeen, latest, activeAlerts, lastDeviceSeq, applied,
                intervalMs, silentAfter, offline, handResolved, silenceHandled);
    }

    /**
     * The offline alert {@code alertId} is open for the silence since {@code since}, and that silence
     * is dealt with. Idempotent: a device that knows the alert already stays as it is.
     */
    public DeviceDocument withOffline(String alertId, Instant since) {
        if (offline != null && offline.alertId().equals(alertId)) {
            return since.equals(silenceHandled) ? this : withSilenceHandled(since);
        }
        return new DeviceDocument(id, deviceId, name, location, tags, firstSeen, lastSeen, latest, activeAlerts + 1, lastDeviceSeq, applied,
                intervalMs, silentAfter, new OfflineSignal(alertId, since), handResolved, since);
    }

    /** The silence since {@code since} is dealt with (e.g. its offline alert was resolved by hand). */
    public DeviceDocument withSilenceHandled(Instant since) {
        return new DeviceDocument(id, deviceId, name, location, tags, firstSeen, lastSeen, latest, activeAlerts, lastDeviceSeq, applied,
                intervalMs, silentAfter, offline, handResolved, since);
    }

    /** One alert fewer; an offline alert resolved by hand is no longer for the stream to resolve. */
    public DeviceDocument withResolvedByHand(String alertId, String ruleId) {
        Map<String, String> resolved = new TreeMap<>(handResolved == null ? Map.of() : handResolved);
        resolved.put(alertId, ruleId);
        OfflineSignal stillOffline = offline != null && offline.alertId().equals(alertId) ? null : offline;
        return new DeviceDocument(id, deviceId, name, location, tags, firstSeen, lastSeen, latest, Math.max(0, activeAlerts - 1),
                lastDeviceSeq, applied, intervalMs, silentAfter, stillOffline, Map.copyOf(resolved), silenceHandled);
    }

    public DeviceDocument withActiveAlerts(int count) {
        return new DeviceDocument(id, deviceId, name, location, tags, firstSeen, lastSeen, latest, count, lastDeviceSeq, applied,
                intervalMs, silentAfter, offline, handResolved, silenceHandled);
    }
}
