package dev.sensorchat.stream;

import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.TelemetryEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A segment in binary: about 45 bytes for an event of three metrics. Device ids and metric names
 * travel as numbers of the stream's dictionaries; positions, times and timestamps as deltas.
 */
final class SegmentCodec {

    private static final int VERSION = 1;

    /**
     * What one segment holds. {@code devicesOfEvents}, when the segment is being written, is each
     * event's device as the stream already resolved it (null in a decoded segment).
     */
    record Content(long base, long last, long watermark, String rulesFingerprint, List<String> newDevices,
                   List<String> newMetrics, List<DeviceFact> facts, List<StreamEvent> events, DeviceState[] devicesOfEvents) {
    }

    private SegmentCodec() {
    }

    /** The dictionaries must already hold the segment's new names. */
    static byte[] encode(Content content, Dictionary devices, Dictionary metrics) {
        Bytes.Writer out = new Bytes.Writer(64 + content.events().size() * 48);
        out.u8(VERSION).zigzag(content.base()).zigzag(content.last()).zigzag(content.watermark()).string(content.rulesFingerprint());
        out.varint(content.newDevices().size());
        content.newDevices().forEach(out::string);
        out.varint(content.newMetrics().size());
        content.newMetrics().forEach(out::string);
        out.varint(content.facts().size());
        for (DeviceFact fact : content.facts()) {
            writeFact(out, fact);
        }
        out.varint(content.events().size());
        long position = content.base();
        long enqueued = content.watermark();
        DeviceState[] resolved = content.devicesOfEvents();
        for (int e = 0; e < content.events().size(); e++) {
            StreamEvent event = content.events().get(e);
            out.zigzag(event.position() - position).zigzag(event.enqueuedMs() - enqueued);
            position = event.position();
            enqueued = event.enqueuedMs();
            TelemetryEvent telemetry = event.event();
            out.varint(resolved != null ? resolved[e].index : devices.numberOf(telemetry.deviceId()));
            if (telemetry.deviceSeq() == null) {
                out.u8(0);
            } else {
                out.u8(1).zigzag(telemetry.deviceSeq());
            }
            out.varint(telemetry.readings().size());
            for (Reading reading : telemetry.readings()) {
                out.zigzag(reading.timestampMs() - event.enqueuedMs()).varint(reading.metricCount());
                for (int i = 0; i < reading.metricCount(); i++) {
                    out.varint(metrics.numberOf(reading.metric(i))).f64(reading.value(i));
                }
            }
        }
        return out.toByteArray();
    }

    /** Adds the segment's new names to the dictionaries, in their order. */
    static Content decode(byte[] data, Dictionary devices, Dictionary metrics) {
        Bytes.Reader in = new Bytes.Reader(data);
        int version = in.u8();
        if (version != VERSION) {
            throw new IllegalStateException("segment format " + version + " is not known to this version of the app");
        }
        long base = in.zigzag();
        long last = in.zigzag();
        long watermark = in.zigzag();
        String fingerprint = in.string();
        List<String> newDevices = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            String id = in.string();
            newDevices.add(id);
            devices.add(id);
        }
        List<String> newMetrics = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            String name = in.string();
            newMetrics.add(name);
            metrics.add(name);
        }
        List<DeviceFact> facts = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            facts.add(readFact(in));
        }
        int count = in.varintInt();
        List<StreamEvent> events = new ArrayList<>(count);
        long position = base;
        long enqueued = watermark;
        for (int e = 0; e < count; e++) {
            position += in.zigzag();
            enqueued += in.zigzag();
            String deviceId = devices.get(in.varintInt());
            Long seq = in.u8() == 0 ? null : in.zigzag();
            int readingCount = in.varintInt();
            List<Reading> readings = new ArrayList<>(readingCount);
            for (int r = 0; r < readingCount; r++) {
                long ts = enqueued + in.zigzag();
                int metricCount = in.varintInt();
                String[] names = new String[metricCount];
                double[] values = new double[metricCount];
                for (int m = 0; m < metricCount; m++) {
                    names[m] = metrics.get(in.varintInt());
                    values[m] = in.f64();
                }
                readings.add(new Reading(ts, names, values));
            }
            events.add(new StreamEvent(position, enqueued, new TelemetryEvent(deviceId, seq, readings)));
        }
        return new Content(base, last, watermark, fingerprint, newDevices, newMetrics, facts, events, null);
    }

    static void writeFact(Bytes.Writer out, DeviceFact fact) {
        out.string(fact.deviceId());
        out.varint(fact.tags().size());
        fact.tags().forEach(out::string);
        out.string(fact.offlineAlertId()).zigzag(fact.offlineSince());
        out.varint(fact.handResolved().size());
        fact.handResolved().forEach((alertId, ruleId) -> out.string(alertId).string(ruleId));
    }

    static DeviceFact readFact(Bytes.Reader in) {
        String deviceId = in.string();
        List<String> tags = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            tags.add(in.string());
        }
        String offlineAlertId = in.string();
        long offlineSince = in.zigzag();
        Map<String, String> handResolved = new LinkedHashMap<>();
        for (int n = in.varintInt(); n > 0; n--) {
            handResolved.put(in.string(), in.string());
        }
        return new DeviceFact(deviceId, List.copyOf(tags), offlineAlertId, offlineSince, Map.copyOf(handResolved));
    }
}
