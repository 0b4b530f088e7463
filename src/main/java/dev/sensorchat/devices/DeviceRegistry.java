package dev.sensorchat.devices;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sensorchat.common.Json;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.Patch;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.Stored;
import dev.sensorchat.telemetry.DeviceBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Devices: registered by their first reading, described through the API. */
public final class DeviceRegistry {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_TAGS = 20;
    private static final int MAX_TEXT = 200;
    private static final int MAX_ATTEMPTS = 10;

    private final CosmosStore<DeviceDocument> store;
    private final SilencePolicy silence;

    public DeviceRegistry(CosmosStore<DeviceDocument> store, SilencePolicy silence) {
        this.store = store;
        this.silence = silence;
    }

    public SilencePolicy silence() {
        return silence;
    }

    public Optional<DeviceDocument> find(String deviceId) {
        return store.find(deviceId, deviceId).map(Stored::value);
    }

    /** Devices in id order, optionally only those with {@code tag}. */
    public Page<DeviceDocument> list(String tag, int limit, String continuation) {
        SqlQuery query = tag == null
                ? SqlQuery.of("SELECT * FROM c ORDER BY c.deviceId")
                : SqlQuery.of("SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, @tag) ORDER BY c.deviceId").with("@tag", tag);
        return store.queryPage(query, limit, continuation);
    }

    /**
     * Registers the device if new and folds in the batch's readings (uploads; live streams write
     * from their state); replays change nothing. {@code activeAlerts} maps the stored count to the new one.
     */
    public void applyTelemetry(String source, DeviceBatch batch, java.util.function.IntUnaryOperator activeAlerts) {
        store.compute(batch.deviceId(), batch.deviceId(), current -> {
            DeviceDocument device = current.orElseGet(() -> DeviceDocument.register(batch.deviceId()));
            return device.withTelemetry(source, batch.readings(), batch.lastDeviceSeq(), activeAlerts.applyAsInt(device.activeAlerts()), silence);
        });
    }

    /**
     * A device past its silence deadline whose silence nobody has dealt with yet: just what the
     * silent-device check needs, and the ETag of the version the query saw (writes are made against it).
     */
    public record SilentCandidate(String deviceId, List<String> tags, Instant lastSeen, Long intervalMs,
                                  @JsonProperty("_etag") String etag) {

        public SilentCandidate {
            tags = tags == null ? List.of() : tags;
        }
    }

    /**
     * Where the check looks: past the stored deadline, no offline alert open ({@code offline} unset
     * or null), and not this very silence dealt with before ({@code silenceHandled}, an offline alert
     * resolved by hand). The first two are served by the index (a range on {@code silentAfter},
     * {@code IS_DEFINED} on {@code offline.alertId}), so devices already offline cost nothing per
     * run; only the rare hand-resolved ones are loaded to compare the two times.
     */
    private static final String UNHANDLED = "c.silentAfter < @now AND NOT IS_DEFINED(c.offline.alertId)"
            + " AND (NOT IS_DEFINED(c.silenceHandled) OR c.silenceHandled != c.lastSeen)";

    /**
     * Devices that were due to report by {@code now} and did not, and whose silence has no offline
     * alert yet, longest silent first; only the fields the check reads.
     */
    public Page<SilentCandidate> silentCandidates(Instant now, int limit, String continuation) {
        return store.queryPage(SqlQuery.of("SELECT c.deviceId, c.tags, c.lastSeen, c.intervalMs, c._etag FROM c WHERE " + UNHANDLED
                + " ORDER BY c.silentAfter").with("@now", Json.format(now)), SilentCandidate.class, limit, continuation);
    }

    /**
     * The device as a candidate for an offline alert for its silence since {@code lastSeen}, from a
     * point read; empty when it has an offline alert open or reported after {@code lastSeen}. A
     * device without a document is a candidate too (its alert then has no document to mark).
     */
    public Optional<SilentCandidate> silentCandidate(String deviceId, Instant lastSeen) {
        Optional<Stored<DeviceDocument>> found = store.find(deviceId, deviceId);
        if (found.isEmpty()) {
            return Optional.of(new SilentCandidate(deviceId, List.of(), lastSeen, null, null));
        }
        DeviceDocument device = found.get().value();
        if (device.offline() != null || (device.lastSeen() != null && device.lastSeen().isAfter(lastSeen))) {
            return Optional.empty();
        }
        return Optional.of(new SilentCandidate(deviceId, device.tags(), lastSeen, device.intervalMs(), found.get().etag()));
    }

    /** How many devices are past their stored deadline, offline alert or not (one aggregate request). */
    public long countSilent(Instant now) {
        return count("c.silentAfter < @now", now);
    }

    /** How many of them {@link #silentCandidates} would still return (one aggregate request). */
    public long countSilentCandidates(Instant now) {
        return count(UNHANDLED, now);
    }

