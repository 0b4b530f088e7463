package dev.sensorchat.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.AppContext;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The blob adapter against Azurite through the real Blob SDK. */
@ExtendWith(LocalAzureExtension.class)
class BlobStoreIT {

    private static AppContext app;
    private static BlobStore blobs;

    @BeforeAll
    static void open(LocalAzure azure) {
        app = azure.newAppContext();
        blobs = app.blobStore("test-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void close() {
        app.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writtenBlobReadsBackWithItsMetadata() {
        blobs.put("reports/2026/11/22/fleet.json", utf8("{\"ok\":true}"), "application/json", Map.of("kind", "fleet"));

        assertArrayEquals(utf8("{\"ok\":true}"), blobs.get("reports/2026/11/22/fleet.json").orElseThrow());
        assertEquals("fleet", blobs.metadata("reports/2026/11/22/fleet.json").get("kind"));
    }

    @Test
    void missingBlobIsEmpty() {
        assertEquals(Optional.empty(), blobs.get("no/such/blob.json"));
    }

    @Test
    void putIfAbsentWritesOnceAndNeverOverwrites() {
        assertTrue(blobs.putIfAbsent("once/a.json", utf8("first"), "text/plain", Map.of()));
        assertFalse(blobs.putIfAbsent("once/a.json", utf8("second"), "text/plain", Map.of()));

        assertArrayEquals(utf8("first"), blobs.get("once/a.json").orElseThrow());
    }

    @Test
    void listReturnsTheBlobsUnderAPrefixInNameOrder() {
        blobs.put("list/b.txt", utf8("b"), "text/plain", Map.of());
        blobs.put("list/a.txt", utf8("a"), "text/plain", Map.of());
        blobs.put("other/c.txt", utf8("c"), "text/plain", Map.of());

        assertEquals(List.of("list/a.txt", "list/b.txt"), blobs.list("list/"));
    }

    @Test
    void unsafeNamesNeverReachStorage() {
        assertThrows(IllegalArgumentException.class, () -> blobs.put("../escape.txt", utf8("x"), "text/plain", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> blobs.get("a//b"));
        assertTrue(blobs.list("").stream().noneMatch(name -> name.contains("escape")));
    }
}
