package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.AppContext;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The Docker path of the harness: Testcontainers' Azurite and the official Cosmos DB emulator.
 * Skipped, and reported as skipped, on machines without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerServersIT {

    record Probe(String id, String deviceId) {
    }

    @Test
    void appTalksToTheContainers() {
        try (DockerServers servers = DockerServers.start(); AppContext app = servers.endpoints().newAppContext()) {
            CosmosStore<Probe> devices = app.store(Containers.DEVICES, Probe.class);
            devices.upsert(new Probe("boiler-1", "boiler-1"));
            assertEquals(new Probe("boiler-1", "boiler-1"), devices.find("boiler-1", "boiler-1").orElseThrow().value());

            byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
            app.blobStore("probe").put("a.txt", content, "text/plain", Map.of());
            assertArrayEquals(content, app.blobStore("probe").get("a.txt").orElseThrow());
        }
    }
}
