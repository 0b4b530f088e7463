package dev.sensorchat.storage;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.stream.StreamStore;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.WindowDocument;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stream processor's store on Cosmos DB: its log and checkpoints in {@code streams}
 * (partitioned by stream), the read model in {@code telemetry} and {@code devices}, alerts in
 * {@code alerts}. Updates to existing documents are patches guarded by ETags.
 */
public final class CosmosStreamStore implements StreamStore {

    /** A segment of a stream's log ({@code seg:<base>}). */
    public record SegmentDocument(String id, String stream, String lineage, long base, long last, byte[] data, Integer ttl) {
    }

    /** A part of a stream's checkpoint ({@code cp:head}, {@code cp:shard:<n>}). */
    public record CheckpointDocument(String id, String stream, String lineage, long applied, byte[] data) {
    }

    /** A rule set a stream evaluated with ({@code rules:<fingerprint>}). */
    public record RuleSetDocument(String id, String stream, String rules) {
    }

    private final CosmosStore<SegmentDocument> segments;
    private final CosmosStore<CheckpointDocument> checkpoints;
    private final CosmosStore<RuleSetDocument> ruleSets;
    private final CosmosStore<DeviceDocument> devices;
    private final CosmosStore<MinuteWindows> minutes;
    private final CosmosStore<WindowDocument> hours;
    private final CosmosStore<AlertDocument> alerts;
    private final int segmentTtlSeconds;

    /** Where a stream store finds its containers' stores: Cosmos DB, or memory in tests and benchmarks. */
    public interface Stores {
        <T> CosmosStore<T> store(ContainerSpec spec, Class<T> type);
    }

    /** The stream store over the app's containers, as {@code stores} gives them. */
    public static CosmosStreamStore over(Stores stores, int segmentTtlSeconds) {
        return new CosmosStreamStore(stores.store(Containers.STREAMS, SegmentDocument.class),
                stores.store(Containers.STREAMS, CheckpointDocument.class), stores.store(Containers.STREAMS, RuleSetDocument.class),
                stores.store(Containers.DEVICES, DeviceDocument.class), stores.store(Containers.TELEMETRY, MinuteWindows.class),
                stores.store(Containers.TELEMETRY, WindowDocument.class), stores.store(Containers.ALERTS, AlertDocument.class),
                segmentTtlSeconds);
    }

    public CosmosStreamStore(CosmosStore<SegmentDocument> segments, CosmosStore<CheckpointDocument> checkpoints,
                             CosmosStore<RuleSetDocument> ruleSets, CosmosStore<DeviceDocument> devices, CosmosStore<MinuteWindows> minutes,
                             CosmosStore<WindowDocument> hours, CosmosStore<AlertDocument> alerts, int segmentTtlSeconds) {
        this.segments = segments;
        this.checkpoints = checkpoints;
        this.ruleSets = ruleSets;
        this.devices = devices;
        this.minutes = minutes;
        this.hours = hours;
        this.alerts = alerts;
        this.segmentTtlSeconds = segmentTtlSeconds;
    }

    @Override
    public boolean appendSegment(Segment segment) {
        try {
            segments.create(new SegmentDocument(segmentId(segment.base()), segment.stream(), segment.lineage(), segment.base(),
                    segment.last(), segment.data(), segmentTtlSeconds));
            return true;
        } catch (StoreException.Conflict taken) {
            return false;
        }
    }

    @Override
    public Optional<Segment> segment(String stream, long base) {
        return segments.find(stream, segmentId(base)).map(found -> {
            SegmentDocument d = found.value();
            return new Segment(d.stream(), d.lineage(), d.base(), d.last(), d.data());
        });
    }

    @Override
    public Optional<Versioned<CheckpointPart>> checkpoint(String stream, String part) {
        return checkpoints.find(stream, "cp:" + part).map(found -> {
            CheckpointDocument d = found.value();
            return new Versioned<>(new CheckpointPart(d.stream(), part, d.lineage(), d.applied(), d.data()), found.etag());
        });
    }

    @Override
    public String saveCheckpoint(CheckpointPart part, String ifMatch) {
        CheckpointDocument document = new CheckpointDocument("cp:" + part.part(), part.stream(), part.lineage(), part.applied(), part.data());
        return conflicts(() -> ifMatch == null ? checkpoints.create(document).etag() : checkpoints.replace(document, ifMatch).etag());
    }

