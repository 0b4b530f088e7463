package dev.sensorchat.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CsvReadingsTest {

    private final CsvReadings csv = CsvReadings.fromHeader("deviceId,ts,temperature,humidity", TelemetryLimits.defaults());

    @Test
    void linesBecomeReadingsAndEmptyCellsAreAbsentMetrics() {
        Reading reading = assertInstanceOf(TelemetryParser.Accepted.class, csv.parse("boiler-1,2026-11-22T10:00:00Z,21.5,"))
                .event().readings().get(0);
        assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(), reading.timestampMs());
        assertEquals(1, reading.metricCount());
        assertEquals(21.5, reading.valueOf("temperature"));

        Reading epoch = assertInstanceOf(TelemetryParser.Accepted.class, csv.parse("boiler-1,1795000000000,1e2,-3")).event().readings().get(0);
        assertEquals(1795000000000L, epoch.timestampMs());
        assertEquals(100.0, epoch.valueOf("temperature"));
    }

    @Test
    void badLinesSayWhy() {
        assertEquals("invalid_field", reason("boiler-1,2026-11-22T10:00:00Z,21.5"));
        assertEquals("invalid_device_id", reason("boiler 1,2026-11-22T10:00:00Z,1,2"));
        assertEquals("missing_field", reason(",2026-11-22T10:00:00Z,1,2"));
        assertEquals("invalid_field", reason("a,yesterday,1,2"));
        assertEquals("non_finite_value", reason("a,2026-11-22T10:00:00Z,NaN,2"));
        assertEquals("value_out_of_range", reason("a,2026-11-22T10:00:00Z,1.7976931348623157e308,2"));
        assertEquals("invalid_field", reason("a,2026-11-22T10:00:00Z,0x10,2"));
        assertEquals("invalid_field", reason("a,2026-11-22T10:00:00Z,1d,2"));
        assertEquals("invalid_field", reason("a,2026-11-22T10:00:00Z,,"));
    }

    @Test
    void unusableHeadersRejectTheFile() {
        assertThrows(IllegalArgumentException.class, () -> CsvReadings.fromHeader("ts,deviceId,t", TelemetryLimits.defaults()));
        assertThrows(IllegalArgumentException.class, () -> CsvReadings.fromHeader("deviceId,ts", TelemetryLimits.defaults()));
        assertThrows(IllegalArgumentException.class, () -> CsvReadings.fromHeader("deviceId,ts,t,t", TelemetryLimits.defaults()));
        assertThrows(IllegalArgumentException.class, () -> CsvReadings.fromHeader("deviceId,ts,temp (C)", TelemetryLimits.defaults()));
    }

    private String reason(String line) {
        return assertInstanceOf(TelemetryParser.Rejected.class, csv.parse(line)).rejection().reason().code();
    }
}
