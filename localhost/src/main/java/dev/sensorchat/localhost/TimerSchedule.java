package dev.sensorchat.localhost;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * An NCRONTAB schedule as the Functions host reads it: six fields, seconds first
 * ({@code 0 15 0 * * *} is 00:15:00 every day), in UTC.
 */
final class TimerSchedule {

    // Spring's cron has NCRONTAB's six fields in NCRONTAB's order.
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final String expression;
    private final ExecutionTime times;

    TimerSchedule(String expression) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 6) {
            throw new IllegalArgumentException("'" + expression + "' is not a six-field NCRONTAB schedule (seconds minutes hours days months weekdays)");
        }
        this.expression = expression.trim();
        this.times = ExecutionTime.forCron(PARSER.parse(this.expression));
    }

    /** The first occurrence strictly after {@code after}. */
    Instant next(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).orElseThrow().toInstant();
    }

    /** The last occurrence at or before {@code at}, if any. */
    Instant previous(Instant at) {
        ZonedDateTime moment = ZonedDateTime.ofInstant(at.plusMillis(1), ZoneOffset.UTC);
        return times.lastExecution(moment).map(ZonedDateTime::toInstant).orElse(null);
    }

    @Override
    public String toString() {
        return expression;
    }
}
