package dev.sensorchat.stream;

import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleState;
import dev.sensorchat.telemetry.Reading;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One device as its stream knows it: open hours and minutes, latest values, what it has learned
 * of the device's reporting interval, its rule states, and the bookkeeping of its read-model
 * documents.
 */
final class DeviceState {

    static final long NONE = Long.MIN_VALUE;

    final String deviceId;
    final int index;

    // what the device document says (learned from reads and patch responses)
    List<String> tags = List.of();
    String offlineAlertId;
    long offlineSince = NONE;
    /** Alerts resolved by hand that this stream has applied. */
    Map<String, String> handResolved = Map.of();
    /** The tags of the device document when this stream last saw it: they set the silence deadline. */
    List<String> documentTags = List.of();
    /** What the device document listed as resolved by hand when this stream last saw it. */
    Map<String, String> documentHandResolved = Map.of();

    // telemetry
    long firstSeen = NONE;
    long lastSeen = NONE;
    /** The device's own clock: the latest reading time; minutes close by it. */
    long maxTs = NONE;
    /** Enqueued time of its latest event: a device quiet for a while has its minutes closed. */
    long lastEnqueued = NONE;
    double intervalMs = Double.NaN;
    Long lastDeviceSeq;
    /** Latest value of each metric: names, and per name its time and its value's bits, side by side. */
    private String[] latestNames = new String[4];
    private long[] latest = new long[8];
    private int latestSize;
    /** Open hours, oldest first; usually one, two around the turn of an hour. */
    final List<HourState> hours = new ArrayList<>(2);
    /** The hour the latest reading went to: where the next one almost always goes. */
    private HourState newest;

    // rules
    /** Rule ids and their states, side by side: a device has a few rules, found by reference first. */
    private String[] ruleIds = new String[2];
    private RuleState[] ruleStates = new RuleState[2];
    private int ruleCount;
    List<Rule> applicableRules = List.of();
    long rulesVersion = -1;

    // the device document
    HourState.Doc deviceDoc = HourState.Doc.UNKNOWN;
    String deviceEtag;
    boolean deviceDirty;
    boolean clearOffline;
    /** Stream time of the last flush: the next one waits a flush period. */
    long lastFlush = NONE;
    /** An alert of the device changed: write its document at the end of the batch. */
    boolean flushDue;
    /** The last batch (of this processor) with an event of this device. */
    long batchStamp;
    /** In the stream's dirty set and due queue. */
    boolean queued;
    /** In the due queue (not yet taken out for a flush). */
    boolean inDue;
    /** Stream time at which its changes are due to be written. */
    long dueAt;
    /** Changed since the last checkpoint. */
    boolean checkpointDirty = true;

    DeviceState(String deviceId, int index) {
        this.deviceId = deviceId;
        this.index = index;
    }

    HourState hour(long start, HourState.Doc newDocument) {
        HourState newest = this.newest;
        if (newest != null && newest.start == start) {
            return newest;
        }
        this.newest = find(start, newDocument);
        return this.newest;
    }

    /** Drops an hour that was written in full and can take no more readings. */
    void removeHour(HourState hour) {
        hours.remove(hour);
        if (newest == hour) {
            newest = null;
        }
    }

    private HourState find(long start, HourState.Doc newDocument) {
        for (int i = hours.size() - 1; i >= 0; i--) {
            HourState hour = hours.get(i);
            if (hour.start == start) {
                return hour;
            }
            if (hour.start < start) {
                HourState added = new HourState(start, newDocument);
                hours.add(i + 1, added);
                return added;
            }
        }
        HourState added = new HourState(start, newDocument);
        hours.add(0, added);
        return added;
    }

    boolean dirty() {
        if (deviceDirty) {
            return true;
        }
        for (HourState hour : hours) {
            if (hour.dirty()) {
                return true;
            }
        }
        return false;
    }

    /** Whose names array lines up with the first latest names (see {@link MetricSet}); null until one is seen to. */
    private Object latestAlignedWith;

    /** Metric {@code i} of a reading, if it is the metric's latest value. */
    void latest(Reading reading, int i, long ts, double value) {
        Object key = reading.metricsKey();
        if (key != latestAlignedWith && i == 0 && MetricSet.linesUp(latestNames, latestSize, reading)) {
            latestAlignedWith = key;
        }
        if (key == latestAlignedWith) {
            keepLatest(i, ts, value);
        } else {
            latest(reading.metric(i), ts, value);
        }
    }

    private void keepLatest(int i, long ts, double value) {
        if (ts >= latest[2 * i]) {
            latest[2 * i] = ts;
            latest[2 * i + 1] = Double.doubleToRawLongBits(value);
        }
    }

    void latest(String metric, long ts, double value) {
        int i = MetricSet.indexOf(latestNames, latestSize, metric);
        if (i >= 0) {
            keepLatest(i, ts, value);
            return;
        }
        if (latestSize == latestNames.length) {
            latestNames = Arrays.copyOf(latestNames, latestSize * 2);
            latest = Arrays.copyOf(latest, latestSize * 4);
        }
        latestNames[latestSize] = metric;
        latest[2 * latestSize] = ts;
        latest[2 * latestSize + 1] = Double.doubleToRawLongBits(value);
        latestSize++;
    }

    int latestCount() {
        return latestSize;
    }

    String latestName(int index) {
        return latestNames[index];
    }

    long latestTs(int index) {
        return latest[2 * index];
    }

    double latestValue(int index) {
        return Double.longBitsToDouble(latest[2 * index + 1]);
    }

    int activeAlerts() {
        int active = offlineAlertId != null ? 1 : 0;
        for (int i = 0; i < ruleCount; i++) {
            if (ruleStates[i].openAlertId() != null) {
                active++;
            }
        }
        return active;
    }

    /** The state of a rule on this device, or null when the rule has not evaluated a reading of it yet. */
    RuleState rule(String ruleId) {
        int index = ruleIndex(ruleId);
        return index < 0 ? null : ruleStates[index];
    }

    void rule(String ruleId, RuleState state) {
        int index = ruleIndex(ruleId);
        if (index >= 0) {
            ruleStates[index] = state;
            return;
        }
        if (ruleCount == ruleIds.length) {
            ruleIds = Arrays.copyOf(ruleIds, ruleCount * 2);
            ruleStates = Arrays.copyOf(ruleStates, ruleCount * 2);
        }
        ruleIds[ruleCount] = ruleId;
        ruleStates[ruleCount] = state;
        ruleCount++;
    }

    private int ruleIndex(String ruleId) {
        return MetricSet.indexOf(ruleIds, ruleCount, ruleId);
    }

    /** Rule states by rule id, in id order (a checkpoint's content does not depend on arrival order). */
    Map<String, RuleState> sortedRules() {
        Map<String, RuleState> sorted = new java.util.TreeMap<>();
        for (int i = 0; i < ruleCount; i++) {
            sorted.put(ruleIds[i], ruleStates[i]);
        }
        return sorted;
    }

    static Map<String, String> copy(Map<String, String> map) {
        return map == null || map.isEmpty() ? Map.of() : Map.copyOf(new HashMap<>(map));
    }
}
