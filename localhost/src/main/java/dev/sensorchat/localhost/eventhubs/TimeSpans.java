package dev.sensorchat.localhost.eventhubs;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** .NET TimeSpan strings, as host.json and the retry annotations write durations. */
public final class TimeSpans {

    // [-][d.]hh:mm[:ss[.fffffff]], or a whole number of days.
    private static final Pattern TIME_SPAN =
            Pattern.compile("(-)?(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,7}))?)?");
    private static final Pattern DAYS = Pattern.compile("(-)?(\\d+)");

    private TimeSpans() {
    }

    /** Parses "00:00:05", "1.02:03:04.5", "00:05" (hours:minutes) or "2" (days). */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher days = DAYS.matcher(trimmed);
        if (days.matches()) {
            Duration value = Duration.ofDays(Long.parseLong(days.group(2)));
            return days.group(1) == null ? value : value.negated();
        }
        Matcher m = TIME_SPAN.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a TimeSpan (expected [d.]hh:mm:ss[.fffffff]): '" + text + "'");
        }
        int hours = Integer.parseInt(m.group(3));
        int minutes = Integer.parseInt(m.group(4));
        int seconds = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        if (hours > 23 || minutes > 59 || seconds > 59) {
            throw new IllegalArgumentException("TimeSpan field out of range: '" + text + "'");
        }
        Duration value = Duration.ofDays(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                .plusHours(hours).plusMinutes(minutes).plusSeconds(seconds);
        if (m.group(6) != null) {
            String fraction = (m.group(6) + "000000000").substring(0, 9);
            value = value.plusNanos(Long.parseLong(fraction));
        }
        return m.group(1) == null ? value : value.negated();
    }
}