    private long count(String condition, Instant now) {
        List<Long> counted = store.query(SqlQuery.of("SELECT VALUE COUNT(1) FROM c WHERE " + condition).with("@now", Json.format(now)),
                Long.class);
        return counted.isEmpty() ? 0 : counted.get(0);
    }

    /** Changes name, location and/or tags (null: leave as is); telemetry state is untouched. */
    public DeviceDocument updateProfile(String deviceId, String name, String location, List<String> tags) {
        List<ValidationException.FieldError> errors = new ArrayList<>();
        checkText("name", name, errors);
        checkText("location", location, errors);
        if (tags != null) {
            if (tags.size() > MAX_TAGS) {
                errors.add(new ValidationException.FieldError("tags", "at most " + MAX_TAGS + " tags"));
            }
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i) == null || !TAG.matcher(tags.get(i)).matches()) {
                    errors.add(new ValidationException.FieldError("tags[" + i + "]", "tags are 1-64 letters, digits or ._:-"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        List<String> distinctTags = tags == null ? null : List.copyOf(new LinkedHashSet<>(tags));
        return store.compute(deviceId, deviceId, current -> current
                .orElseThrow(() -> new NotFoundException("device", deviceId))
                .withProfile(name, location, distinctTags)).value();
    }

    /** What {@link #markOffline(SilentCandidate, String)} found. */
    public sealed interface Marking permits Marked, ReportedSince, Missing {
    }

    /** The device carries the offline alert (now, or already): its stream resolves it when the device reports. */
    public record Marked() implements Marking {
    }

    /** The device reported at {@code lastSeen}, after the silence began: it is not offline, nothing was written. */
    public record ReportedSince(Instant lastSeen) implements Marking {
    }

    /** There is no such device document. */
    public record Missing() implements Marking {
    }

    /**
     * Tells the device that offline alert {@code alertId} is open for its silence, and that the
     * silence is dealt with: one server-side patch against the version the query saw ({@code offline},
     * {@code silenceHandled}, one more active alert), no read. If the document changed since (a
     * telemetry flush, another run, an edit), it is read and decided again: a device that reported
     * since is left alone, one that knows the alert already is not counted twice. The patch itself
     * need not check: a device that knows an offline alert is never a candidate, so an ETag the
     * query returned is always of a version from before any alert was marked.
     */
    public Marking markOffline(SilentCandidate device, String alertId) {
        Instant since = device.lastSeen();
        Patch patch = Patch.create()
                .set("/offline", new DeviceDocument.OfflineSignal(alertId, since))
                .set("/silenceHandled", since)
                .increment("/activeAlerts", 1L);
        try {
            return store.patch(device.deviceId(), device.deviceId(), patch, device.etag()).isPresent() ? new Marked() : new Missing();
        } catch (StoreException.StaleDocument changed) {
            return markOffline(device.deviceId(), alertId, since);
        }
    }

    /** {@link #markOffline(SilentCandidate, String)} from a fresh read, with optimistic concurrency. */
    public Marking markOffline(String deviceId, String alertId, Instant since) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Stored<DeviceDocument>> current = store.find(deviceId, deviceId);
            if (current.isEmpty()) {
                return new Missing();
            }
            DeviceDocument device = current.get().value();
            boolean knows = device.offline() != null && device.offline().alertId().equals(alertId);
            if (!knows && device.lastSeen() != null && device.lastSeen().isAfter(since)) {
                return new ReportedSince(device.lastSeen());
            }
            DeviceDocument marked = device.withOffline(alertId, since);
            if (marked.equals(device)) {
                return new Marked();
            }
            try {
                store.replace(marked, current.get().etag());
                return new Marked();
            } catch (StoreException.StaleDocument lostRace) {
                // changed again meanwhile: decide on the newer version
            }
        }
        throw new StoreException.ContentionExhausted(store.spec().name(), deviceId, MAX_ATTEMPTS);
    }

    /**
     * The silence of the version the query saw is dealt with although no alert is open for it (its
     * alert was resolved by hand): the check skips the device until it reports again. A device that
     * changed since is left as it is; the next run looks again.
     */
    public void markSilenceHandled(SilentCandidate device) {
        try {
            store.patch(device.deviceId(), device.deviceId(), Patch.create().set("/silenceHandled", device.lastSeen()), device.etag());
        } catch (StoreException.StaleDocument changed) {
            // it reported, or another run marked it: either way nothing is lost
        }
    }

    /** An alert of the device resolved by hand: its stream lets the rule raise again once it sees this. */
    public void markResolvedByHand(String deviceId, String alertId, String ruleId) {
        if (find(deviceId).isPresent()) {
            store.compute(deviceId, deviceId, current -> current.orElseThrow().withResolvedByHand(alertId, ruleId));
        }
    }

    private static void checkText(String field, String value, List<ValidationException.FieldError> errors) {
        if (value != null && (value.isBlank() || value.length() > MAX_TEXT)) {
            errors.add(new ValidationException.FieldError(field, "must be 1-" + MAX_TEXT + " characters"));
        }
    }
}
