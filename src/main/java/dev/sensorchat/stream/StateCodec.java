package dev.sensorchat.stream;

import dev.sensorchat.alerts.RuleState;
import dev.sensorchat.telemetry.MetricStats;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Checkpoints in binary, deflated: the head (the stream's position and dictionaries) and one
 * shard of devices each. A shard keeps what a device needs to go on: open hours, the minutes not
 * yet in the read model, latest values, rule states, document ETags. Minutes already stored are
 * not kept; a late reading for one reads it back.
 */
final class StateCodec {

    private static final int VERSION = 1;

    /** The head of a checkpoint. */
    /**
     * A checkpoint's head. {@code settled}: written by an idle flush with nothing left out of the
     * read model; a head that is not, with no owner writing it, is what the sweep of abandoned
     * streams settles.
     */
    record Head(String lineage, long applied, long watermark, int shards, List<String> devices, List<String> metrics,
                boolean settled) {
    }

    private StateCodec() {
    }

    static byte[] encodeHead(Head head) {
        Bytes.Writer out = new Bytes.Writer(256 + head.devices().size() * 24);
        out.u8(VERSION).string(head.lineage()).zigzag(head.applied()).zigzag(head.watermark()).varint(head.shards());
        out.varint(head.devices().size());
        head.devices().forEach(out::string);
        out.varint(head.metrics().size());
        head.metrics().forEach(out::string);
        out.bool(head.settled());
        return deflate(out.toByteArray());
    }

    static Head decodeHead(byte[] data) {
        Bytes.Reader in = new Bytes.Reader(inflate(data));
        checkVersion(in.u8());
        String lineage = in.string();
        long applied = in.zigzag();
        long watermark = in.zigzag();
        int shards = in.varintInt();
        List<String> devices = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            devices.add(in.string());
        }
        List<String> metrics = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            metrics.add(in.string());
        }
        boolean settled = in.hasMore() && in.bool(); // heads written before the flag: not settled
        return new Head(lineage, applied, watermark, shards, devices, metrics, settled);
    }

    static byte[] encodeShard(long applied, long watermark, List<DeviceState> devices) {
        Bytes.Writer out = new Bytes.Writer(64 + devices.size() * 512);
        out.u8(VERSION).zigzag(applied).zigzag(watermark).varint(devices.size());
        for (DeviceState device : devices) {
            writeDevice(out, device);
        }
        return deflate(out.toByteArray());
    }

    /** A decoded shard: its position, and its devices. */
    record Shard(long applied, long watermark, List<DeviceState> devices) {
    }

    static Shard decodeShard(byte[] data, Dictionary metrics) {
        Bytes.Reader in = new Bytes.Reader(inflate(data));
        checkVersion(in.u8());
        long applied = in.zigzag();
        long watermark = in.zigzag();
        int count = in.varintInt();
        List<DeviceState> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            devices.add(readDevice(in, metrics));
        }
        return new Shard(applied, watermark, devices);
    }

    private static void writeDevice(Bytes.Writer out, DeviceState d) {
        out.string(d.deviceId).varint(d.index);
        out.varint(d.tags.size());
        d.tags.forEach(out::string);
        out.string(d.offlineAlertId).zigzag(d.offlineSince);
        out.varint(d.handResolved.size());
        d.handResolved.forEach((alert, rule) -> out.string(alert).string(rule));
        out.varint(d.documentTags.size());
        d.documentTags.forEach(out::string);
        out.varint(d.documentHandResolved.size());
        d.documentHandResolved.forEach((alert, rule) -> out.string(alert).string(rule));
        out.zigzag(d.firstSeen).zigzag(d.lastSeen).zigzag(d.maxTs).zigzag(d.lastEnqueued).f64(d.intervalMs);
        if (d.lastDeviceSeq == null) {
            out.u8(0);
        } else {
            out.u8(1).zigzag(d.lastDeviceSeq);
        }
        out.varint(d.latestCount());
        for (int i = 0; i < d.latestCount(); i++) {
            out.string(d.latestName(i)).f64(d.latestValue(i)).zigzag(d.latestTs(i));
        }
        Map<String, RuleState> rules = d.sortedRules();
        out.varint(rules.size());
        rules.forEach((ruleId, state) -> out.string(ruleId).varint(state.consecutive())
                .zigzag(state.matchingSince() == null ? DeviceState.NONE : state.matchingSince().toEpochMilli())
                .zigzag(state.lastTs() == null ? DeviceState.NONE : state.lastTs().toEpochMilli())
                .string(state.openAlertId()));
        out.u8(d.deviceDoc.ordinal()).string(d.deviceEtag).bool(d.deviceDirty).bool(d.clearOffline).zigzag(d.lastFlush)
                .bool(d.flushDue);
        out.varint(d.hours.size());
        for (HourState h : d.hours) {
            out.zigzag(h.start).zigzag(h.applied).u8(h.minutesDoc.ordinal()).string(h.minutesEtag).u8(h.hourDoc.ordinal())
                    .string(h.hourEtag).bool(h.hourDirty).varint(h.storedMinutes).varint(h.dirtyMinutes);
            writeMetrics(out, h.hour, true);
            out.varint(Long.bitCount(h.dirtyMinutes));
            for (int m = 0; m < 60; m++) {
                if ((h.dirtyMinutes & (1L << m)) != 0) {
                    out.u8(m).zigzag(h.minuteBase(m));
                    writeMetrics(out, h.minutes[m], false);
                }
            }
        }
    }

    private static DeviceState readDevice(Bytes.Reader in, Dictionary metrics) {
        DeviceState d = new DeviceState(in.string(), in.varintInt());
        List<String> tags = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            tags.add(in.string());
        }
        d.tags = List.copyOf(tags);
        d.offlineAlertId = in.string();
        d.offlineSince = in.zigzag();
        Map<String, String> handResolved = new LinkedHashMap<>();
        for (int n = in.varintInt(); n > 0; n--) {
            handResolved.put(in.string(), in.string());
        }
        d.handResolved = DeviceState.copy(handResolved);
        List<String> documentTags = new ArrayList<>();
        for (int n = in.varintInt(); n > 0; n--) {
            documentTags.add(in.string());
        }
        d.documentTags = List.copyOf(documentTags);
        Map<String, String> documentHandResolved = new LinkedHashMap<>();
        for (int n = in.varintInt(); n > 0; n--) {
            documentHandResolved.put(in.string(), in.string());
        }
        d.documentHandResolved = DeviceState.copy(documentHandResolved);
        d.firstSeen = in.zigzag();
        d.lastSeen = in.zigzag();
        d.maxTs = in.zigzag();
        d.lastEnqueued = in.zigzag();
        d.intervalMs = in.f64();
        d.lastDeviceSeq = in.u8() == 0 ? null : in.zigzag();
        for (int n = in.varintInt(); n > 0; n--) {
            String name = metrics.get(metrics.add(in.string()));
            double value = in.f64();
            d.latest(name, in.zigzag(), value);
        }
        for (int n = in.varintInt(); n > 0; n--) {
            String ruleId = in.string();
            int consecutive = in.varintInt();
            Instant since = instantOrNull(in.zigzag());
            Instant lastTs = instantOrNull(in.zigzag());
            d.rule(ruleId, new RuleState(consecutive, since, lastTs, in.string()));
        }
        d.deviceDoc = HourState.Doc.values()[in.u8()];
        d.deviceEtag = in.string();
        d.deviceDirty = in.bool();
        d.clearOffline = in.bool();
        d.lastFlush = in.zigzag();
        d.flushDue = in.bool();
        for (int n = in.varintInt(); n > 0; n--) {
            long start = in.zigzag();
            long applied = in.zigzag();
            HourState h = new HourState(start, HourState.Doc.values()[in.u8()]);
            h.applied = applied;
            h.minutesEtag = in.string();
            h.hourDoc = HourState.Doc.values()[in.u8()];
            h.hourEtag = in.string();
            h.hourDirty = in.bool();
            h.storedMinutes = in.varint();
            h.dirtyMinutes = in.varint();
            MetricSet hour = readMetrics(in, metrics, true);
            for (int i = 0; i < hour.size(); i++) {
                h.hour.put(hour.name(i), hour.stats(i), hour.minuteMask(i));
            }
            for (int m = in.varintInt(); m > 0; m--) {
                int minute = in.u8();
                h.minuteBase(minute, in.zigzag());
                h.minutes[minute] = readMetrics(in, metrics, false);
                h.heldMinutes |= 1L << minute;
            }
            d.hours.add(h);
        }
        d.checkpointDirty = false;
        return d;
    }

    private static void writeMetrics(Bytes.Writer out, MetricSet set, boolean masks) {
        out.varint(set.size());
        for (int i = 0; i < set.size(); i++) {
            MetricStats.Accumulator a = set.stats(i);
            out.string(set.name(i)).varint(a.count()).f64(a.sum()).f64(a.min()).f64(a.max()).zigzag(a.firstTs())
                    .zigzag(a.lastTs()).f64(a.last());
            if (masks) {
                out.varint(set.minuteMask(i));
            }
        }
    }

    private static MetricSet readMetrics(Bytes.Reader in, Dictionary metrics, boolean masks) {
        MetricSet set = new MetricSet();
        for (int n = in.varintInt(); n > 0; n--) {
            String name = metrics.get(metrics.add(in.string()));
            MetricStats.Accumulator a = new MetricStats.Accumulator(in.varint(), in.f64(), in.f64(), in.f64(), in.zigzag(),
                    in.zigzag(), in.f64());
            set.put(name, a, masks ? in.varint() : 0);
        }
        return set;
    }

    private static void checkVersion(int version) {
        if (version != VERSION) {
            throw new IllegalStateException("checkpoint format " + version + " is not known to this version of the app");
        }
    }

    static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 2));
            byte[] chunk = new byte[16 * 1024];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 3);
            byte[] chunk = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("truncated checkpoint");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt checkpoint", e);
        } finally {
            inflater.end();
        }
    }

    static Instant instantOrNull(long ms) {
        return ms == DeviceState.NONE ? null : Instant.ofEpochMilli(ms);
    }
}
