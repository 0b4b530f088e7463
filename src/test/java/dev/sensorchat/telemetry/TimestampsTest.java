package dev.sensorchat.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void theFastPathReadsWhatJavaTimeReads() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            long ms = random.nextLong(0, Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli());
            String iso = Instant.ofEpochMilli(ms).toString(); // 0, 3 fraction digits, ending in Z
            assertEquals(Instant.parse(iso).toEpochMilli(), Timestamps.utcMillis(iso), iso);
        }
        for (String iso : List.of("2026-11-22T10:05:00Z", "2026-11-22T10:05:00.2Z", "2026-11-22T10:05:00.25Z",
                "2026-11-22T10:05:00.123456789Z", "2024-02-29T00:00:00Z", "2000-02-29T12:00:00.001Z", "1970-01-01T00:00:00Z")) {
            assertEquals(Instant.parse(iso).toEpochMilli(), Timestamps.utcMillis(iso), iso);
        }
    }

    @Test
    void theInstantIsExactToTheNanosecond() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String iso = instant.toString(); // 0, 3, 6 or 9 fraction digits
            assertEquals(instant, Timestamps.utcInstant(iso), iso);
        }
        // .NET's round-trip format, as the Functions host writes EnqueuedTimeUtc: seven digits.
        assertEquals(Instant.parse("2026-12-04T23:15:23.1234567Z"), Timestamps.utcInstant("2026-12-04T23:15:23.1234567Z"));
        assertEquals(Instant.parse("2026-12-04T23:15:23.5Z"), Timestamps.utcInstant("2026-12-04T23:15:23.5Z"));
        assertEquals(null, Timestamps.utcInstant("2026-12-04T23:15:23.1234567"), "no zone: left to the caller");
        assertEquals(null, Timestamps.utcInstant("2026-12-04T23:15:23+01:00"));
    }

    @Test
    void everythingElseIsLeftToJavaTime() {
        for (String other : List.of("2026-11-22T10:05:00+01:00", "2026-11-22T10:05:60Z", "2023-02-29T00:00:00Z", "1969-12-31T23:59:59Z",
                "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:05:00.Z", "2026-11-22t10:05:00Z", "2026-11-22T10:05:0aZ",
                "2026-11-22T10:05:00.1234567890Z", "+2026-11-22T10:05:00Z")) {
            assertEquals(Timestamps.NOT_SIMPLE, Timestamps.utcMillis(other), other);
        }
    }
}
