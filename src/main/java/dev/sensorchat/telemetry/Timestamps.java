package dev.sensorchat.telemetry;

import java.time.Instant;

/**
 * The common shape of a telemetry timestamp, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} from 1970 on,
 * read without building {@code java.time} objects: what devices send almost always, on the
 * parser's hot path. Anything else (offsets, leap seconds, other years) is left to java.time, and
 * what this reads equals {@code Instant.parse(text).toEpochMilli()} ({@code TimestampsTest}).
 */
public final class Timestamps {

    static final long NOT_SIMPLE = Long.MIN_VALUE;
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private Timestamps() {
    }

    /** Epoch milliseconds, or {@link #NOT_SIMPLE} when the text is not of the simple shape. */
    static long utcMillis(String text) {
        return utcMillis(text.toCharArray(), 0, text.length());
    }

    /**
     * The instant, exact to the nanosecond, or null when the text is not of the simple shape: for
     * the trigger's enqueued times, one an event, where {@code OffsetDateTime.parse} was a sixth of
     * the delivery thread's time.
     */
    public static Instant utcInstant(String text) {
        char[] chars = text.toCharArray();
        long millis = utcMillis(chars, 0, chars.length);
        if (millis == NOT_SIMPLE) {
            return null;
        }
        int belowMillis = 0; // fraction digits 4 to 9 (utcMillis checked they are digits)
        int digits = 0;
        for (int i = 23; i < chars.length - 1; i++, digits++) {
            belowMillis = belowMillis * 10 + (chars[i] - '0');
        }
        for (; digits < 6; digits++) {
            belowMillis *= 10;
        }
        return Instant.ofEpochMilli(millis).plusNanos(belowMillis);
    }

    /** The same over the parser's own buffer, without a String. */
    static long utcMillis(char[] text, int offset, int length) {
        if (length < 20 || length > 30 || text[offset + length - 1] != 'Z' || text[offset + 4] != '-' || text[offset + 7] != '-'
                || text[offset + 10] != 'T' || text[offset + 13] != ':' || text[offset + 16] != ':') {
            return NOT_SIMPLE;
        }
        int year = digits(text, offset, 4);
        int month = digits(text, offset + 5, 2);
        int day = digits(text, offset + 8, 2);
        int hour = digits(text, offset + 11, 2);
        int minute = digits(text, offset + 14, 2);
        int second = digits(text, offset + 17, 2);
        if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
            return NOT_SIMPLE;
        }
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        int monthDays = month == 2 ? (leap ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
        if (day > monthDays || second < 0 || year < 0 || month < 0 || hour < 0 || minute < 0) {
            return NOT_SIMPLE;
        }
        int millis = 0;
        if (length > 20) {
            if (text[offset + 19] != '.' || length == 21) {
                return NOT_SIMPLE;
            }
            int fractionDigits = length - 21; // 1 to 9
            if (fractionDigits > 9) {
                return NOT_SIMPLE;
            }
            for (int i = 0; i < fractionDigits; i++) {
                int digit = text[offset + 20 + i] - '0';
                if (digit < 0 || digit > 9) {
                    return NOT_SIMPLE;
                }
                if (i < 3) {
                    millis = millis * 10 + digit;
                }
            }
            for (int i = fractionDigits; i < 3; i++) {
                millis *= 10;
            }
        }
        long days = daysSinceEpoch(year, month, day, leap);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static long daysSinceEpoch(int year, int month, int day, boolean leap) {
        long y = year - 1;
        long daysBeforeYear = 365 * y + y / 4 - y / 100 + y / 400 - 719_162; // days from 0001-01-01 to 1970-01-01
        return daysBeforeYear + DAYS_BEFORE_MONTH[month - 1] + (leap && month > 2 ? 1 : 0) + day - 1;
    }

    /** The decimal number in {@code count} characters from {@code from}, or -1 when one is not a digit. */
    private static int digits(char[] text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
