package dev.sensorchat.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceIdsTest {

    private static String intern(String id) {
        char[] buffer = ("xx" + id + "yy").toCharArray(); // the id sits inside a larger buffer, as in the parser
        return DeviceIds.intern(buffer, 2, id.length());
    }

    @Test
    void theSameIdIsTheSameInstanceAndEveryIdKeepsItsCharacters() {
        Map<String, String> first = new HashMap<>();
        for (int i = 0; i < 50_000; i++) { // more ids than slots: some are evicted, none is confused
            String id = "dev-" + i;
            String interned = intern(id);
            assertEquals(id, interned);
            first.putIfAbsent(id, interned);
        }
        assertSame(intern("dev-49999"), intern("dev-49999"));
        for (int i = 0; i < 50_000; i++) {
            assertEquals("dev-" + i, intern("dev-" + i));
        }
    }

    @Test
    void idsWithTheSameHashAreKeptApart() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        assertEquals("Aa", intern("Aa"));
        assertEquals("BB", intern("BB"));
        assertEquals("Aa", intern("Aa"));
    }

    @Test
    void anythingLongerThanAnIdIsRefused() {
        assertNull(intern("d".repeat(129)));
        assertEquals("d".repeat(128), intern("d".repeat(128)));
    }
}
