package dev.sensorchat.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How numbers are written wherever people read them: chat replies, notifications, reports. Total
 * over every double, so no value can make an answer fail, and never a 309-digit integer.
 */
public final class Numbers {

    /** Beyond this magnitude a value is written in scientific notation. */
    static final double PLAIN_UP_TO = 1e15;

    private Numbers() {
    }

    /** At most two decimals, no trailing zeros: 21.4, 1000, -0.05; 1.798e+308 for huge values. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "∞" : "-∞";
        }
        if (Math.abs(value) >= PLAIN_UP_TO) {
            return String.format(Locale.ROOT, "%.4g", value).replaceFirst("\\.?0+e", "e");
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /**
     * For files read by programs (CSV): up to six decimals, plain; beyond {@link #PLAIN_UP_TO}, the
     * shortest exact form ({@code 1.7976931348623157E308}); empty for a value that is not a number.
     */
    public static String exact(double value) {
        if (!Double.isFinite(value)) {
            return "";
        }
        if (Math.abs(value) >= PLAIN_UP_TO) {
            return Double.toString(value);
        }
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** Thousands separated by commas, whatever the default locale: 12,345. */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
