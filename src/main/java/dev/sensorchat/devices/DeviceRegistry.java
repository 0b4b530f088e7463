package dev.sensorchat.devices;

import dev.sensorchat.common.Json;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.SqlQuery;
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

    /** Devices that were due to report by {@code now} and did not, longest silent first. */
    public Page<DeviceDocument> silentSince(Instant now, int limit, String continuation) {
        return store.queryPage(SqlQuery.of("SELECT * FROM c WHERE c.silentAfter < @now ORDER BY c.silentAfter")
                .with("@now", Json.format(now)), limit, continuation);
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

    /** An offline alert opened for the device: its stream resolves it when the device reports again. */
    public void markOffline(String deviceId, String alertId, Instant since) {
        if (find(deviceId).isPresent()) {
            store.compute(deviceId, deviceId, current -> current.orElseThrow().withOffline(alertId, since));
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
