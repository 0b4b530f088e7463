package dev.sensorchat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SqlQueryTest {

    @Test
    void valuesTravelAsParameters() {
        SqlQuery query = SqlQuery.of("SELECT * FROM c WHERE c.deviceId = @device").with("@device", "boiler-1'; DROP");

        var spec = query.toSpec();
        assertEquals("SELECT * FROM c WHERE c.deviceId = @device", spec.getQueryText());
        assertEquals("boiler-1'; DROP", spec.getParameters().get(0).getValue(String.class));
        assertNull(query.partitionKey());
        assertEquals("boiler-1", SqlQuery.of("SELECT * FROM c").inPartition("boiler-1").partitionKey());
    }

    @Test
    void parameterMistakesFailEarly() {
        assertThrows(IllegalArgumentException.class, () -> SqlQuery.of("SELECT * FROM c WHERE c.a = @a").with("a", 1));
        assertThrows(IllegalArgumentException.class, () -> SqlQuery.of("SELECT * FROM c WHERE c.a = @a").with("@b", 1));
    }
}
