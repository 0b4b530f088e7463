package dev.sensorchat.alerts;

import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.Stored;
import dev.sensorchat.telemetry.SourcedReading;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts and the rule state behind them, in the {@code alerts} container. Every change to a
 * device's rule state and its alerts is one transactional batch, guarded by ETags: either all of
 * it happens or none, and a lost race is re-read and re-applied.
 */
public final class AlertLedger {

    private static final int MAX_ATTEMPTS = 10;

    private final CosmosStore<RuleStateDocument> states;
    private final CosmosStore<AlertDocument> alerts;
    private final Clock clock;

    public AlertLedger(CosmosStore<RuleStateDocument> states, CosmosStore<AlertDocument> alerts, Clock clock) {
        this.states = states;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * Evaluates the rules over the device's readings from {@code source} that were not evaluated
     * before, and commits the outcome. Returns the device's active alerts afterwards.
     */
    public int evaluate(String source, String deviceId, List<SourcedReading> readings, List<Rule> rules) {
        int failedAttempts = 0;
        while (true) {
            Optional<Stored<RuleStateDocument>> stored = states.find(deviceId, RuleStateDocument.ID);
            RuleStateDocument current = stored.map(Stored::value).orElseGet(() -> RuleStateDocument.empty(deviceId));
            RuleEvaluator.Outcome outcome = RuleEvaluator.evaluate(current, source, readings, rules);
            if (!outcome.changed()) {
                return current.activeAlerts();
            }
            Map<String, Stored<AlertDocument>> earlier = new HashMap<>();
            outcome.resolvedAlerts().keySet().forEach(id -> alerts.find(deviceId, id).ifPresent(alert -> earlier.put(id, alert)));
            try {
                states.executeBatch(deviceId, batch -> {
                    if (stored.isPresent()) {
                        batch.replace(outcome.state(), stored.get().etag());
                    } else {
                        batch.create(outcome.state());
                    }
                    outcome.openedAlerts().values().forEach(batch::create);
                    earlier.forEach((id, alert) -> {
                        SourcedReading cause = outcome.resolvedAlerts().get(id);
                        if (alert.value().isActive()) {
                            AlertDocument resolved = alert.value().resolvedByRule(cause.reading().timestampMs(),
                                    alert.value().isOffline() ? null : cause.reading().valueOf(alert.value().metric()));
                            batch.replace(resolved, alert.etag());
                        }
                    });
                });
                if (outcome.complete()) {
                    return outcome.state().activeAlerts();
                }
                failedAttempts = 0; // progress: evaluate the rest
            } catch (StoreException.BatchFailed e) {
                boolean lostRace = e.statusCode() == 409 || e.statusCode() == 412;
                if (!lostRace || ++failedAttempts >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Opens an offline alert for a device silent since {@code lastSeen}, unless one is open already
     * (or was opened for this same silence). Returns the alert opened, if any. The device's next
     * reading resolves it (see {@link RuleEvaluator}).
     */
    public Optional<AlertDocument> openOffline(String deviceId, Instant lastSeen, Severity severity) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Stored<RuleStateDocument>> stored = states.find(deviceId, RuleStateDocument.ID);
            RuleStateDocument current = stored.map(Stored::value).orElseGet(() -> RuleStateDocument.empty(deviceId));
            RuleState offline = current.rules().get(AlertDocument.OFFLINE);
            if (offline != null && (offline.openAlertId() != null || offline.lastTs().isAfter(lastSeen))) {
                return Optional.empty(); // already open, or the device reported since
            }
            AlertDocument alert = AlertDocument.offline(deviceId, lastSeen, clock.instant(), severity);
            Map<String, RuleState> rules = new HashMap<>(current.rules());
            rules.put(AlertDocument.OFFLINE, new RuleState(0, null, lastSeen, alert.id()));
            RuleStateDocument next = new RuleStateDocument(current.id(), current.type(), deviceId, Map.copyOf(rules), current.applied());
            try {
                states.executeBatch(deviceId, batch -> {
                    if (stored.isPresent()) {
                        batch.replace(next, stored.get().etag());
                    } else {
                        batch.create(next);
                    }
                    batch.create(alert);
                });
                return Optional.of(alert);
            } catch (StoreException.BatchFailed e) {
                if (e.statusCode() != 409 && e.statusCode() != 412) {
                    throw e;
                }
                if (alerts.find(deviceId, alert.id()).isPresent()) {
                    return Optional.empty(); // this silence has its alert (perhaps resolved by hand since)
                }
                // another check, or a reading, got there first: look again
            }
        }
        throw new StoreException.ContentionExhausted(alerts.spec().name(), deviceId, MAX_ATTEMPTS);
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
     * Resolves the alert by hand. The rule forgets it, so the rule can raise a new alert if the
     * condition still holds at the next reading.
     */
    public AlertDocument resolve(String alertId, String by, String note) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Stored<AlertDocument> alert = locate(alertId).orElseThrow(() -> new NotFoundException("alert", alertId));
            AlertDocument resolved = transition(() -> alert.value().resolved(clock.instant(), by, note));
            String deviceId = alert.value().deviceId();
            Optional<Stored<RuleStateDocument>> state = states.find(deviceId, RuleStateDocument.ID);
            try {
                states.executeBatch(deviceId, batch -> {
                    batch.replace(resolved, alert.etag());
                    state.ifPresent(s -> batch.replace(forget(s.value(), alertId), s.etag()));
                });
                return resolved;
            } catch (StoreException.BatchFailed e) {
                if (e.statusCode() != 412) {
                    throw e;
                }
            }
        }
        throw new StoreException.ContentionExhausted(alerts.spec().name(), alertId, MAX_ATTEMPTS);
    }

    /** Active alerts of a device, from its rule state. */
    public int activeAlerts(String deviceId) {
        return states.find(deviceId, RuleStateDocument.ID).map(s -> s.value().activeAlerts()).orElse(0);
    }

    private static RuleStateDocument forget(RuleStateDocument state, String alertId) {
        Map<String, RuleState> rules = new HashMap<>(state.rules());
        rules.replaceAll((ruleId, rule) -> alertId.equals(rule.openAlertId()) ? new RuleState(0, null, rule.lastTs(), null) : rule);
        return new RuleStateDocument(state.id(), state.type(), state.deviceId(), Map.copyOf(rules), state.applied());
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
