package dev.sensorchat.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The time a report covers: whole UTC hours, from {@code from} (inclusive) to {@code to} (exclusive). */
public record ReportPeriod(Instant from, Instant to) {

    public static final Duration LONGEST = Duration.ofDays(93);

    public ReportPeriod {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a report period ends after it starts");
        }
        if (from.toEpochMilli() % 3_600_000L != 0 || to.toEpochMilli() % 3_600_000L != 0) {
            throw new IllegalArgumentException("a report period starts and ends on whole hours (UTC)");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a report covers at most " + LONGEST.toDays() + " days");
        }
    }

    /** One UTC day. */
    public static ReportPeriod day(LocalDate day) {
        return new ReportPeriod(day.atStartOfDay(ZoneOffset.UTC).toInstant(), day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** UTC days, first to last inclusive. */
    public static ReportPeriod days(LocalDate first, LocalDate last) {
        return new ReportPeriod(first.atStartOfDay(ZoneOffset.UTC).toInstant(), last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    public long minutes() {
        return Duration.between(from, to).toMinutes();
    }

    public int hours() {
        return (int) Duration.between(from, to).toHours();
    }

    /** Whether this is exactly one UTC day. */
    public boolean isOneDay() {
        return hours() == 24 && from.toEpochMilli() % 86_400_000L == 0;
    }
}
