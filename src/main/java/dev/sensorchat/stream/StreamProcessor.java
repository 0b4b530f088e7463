package dev.sensorchat.stream;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleEvaluator;
import dev.sensorchat.alerts.RuleState;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.TelemetryEvent;
import dev.sensorchat.telemetry.WindowDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The telemetry state of one Event Hubs partition, owned by the instance that processes it, as a
 * Kafka Streams task owns its partition's state. A batch costs one write, its segment: the
 * accepted events in binary, appended to the stream's log under the position it starts from. The
 * append is the commit, and it only succeeds for the instance whose state is current, so two
 * instances on one partition (during a rebalance) cannot both advance it: the loser rebuilds
 * from the log and goes on. Everything else is derived, deterministic and idempotent:
 *
 * <ul>
 *   <li>aggregates are kept per device, hour and minute in memory; a device's read model (its
 *       minute document and its device document) is written at most once per
 *       {@link StreamSettings#flushPeriod()} of stream time, when it changed, so a device that
 *       reports every second costs two writes a minute instead of sixty; an hour's final rollup
 *       is written once, when no reading can reach it any more;</li>
 *   <li>rules are evaluated per reading, in the same pass; an alert is written right after the
 *       segment that raised it, in the same invocation;</li>
 *   <li>checkpoints (the state in a few shards) are written about once a minute, so a recovery
 *       reads a checkpoint and the segments after it.</li>
 * </ul>
 *
 * Invocations for one partition never overlap within an instance; the methods are synchronized
 * for the idle flush, which runs on another thread.
 */
public final class StreamProcessor {

    private static final Logger LOG = Logger.getLogger(StreamProcessor.class.getName());
    private static final int MAX_COMMIT_ATTEMPTS = 10;
    private static final int MAX_WRITE_ATTEMPTS = 10;
    /** Cosmos DB takes 10 operations in a patch: this many minutes, the hour, its masks and the position. */
    private static final int MINUTES_PER_PATCH = 7;
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final int EVENTS_PER_CHECKPOINT_WRITE = 100;

    /**
     * What one batch did.
     *
     * @param applied events new to the stream; the others were applied before
     * @param devices devices those events came from
     * @param alertsOpened alerts this batch opened (a replay that finds them open opens none)
     */
    public record Outcome(int applied, int skipped, int devices, boolean committed, int recoveries, int alertsOpened) {
    }

    private final String stream;
    private final StreamStore store;
    private final Rules.Source rules;
    private final StreamSettings settings;
    private final Executor writers;
    private final Map<String, Rules> rulesByFingerprint = new HashMap<>();
    private StreamState state;
    private int recoveries;
    /** Counts a batch's devices without a set: each device remembers the batch it was last seen in. */
    private long batchStamp;
    private int batchDevices;
    private int alertsOpened;

    public StreamProcessor(String stream, StreamStore store, Rules.Source rules, StreamSettings settings, Executor writers) {
        this.stream = stream;
        this.store = store;
        this.rules = rules;
        this.settings = settings;
        this.writers = writers;
    }

    public String stream() {
        return stream;
    }

    /** How often this processor rebuilt its state from the store (it lost a race, failed, or started). */
    public synchronized int recoveries() {
        return recoveries;
    }

    /**
     * Applies a batch: {@code events} are its accepted events in position order, {@code last} the
     * position of its last event (accepted or not). Events at or below the stream's position were
     * applied before and are skipped; a batch of nothing but those writes nothing.
     */
    public synchronized Outcome process(List<StreamEvent> events, long last) {
        int attemptsLeft = MAX_COMMIT_ATTEMPTS;
        int recoveredBefore = recoveries;
        alertsOpened = 0;
        while (true) {
            try {
                ensureState();
                drainAlerts();
                if (last <= state.applied) {
                    return new Outcome(0, events.size(), 0, false, recoveries - recoveredBefore, alertsOpened);
                }
                Rules current = rules.current();
                saveRules(current);
                SegmentCodec.Content content = prepare(events, last, current);
                byte[] data = SegmentCodec.encode(content, state.devices, state.metrics);
                batchDevices = 0;
                batchStamp++;
                apply(content, current, null);
                if (!store.appendSegment(new StreamStore.Segment(stream, state.lineage, content.base(), last, data))) {
                    // Another instance appended on this position first: our state is behind.
                    state = null;
                    if (--attemptsLeft == 0) {
                        throw new StreamStore.Conflict("stream " + stream + " kept moving under this instance");
                    }
                    continue;
                }
                state.applied = last;
                state.segmentsSinceCheckpoint++;
                state.eventsSinceCheckpoint += content.events().size();
                drainAlerts();
                flush(false);
                maybeCheckpoint(false);
                return new Outcome(content.events().size(), events.size() - content.events().size(), batchDevices, true,
                        recoveries - recoveredBefore, alertsOpened);
            } catch (RuntimeException e) {
                state = null; // whatever this state held that is not in the store is rebuilt from the log
                throw e;
            }
        }
    }

    /**
     * Writes everything still only in memory (open minutes too) and a checkpoint: what a stream
     * that stopped receiving events leaves behind. Runs on the idle-flush thread.
     */
    public synchronized void flushIdle() {
        if (state == null) {
            return;
        }
        try {
            drainAlerts();
            flush(true);
            maybeCheckpoint(true);
        } catch (RuntimeException e) {
            state = null;
            throw e;
        }
    }

    /**
     * Rebuilds the state from the store if this instance does not hold it, and writes what it holds
     * as the idle flush does: how a stream that another instance left behind gets settled.
     */
    public synchronized void settle() {
        try {
            ensureState();
        } catch (RuntimeException e) {
            state = null;
            throw e;
        }
        flushIdle();
    }

    /** Devices with changes not yet in the read model; 0 when none (or nothing is loaded). */
    public synchronized int pendingDevices() {
        return state == null ? 0 : state.dirtyDevices.size();
    }

    // ------------------------------------------------------------------ preparing and applying

    /** Orders the batch into a segment: what is new, the devices and names it introduces, the facts to record. */
    private SegmentCodec.Content prepare(List<StreamEvent> events, long last, Rules current) {
        List<StreamEvent> fresh = new ArrayList<>(events.size());
        DeviceState[] resolved = new DeviceState[events.size()];
        List<String> newDevices = new ArrayList<>();
        List<String> newMetrics = new ArrayList<>(2);
        java.util.Set<String> seenNew = null;
        Reading checked = null;
        long watermark = state.watermark;
        for (StreamEvent event : events) {
            watermark = Math.max(watermark, event.enqueuedMs());
            if (event.position() <= state.applied) {
                continue;
            }
            TelemetryEvent telemetry = event.event();
            String deviceId = telemetry.deviceId();
            DeviceState known = state.device(deviceId);
            resolved[fresh.size()] = known;
            fresh.add(event);
            if (known == null) {
                if (seenNew == null) {
                    seenNew = new java.util.HashSet<>();
                }
                if (seenNew.add(deviceId)) {
                    newDevices.add(deviceId);
                }
            }
            List<Reading> readings = telemetry.readings();
            for (int r = 0; r < readings.size(); r++) {
                Reading reading = readings.get(r);
                if (reading.hasMetricsOf(checked)) {
                    continue; // the same names as a reading already checked (the common case)
                }
                checked = reading;
                for (int i = 0; i < reading.metricCount(); i++) {
                    String metric = reading.metric(i);
                    if (state.metrics.numberOf(metric) < 0 && !newMetrics.contains(metric)) {
                        newMetrics.add(metric);
                    }
                }
            }
        }
        // A device new to this stream may be known to the registry (tags for rule scopes, an open
        // offline alert): read its document once, and record what it said.
        Map<String, DeviceFact> facts = new LinkedHashMap<>(state.pendingFacts);
        state.pendingFacts.clear();
        Map<String, Optional<StreamStore.Versioned<DeviceDocument>>> lookups = readAll(newDevices);
        newDevices.forEach(id -> state.devices.add(id));
        newMetrics.forEach(state.metrics::add);
        for (String deviceId : newDevices) {
            DeviceState device = state.add(deviceId);
            Optional<StreamStore.Versioned<DeviceDocument>> found = lookups.get(deviceId);
            if (found.isPresent()) {
                device.deviceDoc = HourState.Doc.PRESENT;
                device.deviceEtag = found.get().etag();
                DeviceDocument document = found.get().value();
                device.documentTags = document.tags() == null ? List.of() : List.copyOf(document.tags());
                device.documentHandResolved = document.handResolved() == null ? Map.of() : Map.copyOf(document.handResolved());
                facts.put(deviceId, factOf(document));
            } else {
                device.deviceDoc = HourState.Doc.ABSENT;
            }
        }
        if (!newDevices.isEmpty()) {
            for (int i = 0; i < fresh.size(); i++) {
                if (resolved[i] == null) {
                    resolved[i] = state.device(fresh.get(i).event().deviceId());
                }
            }
        }
        return new SegmentCodec.Content(state.applied, last, watermark, current.fingerprint(), newDevices, newMetrics,
                List.copyOf(facts.values()), fresh, resolved);
    }

    private Map<String, Optional<StreamStore.Versioned<DeviceDocument>>> readAll(List<String> deviceIds) {
        Map<String, CompletableFuture<Optional<StreamStore.Versioned<DeviceDocument>>>> reads = new LinkedHashMap<>();
        for (String id : deviceIds) {
            reads.put(id, CompletableFuture.supplyAsync(() -> store.device(id), writers));
        }
        Map<String, Optional<StreamStore.Versioned<DeviceDocument>>> found = new HashMap<>();
        reads.forEach((id, read) -> found.put(id, join(read)));
        return found;
    }

    /**
     * Applies a segment's content to the state. {@code skipShard}, during a recovery, holds each
     * shard's checkpoint position: events a shard's checkpoint already contains are skipped.
     */
    private void apply(SegmentCodec.Content content, Rules current, long[] skipShard) {
        for (DeviceFact fact : content.facts()) {
            DeviceState device = state.device(fact.deviceId());
            if (device == null) {
                device = state.add(fact.deviceId());
            }
            if (skipShard != null && content.last() <= skipShard[state.shardOf(device.deviceId)]) {
                continue;
            }
            applyFact(device, fact);
        }
        DeviceState[] resolved = content.devicesOfEvents();
        for (int e = 0; e < content.events().size(); e++) {
            StreamEvent event = content.events().get(e);
            TelemetryEvent telemetry = event.event();
            DeviceState device = resolved != null ? resolved[e] : state.device(telemetry.deviceId());
            if (device == null) {
                device = state.add(telemetry.deviceId()); // a recovery: the segment introduced it
            }
            if (skipShard != null && event.position() <= skipShard[state.shardOf(device.deviceId)]) {
                continue;
            }
            applyEvent(device, event, current);
        }
        state.watermark = Math.max(state.watermark, content.watermark());
    }

    private void applyFact(DeviceState device, DeviceFact fact) {
        if (!fact.tags().equals(device.tags)) {
            device.tags = fact.tags();
            device.rulesVersion = -1;
        }
        if (fact.offlineAlertId() != null && !fact.offlineAlertId().equals(device.offlineAlertId)) {
            device.offlineAlertId = fact.offlineAlertId();
            device.offlineSince = fact.offlineSince();
            if (device.lastSeen != DeviceState.NONE && device.lastSeen > device.offlineSince) {
                resolveOffline(device, device.lastSeen); // it reported again before this stream heard of the alert
            }
        }
        if (!fact.handResolved().isEmpty()) {
            Map<String, String> consumed = new HashMap<>(device.handResolved);
            fact.handResolved().forEach((alertId, ruleId) -> {
                RuleState rule = device.rule(ruleId);
                if (rule != null && alertId.equals(rule.openAlertId())) {
                    device.rule(ruleId, new RuleState(0, null, rule.lastTs(), null));
                }
                consumed.put(alertId, ruleId);
            });
            device.handResolved = DeviceState.copy(consumed);
            device.deviceDirty = true;
            markDirty(device);
        }
        state.changed(device);
    }

    private void applyEvent(DeviceState device, StreamEvent event, Rules current) {
        TelemetryEvent telemetry = event.event();
        if (device.batchStamp != batchStamp) {
            device.batchStamp = batchStamp;
            batchDevices++;
        }
        if (device.rulesVersion != current.fingerprint().hashCode() || device.applicableRules == null) {
            device.applicableRules = applicable(current, device);
            device.rulesVersion = current.fingerprint().hashCode();
        }
        device.lastEnqueued = Math.max(device.lastEnqueued, event.enqueuedMs());
        if (telemetry.deviceSeq() != null) {
            device.lastDeviceSeq = telemetry.deviceSeq();
        }
        List<Reading> readings = telemetry.readings();
        for (int r = 0; r < readings.size(); r++) {
            fold(device, readings.get(r), event.position());
        }
        device.deviceDirty = true;
        markDirty(device);
        state.changed(device);
    }

    private static List<Rule> applicable(Rules current, DeviceState device) {
        List<Rule> found = new ArrayList<>(2);
        for (Rule rule : current.rules()) {
            if (rule.scope().appliesTo(device.deviceId, device.tags)) {
                found.add(rule);
            }
        }
        return found;
    }

    /** One reading into the device's hour, minute, latest values, reporting interval and rules. */
    private void fold(DeviceState device, Reading reading, long position) {
        long ts = reading.timestampMs();
        long hourStart = Math.floorDiv(ts, HOUR) * HOUR;
        int minute = (int) ((ts - hourStart) / MINUTE);
        HourState hour = device.hour(hourStart, HourState.Doc.ABSENT);
        long bit = 1L << minute;
        if ((hour.heldMinutes & bit) == 0 && (hour.storedMinutes & bit) != 0) {
            loadMinute(device, hour, minute); // flushed and dropped, and a reading still came
        }
        MetricSet minuteStats = position > hour.minuteBase(minute) ? hour.minute(minute) : null;
        for (int i = 0; i < reading.metricCount(); i++) {
            double value = reading.value(i);
            hour.hour.add(reading, i, ts, value, minute);
            if (minuteStats != null) {
                minuteStats.add(reading, i, ts, value);
            }
            device.latest(reading, i, ts, value);
        }
        hour.dirtyMinutes |= bit;
        hour.hourDirty = true;
        hour.applied = Math.max(hour.applied, position);

        if (device.firstSeen == DeviceState.NONE || ts < device.firstSeen) {
            device.firstSeen = ts;
        }
        if (device.lastSeen == DeviceState.NONE || ts > device.lastSeen) {
            if (device.lastSeen != DeviceState.NONE) {
                double gap = ts - device.lastSeen;
                device.intervalMs = Double.isNaN(device.intervalMs) ? gap : device.intervalMs + 0.2 * (gap - device.intervalMs);
            }
            device.lastSeen = ts;
        }
        device.maxTs = Math.max(device.maxTs, ts);

        if (device.offlineAlertId != null && ts > device.offlineSince) {
            resolveOffline(device, ts);
        }
        List<Rule> applicable = device.applicableRules;
        for (int i = 0; i < applicable.size(); i++) {
            Rule rule = applicable.get(i);
            double value = reading.valueOf(rule.metric());
            if (Double.isNaN(value)) {
                continue;
            }
            RuleState known = device.rule(rule.id());
            RuleState before = known != null ? known : RuleState.INITIAL;
            RuleEvaluator.Step step = RuleEvaluator.step(rule, device.deviceId, before, ts, value);
            if (step == null) {
                continue;
            }
            device.rule(rule.id(), step.next());
            if (step.opened() != null) {
                state.pendingAlerts.open(step.opened());
                device.flushDue = true; // the device document counts its active alerts
            }
            if (step.resolved() != null) {
                resolveByRule(device, step.resolved(), ts, value);
            }
        }
    }

    private void resolveOffline(DeviceState device, long ts) {
        state.pendingAlerts.resolve(device.deviceId, device.offlineAlertId, ts, null);
        device.offlineAlertId = null;
        device.offlineSince = DeviceState.NONE;
        device.clearOffline = true;
        device.deviceDirty = true;
        device.flushDue = true;
        markDirty(device);
    }

    /** An alert opened in this same batch is resolved before it is written: one write instead of two. */
    private void resolveByRule(DeviceState device, String alertId, long ts, double value) {
        if (!state.pendingAlerts.resolveBeforeWritten(alertId, ts, value)) {
            state.pendingAlerts.resolve(device.deviceId, alertId, ts, value);
        }
        device.flushDue = true;
    }

    /** Queues a changed device: due a flush period after its last write (at once when it never was written). */
    private void markDirty(DeviceState device) {
        if (device.flushDue && !state.urgent.contains(device)) {
            state.urgent.add(device);
        }
        if (device.queued) {
            return;
        }
        device.queued = true;
        device.dueAt = device.lastFlush == DeviceState.NONE ? Long.MIN_VALUE : device.lastFlush + settings.flushPeriod().toMillis();
        state.dirtyDevices.add(device);
        state.due.add(device);
        device.inDue = true;
    }

    // ------------------------------------------------------------------ alerts

    private void drainAlerts() {
        List<AlertWrites.Effect> effects = state.pendingAlerts.effects();
        int done = 0;
        try {
            for (; done < effects.size(); done++) {
                AlertWrites.Effect effect = effects.get(done);
                if (AlertWrites.write(store, effect) && effect instanceof AlertWrites.Open) {
                    alertsOpened++;
                }
            }
        } finally {
            state.pendingAlerts.removeFirst(done);
        }
    }

    // ------------------------------------------------------------------ flushing to the read model

    /**
     * Writes the devices that are due: their last write is a flush period old (in stream time), an
     * alert of theirs changed, or {@code everything} (the idle flush). Hours no reading can reach
     * any more get their final rollup and leave memory. Devices are written in parallel.
     */
    private void flush(boolean everything) {
        long now = state.watermark;
        long evictBefore = now - settings.evictAfterMs();
        java.util.Set<DeviceState> due = new java.util.LinkedHashSet<>();
        if (everything) {
            due.addAll(state.dirtyDevices);
        } else {
            while (!state.due.isEmpty() && state.due.peek().dueAt <= now) {
                DeviceState next = state.due.poll();
                next.inDue = false;
                due.add(next);
            }
            due.addAll(state.urgent);
        }
        state.urgent.clear();
        // Hours no reading can reach any more: looked for once per hour of stream time, in every device.
        long finalThrough = Math.floorDiv(evictBefore, HOUR) * HOUR;
        if (finalThrough > state.evictionScannedThrough) {
            for (DeviceState device : state.byId.values()) {
                if (!device.hours.isEmpty() && device.hours.get(0).end() <= evictBefore) {
                    due.add(device);
                }
            }
            state.evictionScannedThrough = finalThrough;
        }
        if (due.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>(due.size());
        for (DeviceState device : due) {
            writes.add(CompletableFuture.runAsync(() -> flushDevice(device, everything, evictBefore, now), writers));
        }
        for (CompletableFuture<Void> write : writes) {
            join(write);
        }
        for (DeviceState device : due) {
            if (device.inDue) {
                state.due.remove(device); // urgent, evicted or idle-flushed: it was still waiting
                device.inDue = false;
            }
            device.queued = false;
            state.dirtyDevices.remove(device);
            if (device.dirty()) {
                markDirty(device); // changed again while it was written (an offline alert resolved)
            }
            state.changed(device);
        }
    }

    private void flushDevice(DeviceState device, boolean everything, long evictBefore, long now) {
        for (HourState hour : List.copyOf(device.hours)) {
            if (hour.dirty()) {
                writeMinutes(device, hour);
            }
            if (hour.end() <= evictBefore) {
                writeFinalHour(device, hour);
                device.removeHour(hour);
            } else {
                dropStoredMinutes(hour, evictBefore);
            }
        }
        if (device.deviceDirty) {
            writeDevice(device);
        }
        device.flushDue = false;
        device.lastFlush = now;
    }

    /** Minutes no reading can reach any more leave memory once stored. */
    private static void dropStoredMinutes(HourState hour, long evictBefore) {
        for (int m = 0; m < 60; m++) {
            long bit = 1L << m;
            if ((hour.heldMinutes & bit) != 0 && (hour.dirtyMinutes & bit) == 0 && hour.start + (m + 1) * MINUTE <= evictBefore) {
                hour.minutes[m] = null;
                hour.heldMinutes &= ~bit;
                hour.minuteBase(m, -1);
            }
        }
    }

    /**
     * Writes the hour's changed minutes with one request, so the document is always whole at its
     * position ({@code applied}): a late reading that reads a minute back trusts that position, and
     * an owner that finds the document at or past its own takes it as written. A few minutes go in
     * a patch; more than a patch holds go in a conditional replace of the whole document (several
     * patches would leave the position ahead of the minutes still to come).
     */
    private void writeMinutes(DeviceState device, HourState hour) {
        String id = MinuteWindows.id(hour.start, stream);
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            try {
                MinuteWindows read = null; // the document as this attempt read it, when it did
                if (hour.minutesDoc == HourState.Doc.UNKNOWN) {
                    Optional<StreamStore.Versioned<MinuteWindows>> found = store.minutes(device.deviceId, id);
                    if (found.isEmpty()) {
                        hour.minutesDoc = HourState.Doc.ABSENT;
                    } else {
                        read = found.get().value();
                        hour.minutesDoc = HourState.Doc.PRESENT;
                        hour.minutesEtag = found.get().etag();
                        hour.storedMinutes |= minuteMask(read);
                        if (read.applied() >= hour.applied) {
                            hour.storedMinutes |= hour.heldMinutes; // stored already, by an earlier owner of the stream
                            markMinutesClean(hour);
                            return;
                        }
                    }
                }
                if (hour.minutesDoc == HourState.Doc.ABSENT) {
                    hour.minutesEtag = store.createMinutes(wholeDocument(device, hour, id, minutesOf(hour, hour.heldMinutes)));
                    hour.minutesDoc = HourState.Doc.PRESENT;
                    hour.storedMinutes |= hour.heldMinutes;
                    markMinutesClean(hour);
                    return;
                }
                if (Long.bitCount(hour.dirtyMinutes) <= MINUTES_PER_PATCH) {
                    Optional<String> etag = store.updateMinutes(device.deviceId, id,
                            new StreamStore.MinutesUpdate(minutesOf(hour, hour.dirtyMinutes), hourStats(hour), masks(hour), hour.applied),
                            hour.minutesEtag);
                    if (etag.isEmpty()) {
                        hour.minutesDoc = HourState.Doc.ABSENT; // deleted (expired) meanwhile: write it whole
                        hour.dirtyMinutes |= hour.heldMinutes;
                        throw new Retry();
                    }
                    hour.minutesEtag = etag.get();
                    hour.storedMinutes |= hour.dirtyMinutes;
                    markMinutesClean(hour);
                    return;
                }
                if ((hour.storedMinutes & ~hour.heldMinutes) != 0 && read == null) {
                    hour.minutesDoc = HourState.Doc.UNKNOWN; // minutes this stream dropped are only in the document: read it first
                    continue;
                }
                Map<String, Map<String, double[]>> minutes = new TreeMap<>(read == null || read.minutes() == null ? Map.of() : read.minutes());
                minutes.putAll(minutesOf(hour, hour.heldMinutes)); // this state is ahead of the document's, minute by minute
                hour.minutesEtag = store.replaceMinutes(wholeDocument(device, hour, id, minutes), hour.minutesEtag);
                hour.storedMinutes |= hour.heldMinutes;
                markMinutesClean(hour);
                return;
            } catch (StreamStore.Conflict e) {
                hour.minutesDoc = HourState.Doc.UNKNOWN; // created or changed by an earlier owner: look at it, go again
            } catch (Retry e) {
                // it was gone: create it next
            }
        }
        throw new StreamStore.Conflict("minute windows " + id + " of " + device.deviceId + " kept changing");
    }

    private MinuteWindows wholeDocument(DeviceState device, HourState hour, String id, Map<String, Map<String, double[]>> minutes) {
        return new MinuteWindows(id, device.deviceId, MinuteWindows.RESOLUTION, Instant.ofEpochMilli(hour.start), stream, hour.applied,
                hourStats(hour), masks(hour), minutes, (int) settings.minuteTtl().toSeconds());
    }

    private static long minuteMask(MinuteWindows document) {
        long mask = 0;
        for (String key : document.minutes() == null ? java.util.Set.<String>of() : document.minutes().keySet()) {
            mask |= 1L << Integer.parseInt(key);
        }
        return mask;
    }

    private static void markMinutesClean(HourState hour) {
        hour.dirtyMinutes = 0;
        hour.hourDirty = false;
    }

    private void writeFinalHour(DeviceState device, HourState hour) {
        if (hour.hour.size() == 0) {
            return;
        }
        String id = MinuteWindows.hourId(hour.start, stream);
        WindowDocument rollup = new WindowDocument(id, device.deviceId, "hour", Instant.ofEpochMilli(hour.start), hourStats(hour),
                Map.of(stream, hour.applied), (int) settings.hourTtl().toSeconds(), masks(hour));
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            try {
                hour.hourEtag = store.saveHour(rollup, hour.hourDoc == HourState.Doc.PRESENT ? hour.hourEtag : null);
                hour.hourDoc = HourState.Doc.PRESENT;
                return;
            } catch (StreamStore.Conflict e) {
                Optional<StreamStore.Versioned<WindowDocument>> found = store.hour(device.deviceId, id);
                if (found.isPresent() && found.get().value().applied().getOrDefault(stream, -1L) >= hour.applied) {
                    return; // written already, by an earlier owner
                }
                hour.hourDoc = found.isPresent() ? HourState.Doc.PRESENT : HourState.Doc.ABSENT;
                hour.hourEtag = found.map(StreamStore.Versioned::etag).orElse(null);
            }
        }
        throw new StreamStore.Conflict("hourly rollup " + id + " of " + device.deviceId + " kept changing");
    }

    private void writeDevice(DeviceState device) {
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            try {
                if (device.deviceDoc == HourState.Doc.UNKNOWN) {
                    Optional<StreamStore.Versioned<DeviceDocument>> found = store.device(device.deviceId);
                    device.deviceDoc = found.isPresent() ? HourState.Doc.PRESENT : HourState.Doc.ABSENT;
                    device.deviceEtag = found.map(StreamStore.Versioned::etag).orElse(null);
                    found.ifPresent(document -> learn(device, document.value()));
                }
                if (device.deviceDoc == HourState.Doc.ABSENT) {
                    DeviceDocument created = newDevice(device);
                    device.deviceEtag = store.createDevice(created);
                    device.deviceDoc = HourState.Doc.PRESENT;
                } else {
                    Optional<StreamStore.Versioned<DeviceDocument>> updated = store.updateDevice(device.deviceId, update(device),
                            device.deviceEtag);
                    if (updated.isEmpty()) {
                        device.deviceDoc = HourState.Doc.ABSENT; // deleted meanwhile: register it again
                        continue;
                    }
                    device.deviceEtag = updated.get().etag();
                    learn(device, updated.get().value());
                }
                device.deviceDirty = false;
                device.clearOffline = false;
                return;
            } catch (StreamStore.Conflict e) {
                device.deviceDoc = HourState.Doc.UNKNOWN; // changed by the API, the silent check, or another source
            }
        }
        throw new StreamStore.Conflict("device " + device.deviceId + " kept changing");
    }

    private DeviceDocument newDevice(DeviceState device) {
        StreamStore.DeviceUpdate u = update(device);
        return new DeviceDocument(device.deviceId, device.deviceId, device.deviceId, null, List.of(), u.firstSeen(), u.lastSeen(),
                u.latest(), u.activeAlerts(), u.lastDeviceSeq(), Map.of(), u.intervalMs(), u.silentAfter(), null, null);
    }

    private StreamStore.DeviceUpdate update(DeviceState device) {
        Map<String, DeviceDocument.LatestValue> latest = new TreeMap<>();
        for (int i = 0; i < device.latestCount(); i++) {
            latest.put(device.latestName(i), new DeviceDocument.LatestValue(device.latestValue(i), Instant.ofEpochMilli(device.latestTs(i))));
        }
        Instant lastSeen = device.lastSeen == DeviceState.NONE ? null : Instant.ofEpochMilli(device.lastSeen);
        Long interval = Double.isNaN(device.intervalMs) ? null : Math.round(device.intervalMs);
        return new StreamStore.DeviceUpdate(device.firstSeen == DeviceState.NONE ? null : Instant.ofEpochMilli(device.firstSeen),
                lastSeen, latest, interval, settings.silence().silentAfter(device.deviceId, device.documentTags, lastSeen, interval),
                device.lastDeviceSeq, device.activeAlerts(), device.clearOffline, remainingHandResolved(device));
    }

    /**
     * Alerts resolved by hand that this stream has applied (in a committed segment) leave the
     * document; ones it has not applied yet stay until it has.
     */
    private static Map<String, String> remainingHandResolved(DeviceState device) {
        if (device.documentHandResolved.isEmpty()) {
            return device.documentHandResolved;
        }
        Map<String, String> remaining = new TreeMap<>(device.documentHandResolved);
        remaining.keySet().removeAll(device.handResolved.keySet());
        return remaining;
    }

    /**
     * What the device document says that the stream should know. Tags and alerts resolved by hand
     * change what rules do, so they become a fact in the next segment (a replay applies them at
     * the same point). An offline alert needs no such care: if the device reported after the
     * silence, it is resolved now; the write is idempotent and the document is cleared with this
     * flush. The registry's tags also set the silence deadline written now.
     */
    private void learn(DeviceState device, DeviceDocument document) {
        DeviceFact fact = factOf(document);
        device.documentTags = fact.tags();
        device.documentHandResolved = fact.handResolved();
        if (device.handResolved.keySet().stream().noneMatch(fact.handResolved()::containsKey)) {
            device.handResolved = Map.of(); // all of them are out of the document now
        }
        if (fact.offlineAlertId() != null && !device.clearOffline) {
            if (device.lastSeen != DeviceState.NONE && device.lastSeen > fact.offlineSince()) {
                AlertWrites.write(store, new AlertWrites.Resolve(device.deviceId, fact.offlineAlertId(), device.lastSeen, null));
                device.offlineAlertId = null;
                device.offlineSince = DeviceState.NONE;
                device.clearOffline = true;
            } else {
                device.offlineAlertId = fact.offlineAlertId(); // the next reading resolves it
                device.offlineSince = fact.offlineSince();
            }
        }
        boolean news = !fact.tags().equals(device.tags) || !device.handResolved.keySet().containsAll(fact.handResolved().keySet());
        if (news) {
            synchronized (state.pendingFacts) {
                state.pendingFacts.put(device.deviceId, new DeviceFact(fact.deviceId(), fact.tags(), null, DeviceState.NONE,
                        fact.handResolved()));
            }
        }
    }

    private static DeviceFact factOf(DeviceDocument document) {
        return new DeviceFact(document.deviceId(), document.tags() == null ? List.of() : List.copyOf(document.tags()),
                document.offline() == null ? null : document.offline().alertId(),
                document.offline() == null ? DeviceState.NONE : document.offline().since().toEpochMilli(),
                document.handResolved() == null ? Map.of() : Map.copyOf(document.handResolved()));
    }

    private static Map<String, MetricStats> hourStats(HourState hour) {
        Map<String, MetricStats> stats = new TreeMap<>();
        for (int i = 0; i < hour.hour.size(); i++) {
            stats.put(hour.hour.name(i), hour.hour.stats(i).toStats());
        }
        return stats;
    }

    private static Map<String, String> masks(HourState hour) {
        Map<String, String> masks = new TreeMap<>();
        for (int i = 0; i < hour.hour.size(); i++) {
            masks.put(hour.hour.name(i), Long.toHexString(hour.hour.minuteMask(i)));
        }
        return masks;
    }

    private static Map<String, Map<String, double[]>> minutesOf(HourState hour, long which) {
        Map<String, Map<String, double[]>> minutes = new TreeMap<>();
        for (int m = 0; m < 60; m++) {
            if ((which & (1L << m)) != 0 && hour.minutes[m] != null) {
                MetricSet set = hour.minutes[m];
                Map<String, double[]> metrics = new TreeMap<>();
                long minuteStart = hour.start + m * MINUTE;
                for (int i = 0; i < set.size(); i++) {
                    metrics.put(set.name(i), MinuteWindows.compact(set.stats(i), minuteStart));
                }
                minutes.put(MinuteWindows.minuteKey(m), metrics);
            }
        }
        return minutes;
    }

    /** Reads a stored minute back into memory: a reading came for a minute written and dropped. */
    private void loadMinute(DeviceState device, HourState hour, int minute) {
        Optional<StreamStore.Versioned<MinuteWindows>> found = store.minutes(device.deviceId, MinuteWindows.id(hour.start, stream));
        MetricSet set = hour.minute(minute);
        if (found.isPresent()) {
            hour.minutesDoc = HourState.Doc.PRESENT;
            hour.minutesEtag = found.get().etag();
            hour.minuteBase(minute, found.get().value().applied());
            Map<String, double[]> stored = found.get().value().minutes().get(MinuteWindows.minuteKey(minute));
            if (stored != null) {
                long minuteStart = hour.start + minute * MINUTE;
                stored.forEach((metric, compact) -> set.put(state.metrics.get(state.metrics.add(metric)),
                        MinuteWindows.expand(compact, minuteStart), 0));
            }
        }
    }

    /** Unwinds a write loop to look at the document again. */
    private static final class Retry extends RuntimeException {
        Retry() {
            super(null, null, false, false);
        }
    }

    // ------------------------------------------------------------------ checkpoints and recovery

    private void saveRules(Rules current) {
        if (current.fingerprint().equals(state.savedRulesFingerprint)) {
            return;
        }
        if (!current.rules().isEmpty()) {
            store.saveRules(stream, current.fingerprint(), current.json());
        }
        rulesByFingerprint.put(current.fingerprint(), current);
        state.savedRulesFingerprint = current.fingerprint();
    }

    /**
     * A checkpoint is due once a checkpoint interval has passed and the events since then are worth
     * its writes (at least {@value #EVENTS_PER_CHECKPOINT_WRITE} per shard written, so a small
     * fleet does not pay for checkpoints more than for its data), and at the latest after ten
     * intervals or {@link StreamSettings#checkpointSegments()} segments, which bounds a recovery.
     */
    private void maybeCheckpoint(boolean force) {
        // Only an idle flush that left nothing out of the read model writes a settled head.
        boolean settled = force && state.dirtyDevices.isEmpty() && state.pendingAlerts.isEmpty();
        if (state.segmentsSinceCheckpoint == 0 && !anyShardDirty() && !(settled && !state.headSettled)) {
            return;
        }
        long interval = settings.checkpointInterval().toMillis();
        long since = state.lastCheckpointWatermark == DeviceState.NONE ? Long.MAX_VALUE : state.watermark - state.lastCheckpointWatermark;
        int writes = 1;
        for (boolean dirty : state.shardDirty) {
            writes += dirty ? 1 : 0;
        }
        boolean due = force || state.segmentsSinceCheckpoint >= settings.checkpointSegments() || since >= 10 * interval
                || (since >= interval && state.eventsSinceCheckpoint >= (long) EVENTS_PER_CHECKPOINT_WRITE * writes);
        if (!due) {
            return;
        }
        try {
            for (int shard = 0; shard < state.shards; shard++) {
                if (!state.shardDirty[shard]) {
                    continue;
                }
                byte[] data = StateCodec.encodeShard(state.applied, state.watermark, state.devicesOfShard(shard));
                state.shardEtags[shard] = store.saveCheckpoint(new StreamStore.CheckpointPart(stream, "shard:" + shard, state.lineage,
                        state.applied, data), state.shardEtags[shard]);
                state.shardApplied[shard] = state.applied;
                state.shardDirty[shard] = false;
            }
            byte[] head = StateCodec.encodeHead(new StateCodec.Head(state.lineage, state.applied, state.watermark, state.shards,
                    state.devices.values(), state.metrics.values(), settled));
            state.headEtag = store.saveCheckpoint(new StreamStore.CheckpointPart(stream, "head", state.lineage, state.applied, head),
                    state.headEtag);
            state.headSettled = settled;
            state.lastCheckpointWatermark = state.watermark;
            state.segmentsSinceCheckpoint = 0;
            state.eventsSinceCheckpoint = 0;
        } catch (StreamStore.Conflict e) {
            // Another instance checkpointed this stream: it owns it now. Rebuild before the next batch.
            Invocation.logger(LOG).info(() -> "stream " + stream + ": checkpoint taken over by another instance");
            state = null;
        }
    }

    private boolean anyShardDirty() {
        for (boolean dirty : state.shardDirty) {
            if (dirty) {
                return true;
            }
        }
        return false;
    }

    private void ensureState() {
        if (state == null) {
            recover();
        }
    }

    /** The checkpoint, then every segment after it: the state exactly as the last committed batch left it. */
    private void recover() {
        recoveries++;
        Optional<StreamStore.Versioned<StreamStore.CheckpointPart>> headPart = store.checkpoint(stream, "head");
        StateCodec.Head head = headPart.map(part -> StateCodec.decodeHead(part.value().data())).orElse(null);
        StreamState recovered;
        long from;
        if (head == null) {
            Optional<StreamStore.Segment> first = store.segment(stream, -1);
            recovered = new StreamState(first.map(StreamStore.Segment::lineage).orElse(UUID.randomUUID().toString()), -1, settings.shards());
            from = -1;
        } else {
            recovered = new StreamState(head.lineage(), head.applied(), head.shards());
            recovered.headEtag = headPart.get().etag();
            recovered.headSettled = head.settled();
            recovered.watermark = head.watermark();
            recovered.lastCheckpointWatermark = head.watermark();
            head.devices().forEach(recovered.devices::add);
            head.metrics().forEach(recovered.metrics::add);
            from = head.applied();
            for (int shard = 0; shard < recovered.shards; shard++) {
                Optional<StreamStore.Versioned<StreamStore.CheckpointPart>> part = store.checkpoint(stream, "shard:" + shard);
                if (part.isEmpty()) {
                    continue;
                }
                StateCodec.Shard decoded = StateCodec.decodeShard(part.get().value().data(), recovered.metrics);
                recovered.shardEtags[shard] = part.get().etag();
                recovered.shardApplied[shard] = decoded.applied();
                for (DeviceState device : decoded.devices()) {
                    // Not numbered here: a device newer than the head is numbered by the segment that introduced it.
                    recovered.put(device);
                }
            }
        }
        state = recovered;
        for (DeviceState device : state.byId.values()) {
            if (device.dirty() || device.flushDue) {
                markDirty(device);
            }
        }
        long[] skip = state.shardApplied.clone();
        int replayed = 0;
        for (long base = from; ; ) {
            Optional<StreamStore.Segment> segment = store.segment(stream, base);
            if (segment.isEmpty()) {
                break;
            }
            SegmentCodec.Content content = SegmentCodec.decode(segment.get().data(), state.devices, state.metrics);
            apply(content, rulesOf(content.rulesFingerprint()), skip);
            state.applied = content.last();
            state.segmentsSinceCheckpoint++;
            state.eventsSinceCheckpoint += content.events().size();
            base = content.last();
            replayed++;
        }
        for (int shard = 0; shard < state.shards; shard++) {
            state.shardDirty[shard] = state.shardDirty[shard] || replayed > 0;
        }
        int replayedSegments = replayed;
        Invocation.logger(LOG).log(Level.INFO, () -> "stream " + stream + ": recovered at position " + state.applied + " from "
                + (head == null ? "no checkpoint" : "checkpoint " + head.applied()) + " and " + replayedSegments + " segments");
    }

    private Rules rulesOf(String fingerprint) {
        Rules known = rulesByFingerprint.get(fingerprint);
        if (known != null) {
            return known;
        }
        Rules current = rules.current();
        if (current.fingerprint().equals(fingerprint)) {
            rulesByFingerprint.put(fingerprint, current);
            return current;
        }
        if (Rules.NONE.fingerprint().equals(fingerprint)) {
            return Rules.NONE;
        }
        Rules stored = store.rules(stream, fingerprint).map(Rules::parse).orElseThrow(() -> new IllegalStateException(
                "stream " + stream + " has no rule set " + fingerprint + " to replay its segments with"));
        rulesByFingerprint.put(fingerprint, stored);
        return stored;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