    @Override
    public void saveRules(String stream, String fingerprint, String rulesJson) {
        try {
            ruleSets.create(new RuleSetDocument("rules:" + fingerprint, stream, rulesJson));
        } catch (StoreException.Conflict known) {
            // kept before: a rule set is immutable under its fingerprint
        }
    }

    @Override
    public Optional<String> rules(String stream, String fingerprint) {
        return ruleSets.find(stream, "rules:" + fingerprint).map(found -> found.value().rules());
    }

    @Override
    public Optional<Versioned<DeviceDocument>> device(String deviceId) {
        return devices.find(deviceId, deviceId).map(found -> new Versioned<>(found.value(), found.etag()));
    }

    @Override
    public String createDevice(DeviceDocument device) {
        return conflicts(() -> devices.create(device).etag());
    }

    @Override
    public Optional<Versioned<DeviceDocument>> updateDevice(String deviceId, DeviceUpdate update, String ifMatch) {
        Patch patch = Patch.create()
                .set("/lastSeen", update.lastSeen())
                .set("/latest", update.latest())
                .set("/silentAfter", update.silentAfter())
                .set("/activeAlerts", update.activeAlerts());
        if (update.firstSeen() != null) {
            patch.set("/firstSeen", update.firstSeen());
        }
        if (update.intervalMs() != null) {
            patch.set("/intervalMs", update.intervalMs());
        }
        if (update.lastDeviceSeq() != null) {
            patch.set("/lastDeviceSeq", update.lastDeviceSeq());
        }
        if (update.clearOffline()) {
            patch.set("/offline", null);
        }
        if (update.handResolved() != null) {
            patch.set("/handResolved", update.handResolved());
        }
        return conflicts(() -> devices.patch(deviceId, deviceId, patch, ifMatch)).map(found -> new Versioned<>(found.value(), found.etag()));
    }

    @Override
    public Optional<Versioned<MinuteWindows>> minutes(String deviceId, String id) {
        return minutes.find(deviceId, id).map(found -> new Versioned<>(found.value(), found.etag()));
    }

    @Override
    public String createMinutes(MinuteWindows document) {
        return conflicts(() -> minutes.create(document).etag());
    }

    @Override
    public Optional<String> updateMinutes(String deviceId, String id, MinutesUpdate update, String ifMatch) {
        Patch patch = Patch.create();
        for (Map.Entry<String, Map<String, double[]>> minute : update.minutes().entrySet()) {
            patch.set("/minutes/" + minute.getKey(), minute.getValue());
        }
        patch.set("/hour", update.hour()).set("/masks", update.masks()).set("/applied", update.applied());
        return conflicts(() -> minutes.patch(deviceId, id, patch, ifMatch)).map(Stored::etag);
    }

    @Override
    public String replaceMinutes(MinuteWindows document, String ifMatch) {
        return conflicts(() -> minutes.replace(document, ifMatch).etag());
    }

    @Override
    public Optional<Versioned<WindowDocument>> hour(String deviceId, String id) {
        return hours.find(deviceId, id).map(found -> new Versioned<>(found.value(), found.etag()));
    }

    @Override
    public String saveHour(WindowDocument hour, String ifMatch) {
        return conflicts(() -> ifMatch == null ? hours.create(hour).etag() : hours.replace(hour, ifMatch).etag());
    }

    @Override
    public boolean createAlert(AlertDocument alert) {
        try {
            alerts.create(alert);
            return true;
        } catch (StoreException.Conflict opened) {
            return false;
        }
    }

    @Override
    public Optional<Versioned<AlertDocument>> alert(String deviceId, String alertId) {
        return alerts.find(deviceId, alertId).map(found -> new Versioned<>(found.value(), found.etag()));
    }

    @Override
    public void replaceAlert(AlertDocument alert, String ifMatch) {
        conflicts(() -> alerts.replace(alert, ifMatch));
    }

    private static String segmentId(long base) {
        return "seg:" + base;
    }

    private static <T> T conflicts(Supplier<T> write) {
        try {
            return write.get();
        } catch (StoreException.Conflict | StoreException.StaleDocument e) {
            throw new StreamStore.Conflict(e.getMessage());
        }
    }
}
