package dev.sensorchat.storage;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Like {@link InMemoryStores}, over containers that also answer queries: for unit tests of services that list. */
public final class QueryableMemoryStores {

    private static final RetryPolicy NO_RETRY = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, error -> Optional.empty());

    private final Map<String, QueryableMemoryContainer> containers = new ConcurrentHashMap<>();

    public <T> CosmosStore<T> store(ContainerSpec spec, Class<T> type) {
        return new CosmosStore<>(container(spec), spec, type, NO_RETRY);
    }

    /** The container itself, for documents as JSON (e.g. as an older version of the app wrote them). */
    public QueryableMemoryContainer container(ContainerSpec spec) {
        return containers.computeIfAbsent(spec.name(), QueryableMemoryContainer::new);
    }

    /** The stream processor's store over these containers, so telemetry lands where the services read it. */
    public CosmosStreamStore streamStore(Duration segmentTtl) {
        return CosmosStreamStore.over(this::store, (int) segmentTtl.toSeconds());
    }
}
