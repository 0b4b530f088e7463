package dev.sensorchat.chat.language;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time range mentioned in a message, in UTC: "last hour", "last 24h", "past 3 days", "today",
 * "yesterday", "since 10:00", "2026-11-20".
 *
 * @param label how the bot repeats it back
 */
public record TimeRange(Instant from, Instant to, String label) {

    /** "24h", "3 hours", "last 2 days"; never digits inside an id such as "tank-2d". */
    private static final Pattern LAST = Pattern.compile(
            "(?<![\\w.:-])(?:(?:last|past|previous)\\s+(?:the\\s+)?)?(\\d{1,4})\\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\\b");
    /** Any "last N units", however many digits, to tell a range too long from no range at all. */
    private static final Pattern ANY_LAST = Pattern.compile(
            "(?<![\\w.:-])(?:last|past|previous)\\s+(?:the\\s+)?(\\d+)\\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\\b");
    /** The longest range answered: beyond it there is no data (hourly windows are kept for a year). */
    public static final Duration MAX_LOOKBACK = Duration.ofDays(366);
    private static final Pattern LAST_UNIT = Pattern.compile("\\b(?:last|past|previous)\\s+(?:the\\s+)?(minute|hour|day|week)\\b");
    private static final Pattern SINCE = Pattern.compile("\\bsince\\s+(\\d{1,2}):(\\d{2})\\b");
    private static final Pattern DATE = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");

    public Duration length() {
        return Duration.between(from, to);
    }

    /** A range found in {@code text} (lower case), and the text with it cut out. */
    public record Found(TimeRange range, String rest) {
    }

    /**
     * Why a range in {@code text} (lower case) cannot be answered as asked, or empty: one longer
     * than {@link #MAX_LOOKBACK} ("last 99999999999 days" once quietly became the last hour), or
     * of no length at all.
     */
    public static Optional<String> unusable(String text) {
        Matcher last = ANY_LAST.matcher(text);
        if (!last.find()) {
            return Optional.empty();
        }
        java.math.BigInteger amount = new java.math.BigInteger(last.group(1));
        if (amount.signum() == 0) {
            return Optional.of("`" + last.group().strip() + "` is no time at all; try `last hour` or `last 24h`");
        }
        long stepSeconds = step(last.group(2)).toSeconds();
        if (amount.multiply(java.math.BigInteger.valueOf(stepSeconds)).compareTo(java.math.BigInteger.valueOf(MAX_LOOKBACK.toSeconds())) > 0) {
            String asked = last.group().strip();
            return Optional.of("`" + (asked.length() > 40 ? asked.substring(0, 40) + "…" : asked) + "` reaches back further than "
                    + MAX_LOOKBACK.toDays() + " days, the longest range I answer for");
        }
        return Optional.empty();
    }

    public static Optional<Found> find(String text, Instant now) {
        Matcher date = DATE.matcher(text);
        if (date.find()) {
            try {
                LocalDate day = LocalDate.of(Integer.parseInt(date.group(1)), Integer.parseInt(date.group(2)), Integer.parseInt(date.group(3)));
                Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
                return found(new TimeRange(start, start.plus(Duration.ofDays(1)), day.toString()), text, date);
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        Matcher since = SINCE.matcher(text);
        if (since.find()) {
            int hour = Integer.parseInt(since.group(1));
            int minute = Integer.parseInt(since.group(2));
            if (hour < 24 && minute < 60) {
                Instant start = LocalDate.ofInstant(now, ZoneOffset.UTC).atTime(LocalTime.of(hour, minute)).toInstant(ZoneOffset.UTC);
                if (start.isAfter(now)) {
                    start = start.minus(Duration.ofDays(1));
                }
                return found(new TimeRange(start, now, "since " + since.group(1) + ":" + since.group(2)), text, since);
            }
        }
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        if (text.matches("(?s).*\\btoday\\b.*")) {
            return Optional.of(new Found(new TimeRange(today, now, "today"), text.replaceFirst("\\btoday\\b", " ")));
        }
        if (text.matches("(?s).*\\byesterday\\b.*")) {
            return Optional.of(new Found(new TimeRange(today.minus(Duration.ofDays(1)), today, "yesterday"),
                    text.replaceFirst("\\byesterday\\b", " ")));
        }
        Matcher unit = LAST_UNIT.matcher(text);
        if (unit.find()) {
            return found(last(1, unit.group(1), now), text, unit);
        }
        Matcher last = LAST.matcher(text);
        if (last.find() && Integer.parseInt(last.group(1)) > 0) {
            return found(last(Integer.parseInt(last.group(1)), last.group(2), now), text, last);
        }
        return Optional.empty();
    }

    private static Duration step(String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        return u.startsWith("w") ? Duration.ofDays(7) : u.startsWith("d") ? Duration.ofDays(1)
                : u.startsWith("h") ? Duration.ofHours(1) : Duration.ofMinutes(1);
    }

    private static TimeRange last(int amount, String unit, Instant now) {
        String u = unit.toLowerCase(Locale.ROOT);
        Duration step = step(unit);
        String name = u.startsWith("w") ? "week" : u.startsWith("d") ? "day" : u.startsWith("h") ? "hour" : "minute";
        String label = amount == 1 ? "last " + name : "last " + amount + " " + name + "s";
        return new TimeRange(now.minus(step.multipliedBy(amount)), now, label);
    }

    private static Optional<Found> found(TimeRange range, String text, Matcher match) {
        return Optional.of(new Found(range, text.substring(0, match.start()) + " " + text.substring(match.end())));
    }
}
