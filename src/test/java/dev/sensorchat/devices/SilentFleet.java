package dev.sensorchat.devices;

import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.DocumentBatch;
import dev.sensorchat.storage.DocumentContainer;
import dev.sensorchat.storage.MeteredContainer;
import dev.sensorchat.storage.Patch;
import dev.sensorchat.storage.QueryableMemoryContainer;
import dev.sensorchat.storage.RetryPolicy;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreMeter;
import dev.sensorchat.testing.TestClock;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fleet in memory for the silent-device check: device and alert containers that answer the
 * check's queries (counts included), metered like the app's, with hooks to make a write fail or
 * something happen just before it.
 */
final class SilentFleet {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final RetryPolicy NO_RETRY = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, error -> Optional.empty());

    final TestClock clock = new TestClock(NOW);
    final StoreMeter meter = new StoreMeter();
    final Hooked devicesContainer = new Hooked(new QueryableMemoryContainer(Containers.DEVICES.name()));
    final Hooked alertsContainer = new Hooked(new QueryableMemoryContainer(Containers.ALERTS.name()));
    final CosmosStore<DeviceDocument> deviceStore =
            new CosmosStore<>(new MeteredContainer(devicesContainer, meter), Containers.DEVICES, DeviceDocument.class, NO_RETRY);
    final CosmosStore<AlertDocument> alertStore =
            new CosmosStore<>(new MeteredContainer(alertsContainer, meter), Containers.ALERTS, AlertDocument.class, NO_RETRY);
    final SilencePolicy policy = SilencePolicy.of(3, "tag:battery=100", Duration.ofMinutes(15));
    final DeviceRegistry registry = new DeviceRegistry(deviceStore, policy);
    final AlertLedger ledger = new AlertLedger(alertStore, registry, clock);

    SilentDeviceCheck check(int budget, int concurrency) {
        return new SilentDeviceCheck(registry, ledger, Severity.WARNING, clock, budget, concurrency);
    }

    /** A device that reported every minute until {@code lastSeen}, as its stream would have written it. */
    DeviceDocument device(String id, Instant lastSeen, List<String> tags) {
        long interval = 60_000;
        DeviceDocument device = new DeviceDocument(id, id, id, null, tags, lastSeen.minus(Duration.ofDays(1)), lastSeen,
                Map.of("temperature", new DeviceDocument.LatestValue(21.5, lastSeen)), 0, null, Map.of("eh:0", 10L), interval,
                policy.silentAfter(id, tags, lastSeen, interval), null, null);
        deviceStore.upsert(device);
        return device;
    }

    /** Silent for {@code minutes} minutes (deadline: 3 minutes and the reporting lag). */
    DeviceDocument silentFor(String id, int minutes) {
        return device(id, NOW.minus(Duration.ofMinutes(minutes)), List.of());
    }

    DeviceDocument find(String id) {
        return registry.find(id).orElseThrow();
    }

    List<AlertDocument> offlineAlerts(String deviceId) {
        return ledger.list(null, deviceId, null, 100, null).items().stream().filter(AlertDocument::isOffline).toList();
    }

    /** The meter's counts per container, to compare with later. */
    Map<String, StoreUsage.Counts> snapshot() {
        return meter.byContainer();
    }

    /** What went to a container since {@code before}. */
    StoreUsage.Counts since(String container, Map<String, StoreUsage.Counts> before) {
        return meter.of(container).minus(before.getOrDefault(container, StoreUsage.Counts.ZERO));
    }

    /**
     * A container that answers {@code SELECT VALUE COUNT(1)} (the memory container returns
     * documents for any projection) and runs hooks before creates and patches.
     */
    static final class Hooked implements DocumentContainer {

        private static final Pattern COUNT = Pattern.compile("(?is)SELECT\\s+VALUE\\s+COUNT\\(1\\)\\s+FROM\\s+c(\\s+WHERE\\s+.*)?");

        private final QueryableMemoryContainer inner;
        volatile Consumer<ObjectNode> beforeCreate = document -> { };
        volatile Consumer<String> beforePatch = id -> { };

        Hooked(QueryableMemoryContainer inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Versioned read(String partitionKey, String id) {
            return inner.read(partitionKey, id);
        }

        @Override
        public Written create(String partitionKey, ObjectNode document) {
            beforeCreate.accept(document);
            return inner.create(partitionKey, document);
        }

        @Override
        public Written upsert(String partitionKey, ObjectNode document) {
            return inner.upsert(partitionKey, document);
        }

        @Override
        public Written replace(String partitionKey, ObjectNode document, String ifMatch) {
            return inner.replace(partitionKey, document, ifMatch);
        }

        @Override
        public Versioned patch(String partitionKey, String id, Patch patch, String ifMatch) {
            beforePatch.accept(id);
            return inner.patch(partitionKey, id, patch, ifMatch);
        }

        @Override
        public boolean delete(String partitionKey, String id) {
            return inner.delete(partitionKey, id);
        }

        @Override
        public BatchResult batch(String partitionKey, List<DocumentBatch.Operation> operations) {
            return inner.batch(partitionKey, operations);
        }

        @Override
        public ResultPage queryPage(SqlQuery query, int pageSize, String continuation) {
            return inner.queryPage(query, pageSize, continuation);
        }

        @Override
        public List<JsonNode> query(SqlQuery query) {
            SqlQuerySpec spec = spec(query);
            Matcher count = COUNT.matcher(spec.getQueryText());
            if (!count.matches()) {
                return inner.query(query);
            }
            SqlQuery all = SqlQuery.of("SELECT * FROM c" + (count.group(1) == null ? "" : count.group(1)));
            for (SqlParameter parameter : spec.getParameters()) {
                all.with(parameter.getName(), parameter.getValue(Object.class));
            }
            return List.of(LongNode.valueOf(inner.query(all).size()));
        }

        @Override
        public ResultPage changes(FeedStart start, int maxItems) {
            return inner.changes(start, maxItems);
        }

        private static SqlQuerySpec spec(SqlQuery query) {
            try {
                Method toSpec = SqlQuery.class.getDeclaredMethod("toSpec");
                toSpec.setAccessible(true);
                return (SqlQuerySpec) toSpec.invoke(query);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
