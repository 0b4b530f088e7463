package dev.sensorchat.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.SourcedReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilencePolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private final SilencePolicy policy = SilencePolicy.of(3, "device:boiler-1=10, tag:greenhouse=5,tag:battery=20", Duration.ofMinutes(15));

    @Test
    void aDevicesOwnFactorWinsThenTheMostPatientTagThenTheDefault() {
        assertEquals(10, policy.factor("boiler-1", List.of("battery")));
        assertEquals(20, policy.factor("gh-1", List.of("greenhouse", "battery")));
        assertEquals(5, policy.factor("gh-2", List.of("greenhouse")));
        assertEquals(3, policy.factor("other", List.of()));
    }

    @Test
    void allowedQuietIsTheIntervalTimesTheFactorWithAFloorAndAFallback() {
        assertEquals(Duration.ofMinutes(3), policy.allowedQuiet("x", List.of(), 60_000L));
        assertEquals(Duration.ofMinutes(1), policy.allowedQuiet("x", List.of(), 1_000L), "never sooner than a minute");
        assertEquals(Duration.ofMinutes(15), policy.allowedQuiet("x", List.of(), null), "interval not learned yet");
        // 5 × 60 s, plus the minute the registry may trail the device's stream by
        assertEquals(T0.plusSeconds(300 + 60), policy.silentAfter("gh-2", List.of("greenhouse"), T0, 60_000L));
        assertNull(policy.silentAfter("x", List.of(), null, null));
    }

    @Test
    void badOverridesAreRefusedWithTheEntryNamed() {
        for (String bad : List.of("boiler-1=10", "device:=3", "tag:x=0", "tag:x=abc", "room:x=3", "device:x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SilencePolicy.of(3, bad, Duration.ofMinutes(15)));
            assertTrue(e.getMessage().contains(bad.strip()), e.getMessage());
        }
        assertEquals(SilencePolicy.of(3, "", Duration.ofMinutes(15)).deviceFactors(), java.util.Map.of());
    }

    private static List<SourcedReading> readings(long firstPosition, long... secondsAfterT0) {
        List<SourcedReading> list = new ArrayList<>();
        for (int i = 0; i < secondsAfterT0.length; i++) {
            list.add(new SourcedReading(firstPosition + i,
                    new Reading(T0.plusSeconds(secondsAfterT0[i]).toEpochMilli(), new String[] {"t"}, new double[] {1})));
        }
        return list;
    }

    @Test
    void theDeviceLearnsItsIntervalAndItsDeadlineFromItsReadings() {
        DeviceDocument device = DeviceDocument.register("d-1").withTelemetry("eh:0", readings(1, 0), null, 0, policy);
        assertNull(device.intervalMs(), "one reading tells no interval");
        assertEquals(T0.plus(Duration.ofMinutes(15 + 1)), device.silentAfter());

        device = device.withTelemetry("eh:0", readings(2, 60, 120, 180), null, 0, policy);
        assertEquals(60_000L, device.intervalMs());
        assertEquals(T0.plusSeconds(360 + 60), device.silentAfter(), "last seen at +180 s, 3 × 60 s, and the reporting lag");

        // A late reading and a replay change nothing; one long gap moves the average by a fifth.
        DeviceDocument late = device.withTelemetry("eh:0", readings(5, 5), null, 0, policy);
        assertEquals(60_000L, late.intervalMs());
        assertEquals(device.withTelemetry("eh:0", readings(2, 60, 120, 180), null, 0, policy), device);
        assertEquals(108_000L, device.withTelemetry("eh:0", readings(6, 480), null, 0, policy).intervalMs());
    }
}
