package dev.sensorchat.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** How the bot writes numbers, times and sparklines. */
final class Texts {

    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    static final int SPARKLINE_WIDTH = 24;

    private Texts() {
    }

    /** At most two decimals, no trailing zeros: 21.4, 1000, -0.05. */
    static String number(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static String ago(Instant then, Instant now) {
        Duration age = Duration.between(then, now);
        if (age.isNegative() || age.toSeconds() < 60) {
            return "just now";
        }
        if (age.toMinutes() < 60) {
            return age.toMinutes() + " min ago";
        }
        if (age.toHours() < 48) {
            return age.toHours() + " h ago";
        }
        return age.toDays() + " days ago";
    }

    static String time(Instant instant, Instant now) {
        return instant.truncatedTo(ChronoUnit.DAYS).equals(now.truncatedTo(ChronoUnit.DAYS)) ? TIME.format(instant) : DATE_TIME.format(instant);
    }

    /** ▁▂▃▅▇ over the values, averaged down to at most {@value #SPARKLINE_WIDTH} bars. */
    static String sparkline(List<Double> values) {
        if (values.isEmpty()) {
            return "";
        }
        List<Double> points = new ArrayList<>();
        int buckets = Math.min(SPARKLINE_WIDTH, values.size());
        for (int b = 0; b < buckets; b++) {
            int from = b * values.size() / buckets;
            int to = (b + 1) * values.size() / buckets;
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += values.get(i);
            }
            points.add(sum / (to - from));
        }
        double min = points.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = points.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder line = new StringBuilder();
        for (double point : points) {
            int level = max == min ? 3 : (int) Math.round((point - min) / (max - min) * (BARS.length - 1));
            line.append(BARS[level]);
        }
        return line.toString();
    }
}
