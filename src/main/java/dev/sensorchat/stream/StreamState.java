package dev.sensorchat.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a stream holds in memory: its position, its devices, and what is still to be done
 * (alert writes, facts to record, devices to flush). Rebuilt from the checkpoint and the segments
 * after it whenever this instance is not sure it is current.
 */
final class StreamState {

    final String lineage;
    final int shards;
    long applied;
    /** The stream's clock: the latest enqueued time seen. */
    long watermark = DeviceState.NONE;
    final Dictionary devices = Dictionary.ofDeviceIds();
    final Dictionary metrics = Dictionary.ofMetricNames();
    final Map<String, DeviceState> byId = new HashMap<>();
    /** Per shard, the position its checkpoint was taken at (during recovery: what to skip). */
    final long[] shardApplied;
    final String[] shardEtags;
    final boolean[] shardDirty;
    String headEtag;
    /** Whether the head in the store says the read model has everything (see {@link StateCodec.Head}). */
    boolean headSettled;
    long lastCheckpointWatermark = DeviceState.NONE;
    int segmentsSinceCheckpoint;
    long eventsSinceCheckpoint;
    String savedRulesFingerprint;

    /** Alert writes decided by committed batches, not done yet. */
    final PendingAlerts pendingAlerts = new PendingAlerts();
    final Map<String, DeviceFact> pendingFacts = new LinkedHashMap<>();
    final Set<DeviceState> dirtyDevices = new LinkedHashSet<>();
    /** Dirty devices by when they are due (their last flush plus a flush period): the head is the next. */
    final java.util.PriorityQueue<DeviceState> due = new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(d -> d.dueAt));
    /** Devices whose alerts changed: written at the end of this batch. */
    final List<DeviceState> urgent = new ArrayList<>();
    /** Hours ending at or before this have been looked for in every device (evictions are rare: once an hour). */
    long evictionScannedThrough = Long.MIN_VALUE;

    StreamState(String lineage, long applied, int shards) {
        this.lineage = lineage;
        this.applied = applied;
        this.shards = shards;
        this.shardApplied = new long[shards];
        this.shardEtags = new String[shards];
        this.shardDirty = new boolean[shards];
        java.util.Arrays.fill(shardApplied, -1);
    }

    int shardOf(String deviceId) {
        return Math.floorMod(deviceId.hashCode(), shards);
    }

    DeviceState device(String deviceId) {
        return byId.get(deviceId);
    }

    DeviceState add(String deviceId) {
        DeviceState device = new DeviceState(deviceId, devices.add(deviceId));
        byId.put(device.deviceId, device);
        return device;
    }

    void put(DeviceState device) {
        byId.put(device.deviceId, device);
    }

    void changed(DeviceState device) {
        if (!device.checkpointDirty) {
            device.checkpointDirty = true;
        }
        shardDirty[shardOf(device.deviceId)] = true;
    }

    List<DeviceState> devicesOfShard(int shard) {
        List<DeviceState> found = new ArrayList<>();
        for (DeviceState device : byId.values()) {
            if (shardOf(device.deviceId) == shard) {
                found.add(device);
            }
        }
        found.sort(java.util.Comparator.comparingInt(d -> d.index));
        return found;
    }
}
