package dev.sensorchat.simulators.devices;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 UTC timestamps with milliseconds, fast: the date, hour and minute are formatted once per
 * minute; only seconds and milliseconds are appended per event.
 */
final class TimeFormat {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:").withZone(ZoneOffset.UTC);

    private long cachedMinute = Long.MIN_VALUE;
    private String cachedPrefix;

    void append(StringBuilder out, long epochMs) {
        long minute = Math.floorDiv(epochMs, 60_000L);
        if (minute != cachedMinute) {
            cachedMinute = minute;
            cachedPrefix = MINUTE.format(Instant.ofEpochMilli(minute * 60_000L));
        }
        int millisOfMinute = (int) Math.floorMod(epochMs, 60_000L);
        int seconds = millisOfMinute / 1000;
        int millis = millisOfMinute % 1000;
        out.append(cachedPrefix);
        if (seconds < 10) {
            out.append('0');
        }
        out.append(seconds).append('.');
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        out.append(millis).append('Z');
    }
}
