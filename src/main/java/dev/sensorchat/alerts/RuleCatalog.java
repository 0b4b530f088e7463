package dev.sensorchat.alerts;

import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.SqlQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The rules, cached per process so telemetry never queries Cosmos DB per event. Every
 * {@code refreshInterval} it asks the rules container's change feed whether anything changed
 * (one cheap request, 304 when nothing did) and reloads only then. Changes made through this
 * instance's API take effect at once ({@link #invalidate()}).
 */
public final class RuleCatalog {

    private final CosmosStore<Rule> store;
    private final Clock clock;
    private final Duration refreshInterval;
    private List<Rule> rules;
    private String continuation;
    private Instant checkedAt;
    private int reloads;

    public RuleCatalog(CosmosStore<Rule> store, Clock clock, Duration refreshInterval) {
        this.store = store;
        this.clock = clock;
        this.refreshInterval = refreshInterval;
    }

    /** Enabled rules whose scope covers the device. */
    public List<Rule> applicableTo(String deviceId, List<String> tags) {
        return current().stream().filter(rule -> rule.enabled() && rule.scope().appliesTo(deviceId, tags)).toList();
    }

    /** Every live rule (deleted ones excluded). */
    public synchronized List<Rule> current() {
        Instant now = clock.instant();
        if (rules == null) {
            reload();
        } else if (!now.isBefore(checkedAt.plus(refreshInterval))) {
            var page = store.readChanges(continuation, 1);
            if (page.changes().isEmpty()) {
                continuation = page.continuation();
                checkedAt = now;
            } else {
                reload();
            }
        }
        return rules;
    }

    public synchronized void invalidate() {
        rules = null;
    }

    /** How often the rules were loaded from Cosmos DB; for tests and diagnostics. */
    public synchronized int reloads() {
        return reloads;
    }

    private void reload() {
        // Mark the feed first: a change racing with the query is then seen at the next check.
        continuation = store.readChangesFromNow().continuation();
        rules = store.query(SqlQuery.of("SELECT * FROM c")).stream().filter(rule -> !rule.isDeleted()).toList();
        checkedAt = clock.instant();
        reloads++;
    }
}
