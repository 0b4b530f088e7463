package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimerScheduleTest {

    @Test
    void sixFieldNcrontabSecondsFirstInUtc() {
        TimerSchedule daily = new TimerSchedule("0 15 0 * * *");
        assertEquals(Instant.parse("2026-11-23T00:15:00Z"), daily.next(Instant.parse("2026-11-22T00:15:00Z")));
        assertEquals(Instant.parse("2026-11-22T00:15:00Z"), daily.previous(Instant.parse("2026-11-22T09:00:00Z")));
        assertEquals(Instant.parse("2026-11-22T00:15:00Z"), daily.previous(Instant.parse("2026-11-22T00:15:00Z")), "at the occurrence");
        TimerSchedule everyFive = new TimerSchedule("0 */5 * * * *");
        assertEquals(Instant.parse("2026-11-22T10:05:00Z"), everyFive.next(Instant.parse("2026-11-22T10:00:00Z")));
        TimerSchedule weekdays = new TimerSchedule("30 0 9 * * 1-5");
        assertEquals(Instant.parse("2026-11-23T09:00:30Z"), weekdays.next(Instant.parse("2026-11-21T12:00:00Z")), "Saturday to Monday");
        assertThrows(IllegalArgumentException.class, () -> new TimerSchedule("*/5 * * * *"), "five fields is Unix cron, not NCRONTAB");
    }
}
