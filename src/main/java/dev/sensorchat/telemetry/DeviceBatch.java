package dev.sensorchat.telemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One device's share of a batch, grouped in memory so that each of its documents is written at
 * most once: its readings in position order, and the same readings by minute and by hour window.
 */
public final class DeviceBatch {

    private final String deviceId;
    private final List<SourcedReading> readings = new ArrayList<>();
    private final Map<Long, List<SourcedReading>> minutes = new TreeMap<>();
    private final Map<Long, List<SourcedReading>> hours = new TreeMap<>();
    private Long lastDeviceSeq;

    DeviceBatch(String deviceId) {
        this.deviceId = deviceId;
    }

    void add(long position, TelemetryEvent event) {
        if (event.deviceSeq() != null) {
            lastDeviceSeq = event.deviceSeq();
        }
        for (Reading reading : event.readings()) {
            SourcedReading sourced = new SourcedReading(position, reading);
            readings.add(sourced);
            minutes.computeIfAbsent(Resolution.MINUTE.windowStart(reading.timestampMs()), start -> new ArrayList<>()).add(sourced);
            hours.computeIfAbsent(Resolution.HOUR.windowStart(reading.timestampMs()), start -> new ArrayList<>()).add(sourced);
        }
    }

    public String deviceId() {
        return deviceId;
    }

    /** Every reading, in position order (and by time within a burst). */
    public List<SourcedReading> readings() {
        return Collections.unmodifiableList(readings);
    }

    /** Readings by window start, for one resolution. */
    public Map<Long, List<SourcedReading>> windows(Resolution resolution) {
        return Collections.unmodifiableMap(resolution == Resolution.MINUTE ? minutes : hours);
    }

    /** The device's own counter from its last event in the batch, if it sends one. */
    public Long lastDeviceSeq() {
        return lastDeviceSeq;
    }
}
