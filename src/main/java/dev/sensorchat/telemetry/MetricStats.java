package dev.sensorchat.telemetry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * Exact statistics of one metric in one window.
 *
 * @param count   readings
 * @param sum     their sum, added in arrival order
 * @param min     smallest value
 * @param max     largest value
 * @param firstTs earliest reading time
 * @param lastTs  latest reading time
 * @param last    the value at {@code lastTs}; on equal times, the later arrival
 */
public record MetricStats(long count, double sum, double min, double max, Instant firstTs, Instant lastTs, double last) {

    @JsonIgnore
    public double average() {
        return sum / count;
    }

    /** Mutable statistics for folding many readings with one allocation per metric and window. */
    static final class Accumulator {
        private long count;
        private double sum;
        private double min;
        private double max;
        private long firstTs;
        private long lastTs;
        private double last;

        static Accumulator from(MetricStats stats) {
            Accumulator accumulator = new Accumulator();
            if (stats != null) {
                accumulator.count = stats.count;
                accumulator.sum = stats.sum;
                accumulator.min = stats.min;
                accumulator.max = stats.max;
                accumulator.firstTs = stats.firstTs.toEpochMilli();
                accumulator.lastTs = stats.lastTs.toEpochMilli();
                accumulator.last = stats.last;
            }
            return accumulator;
        }

        void add(long ts, double value) {
            if (count == 0) {
                min = value;
                max = value;
                firstTs = ts;
                lastTs = ts;
                last = value;
            } else {
                min = Math.min(min, value);
                max = Math.max(max, value);
                firstTs = Math.min(firstTs, ts);
                if (ts >= lastTs) {
                    lastTs = ts;
                    last = value;
                }
            }
            count++;
            sum += value;
        }

        MetricStats toStats() {
            return new MetricStats(count, sum, min, max, Instant.ofEpochMilli(firstTs), Instant.ofEpochMilli(lastTs), last);
        }
    }
}
