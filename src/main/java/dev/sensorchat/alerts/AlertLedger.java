package dev.sensorchat.alerts;

import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.Stored;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Alerts in the {@code alerts} container, and their lifecycle outside the rules: acknowledging,
 * resolving by hand, offline alerts. Rules open and resolve alerts in the telemetry streams, which
 * hold each device's rule state; what happens here reaches a device's stream through its device
 * document (see {@link DeviceRegistry#markOffline} and {@link DeviceRegistry#markResolvedByHand}).
 */
public final class AlertLedger {

    private static final int MAX_ATTEMPTS = 10;

    private final CosmosStore<AlertDocument> alerts;
    private final DeviceRegistry devices;
    private final Clock clock;

    public AlertLedger(CosmosStore<AlertDocument> alerts, DeviceRegistry devices, Clock clock) {
        this.alerts = alerts;
        this.devices = devices;
        this.clock = clock;
    }

    /**
     * Opens an offline alert for a device silent since {@code lastSeen}, unless one is open already
     * (or was opened for this same silence, even if it was resolved by hand since). Returns the
     * alert opened, if any. The device's stream resolves it when the device reports again.
     */
    public Optional<AlertDocument> openOffline(String deviceId, Instant lastSeen, Severity severity) {
        Optional<DeviceRegistry.SilentCandidate> device = devices.silentCandidate(deviceId, lastSeen);
        if (device.isEmpty()) {
            return Optional.empty(); // already open, or the device reported since
        }
        return openOffline(device.get(), severity);
    }

    /**
     * {@link #openOffline(String, Instant, Severity)} for a device as the silent-device check's query
     * returned it, without reading it again: two writes when the alert is new (create the alert,
     * patch the device against the version the query saw), more only when something changed
     * meanwhile. The alert's id comes from the device and its last-seen time, so a second run, or a
     * second instance at the same moment, finds it taken (409) and opens nothing.
     */
    public Optional<AlertDocument> openOffline(DeviceRegistry.SilentCandidate device, Severity severity) {
        AlertDocument alert = AlertDocument.offline(device.deviceId(), device.lastSeen(), clock.instant(), severity);
        Stored<AlertDocument> stored;
        boolean opened;
        try {
            stored = alerts.create(alert);
            opened = true;
        } catch (StoreException.Conflict e) {
            // This silence has its alert: a run that stopped halfway, or another instance right now.
            Optional<Stored<AlertDocument>> existing = alerts.find(device.deviceId(), alert.id());
            if (existing.isEmpty()) {
                return Optional.empty();
            }
            if (!existing.get().value().isActive()) {
                devices.markSilenceHandled(device); // resolved by hand: never reopened for this silence
                return Optional.empty();
            }
            stored = existing.get();
            opened = false;
        }
        // Still open: make sure the device knows, or it would stay open with nobody to resolve it.
        if (devices.markOffline(device, stored.value().id()) instanceof DeviceRegistry.ReportedSince back) {
            resolveReportedSince(stored, back.lastSeen());
        }
        return opened ? Optional.of(stored.value()) : Optional.empty();
    }

    /**
     * The device reported after the query saw it silent (before it was told of the alert): the alert
     * is resolved as its stream would have, by the rule, at that reading.
     */
    private void resolveReportedSince(Stored<AlertDocument> alert, Instant lastSeen) {
        Stored<AlertDocument> current = alert;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && current.value().isActive(); attempt++) {
            try {
                alerts.replace(current.value().resolvedByRule(lastSeen.toEpochMilli(), null), current.etag());
                return;
            } catch (StoreException.StaleDocument lostRace) {
                Optional<Stored<AlertDocument>> again = alerts.find(current.value().deviceId(), current.value().id());
                if (again.isEmpty()) {
                    return;
                }
                current = again.get();
            }
        }
    }

    public Optional<AlertDocument> find(String alertId) {
        return locate(alertId).map(Stored::value);
    }

    /**
     * Alerts, newest first, filtered by any of state, device and severity (null: any).
     */
    public Page<AlertDocument> list(AlertState state, String deviceId, Severity severity, int limit, String continuation) {
        StringBuilder text = new StringBuilder("SELECT * FROM c WHERE c.type = @type");
        if (state != null) {
            text.append(" AND c.state = @state");
        }
        if (severity != null) {
            text.append(" AND c.severity = @severity");
        }
        text.append(" ORDER BY c.openedAt DESC");
        SqlQuery query = SqlQuery.of(text.toString()).with("@type", AlertDocument.TYPE);
        if (state != null) {
            query.with("@state", state.label());
        }
        if (severity != null) {
            query.with("@severity", severity.label());
        }
        if (deviceId != null) {
            query.inPartition(deviceId);
        }
        return alerts.queryPage(query, limit, continuation);
    }

    /** Open → acknowledged. Acknowledging a resolved or acknowledged alert is a conflict. */
    public AlertDocument acknowledge(String alertId, String by, String note) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Stored<AlertDocument> alert = locate(alertId).orElseThrow(() -> new NotFoundException("alert", alertId));
            AlertDocument acknowledged = transition(() -> alert.value().acknowledged(clock.instant(), by, note));
            try {
                return alerts.replace(acknowledged, alert.etag()).value();
            } catch (StoreException.StaleDocument lostRace) {
                // changed meanwhile (perhaps resolved by a reading): look again
            }
        }
        throw new StoreException.ContentionExhausted(alerts.spec().name(), alertId, MAX_ATTEMPTS);
    }

    /**
     * Resolves the alert by hand. The device's stream is told through the device document, so the
     * rule can raise a new alert at a matching reading after it has seen this.
     */
    public AlertDocument resolve(String alertId, String by, String note) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Stored<AlertDocument> alert = locate(alertId).orElseThrow(() -> new NotFoundException("alert", alertId));
            AlertDocument resolved = transition(() -> alert.value().resolved(clock.instant(), by, note));
            try {
                alerts.replace(resolved, alert.etag());
            } catch (StoreException.StaleDocument lostRace) {
                continue; // changed meanwhile (perhaps resolved by a reading): look again
            }
            devices.markResolvedByHand(resolved.deviceId(), resolved.id(), resolved.ruleId());
            return resolved;
        }
        throw new StoreException.ContentionExhausted(alerts.spec().name(), alertId, MAX_ATTEMPTS);
    }

    private static AlertDocument transition(java.util.function.Supplier<AlertDocument> change) {
        try {
            return change.get();
        } catch (AlertDocument.IllegalTransition e) {
            throw new ConflictException(e.getMessage());
        }
    }

    /** Alert ids do not name their device, so this is the one cross-partition lookup. */
    private Optional<Stored<AlertDocument>> locate(String alertId) {
        List<AlertDocument> found = alerts.query(SqlQuery.of("SELECT * FROM c WHERE c.id = @id AND c.type = @type")
                .with("@id", alertId).with("@type", AlertDocument.TYPE));
        return found.isEmpty() ? Optional.empty() : alerts.find(found.get(0).deviceId(), alertId);
    }
}
