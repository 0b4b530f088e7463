package dev.sensorchat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.ExcludedPath;
import com.azure.cosmos.models.IncludedPath;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

    @Test
    void partitionKeysFollowTheAccessPatterns() {
        assertEquals("/deviceId", Containers.DEVICES.partitionKeyPath());
        assertEquals("/deviceId", Containers.TELEMETRY.partitionKeyPath());
        assertEquals("/deviceId", Containers.ALERTS.partitionKeyPath());
        assertEquals("/conversationId", Containers.CONVERSATIONS.partitionKeyPath());
        assertEquals("/id", Containers.IDEMPOTENCY.partitionKeyPath());
        assertEquals(Containers.ALL.size(), new HashSet<>(Containers.ALL.stream().map(ContainerSpec::name).toList()).size(),
                "container names are unique");
    }

    @Test
    void ttlAndIndexingBecomeContainerProperties() {
        CosmosContainerProperties idempotency = Containers.IDEMPOTENCY.toProperties();
        assertEquals(7 * 24 * 3600, idempotency.getDefaultTimeToLiveInSeconds());
        assertEquals(List.of(), idempotency.getIndexingPolicy().getIncludedPaths(), "point reads only: nothing indexed");
        assertEquals(List.of("/*"), idempotency.getIndexingPolicy().getExcludedPaths().stream().map(ExcludedPath::getPath).toList());

        CosmosContainerProperties telemetry = Containers.TELEMETRY.toProperties();
        assertEquals(-1, telemetry.getDefaultTimeToLiveInSeconds(), "on, but only documents with their own ttl expire");
        assertEquals(List.of("/*"), telemetry.getIndexingPolicy().getIncludedPaths().stream().map(IncludedPath::getPath).toList());
        assertTrue(telemetry.getIndexingPolicy().getExcludedPaths().stream().map(ExcludedPath::getPath).toList().contains("/metrics/*"));

        assertNull(Containers.DEVICES.toProperties().getDefaultTimeToLiveInSeconds(), "device state never expires");
    }

    @Test
    void nestedPartitionKeysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ContainerSpec("x", "/a/b", null, List.of()));
    }
}
