package dev.sensorchat.storage;

import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.ExcludedPath;
import com.azure.cosmos.models.IncludedPath;
import com.azure.cosmos.models.IndexingMode;
import com.azure.cosmos.models.IndexingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Cosmos DB container as the app uses it.
 *
 * @param name              container id
 * @param partitionKeyPath  e.g. {@code /deviceId}; chosen from how the container is read
 * @param defaultTtlSeconds null: TTL off; -1: on, only documents with their own {@code ttl} expire;
 *                          n: documents expire n seconds after their last write
 * @param notIndexed        paths never queried, left out of the index to save RUs on writes;
 *                          {@code /*} means "point reads only"
 */
public record ContainerSpec(String name, String partitionKeyPath, Integer defaultTtlSeconds, List<String> notIndexed) {

    public ContainerSpec {
        Objects.requireNonNull(name);
        if (!partitionKeyPath.matches("/[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("partition key path must be a top-level property: " + partitionKeyPath);
        }
        notIndexed = List.copyOf(notIndexed);
    }

    /** The top-level property holding the partition key, e.g. {@code deviceId}. */
    public String partitionKeyProperty() {
        return partitionKeyPath.substring(1);
    }

    CosmosContainerProperties toProperties() {
        CosmosContainerProperties properties = new CosmosContainerProperties(name, partitionKeyPath);
        if (defaultTtlSeconds != null) {
            properties.setDefaultTimeToLiveInSeconds(defaultTtlSeconds);
        }
        IndexingPolicy indexing = new IndexingPolicy();
        indexing.setIndexingMode(IndexingMode.CONSISTENT);
        List<ExcludedPath> excluded = new ArrayList<>();
        notIndexed.forEach(path -> excluded.add(new ExcludedPath(path)));
        if (notIndexed.contains("/*")) {
            indexing.setIncludedPaths(List.of());
        } else {
            indexing.setIncludedPaths(List.of(new IncludedPath("/*")));
            excluded.add(new ExcludedPath("/\"_etag\"/?"));
        }
        indexing.setExcludedPaths(excluded);
        properties.setIndexingPolicy(indexing);
        return properties;
    }
}
