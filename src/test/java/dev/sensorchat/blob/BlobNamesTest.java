package dev.sensorchat.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BlobNamesTest {

    @Test
    void acceptsTheNamesTheAppBuilds() {
        for (String name : new String[] {"reports/2026/11/22/fleet.html", "deadletters/2026/11/22/3/1234-5678.json",
                "uploads/boiler-1:gateway/batch_0001.ndjson.gz", "a=b"}) {
            assertEquals(name, BlobNames.requireValidBlob(name));
        }
    }

    @Test
    void rejectsTraversalEmptySegmentsAndOddCharacters() {
        for (String name : new String[] {"", "/leading", "trailing/", "a//b", "../up", "a/../b", "a/./b", "a\\b",
                "spaces in name", "new\nline", "percent%2F", "x".repeat(1025), "ümlaut"}) {
            assertThrows(IllegalArgumentException.class, () -> BlobNames.requireValidBlob(name), name);
        }
    }

    @Test
    void containerNamesFollowStorageRules() {
        assertEquals("telemetry-deadletters", BlobNames.requireValidContainer("telemetry-deadletters"));
        for (String name : new String[] {"ab", "Reports", "double--hyphen", "-leading", "trailing-", "under_score", "a".repeat(64)}) {
            assertThrows(IllegalArgumentException.class, () -> BlobNames.requireValidContainer(name), name);
        }
    }
}
