package dev.sensorchat.storage;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The app's containers held in memory and metered: the storage code as it runs against Cosmos
 * DB, without a server, for benchmarks and unit tests of the pipeline. Nothing is retried: memory
 * does not throttle.
 */
public final class InMemoryStores {

    private static final RetryPolicy NO_RETRY = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, error -> java.util.Optional.empty());

    private final StoreMeter meter;
    private final Map<String, InMemoryDocumentContainer> containers = new ConcurrentHashMap<>();

    public InMemoryStores(StoreMeter meter) {
        this.meter = meter;
    }

    public StoreMeter meter() {
        return meter;
    }

    public InMemoryDocumentContainer container(ContainerSpec spec) {
        return containers.computeIfAbsent(spec.name(), InMemoryDocumentContainer::new);
    }

    public <T> CosmosStore<T> store(ContainerSpec spec, Class<T> type) {
        return new CosmosStore<>(new MeteredContainer(container(spec), meter), spec, type, NO_RETRY);
    }

    /** The stream processor's store over these containers. */
    public CosmosStreamStore streamStore(Duration segmentTtl) {
        return CosmosStreamStore.over(this::store, (int) segmentTtl.toSeconds());
    }
}
