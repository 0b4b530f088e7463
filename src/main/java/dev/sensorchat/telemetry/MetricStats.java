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

    /**
     * Mutable statistics for folding many readings with one allocation per metric and window.
     * Readings are added in arrival order, which is what makes {@code sum} and {@code last} exact
     * and repeatable.
     */
    public static final class Accumulator {
        private long count;
        private double sum;
        private double min;
        private double max;
        private long firstTs;
        private long lastTs;
        private double last;

        public Accumulator() {
        }

        public Accumulator(long count, double sum, double min, double max, long firstTs, long lastTs, double last) {
            this.count = count;
            this.sum = sum;
            this.min = min;
            this.max = max;
            this.firstTs = firstTs;
            this.lastTs = lastTs;
            this.last = last;
        }

        public static Accumulator from(MetricStats stats) {
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

        public void add(long ts, double value) {
            if (count == 0) {
                min = value;
                max = value;
                firstTs = ts;
                lastTs = ts;
                last = value;
            } else {
                min = Math.min(min, value); // Math.min, not <: -0.0 is smaller than 0.0
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

        /**
         * Folds in another window's statistics as if its readings arrived after these: exact for
         * count, min, max and times; the sum adds the two partial sums.
         */
        public void merge(Accumulator other) {
            if (other.count == 0) {
                return;
            }
            if (count == 0) {
                count = other.count;
                sum = other.sum;
                min = other.min;
                max = other.max;
                firstTs = other.firstTs;
                lastTs = other.lastTs;
                last = other.last;
                return;
            }
            count += other.count;
            sum += other.sum;
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            firstTs = Math.min(firstTs, other.firstTs);
            if (other.lastTs >= lastTs) {
                lastTs = other.lastTs;
                last = other.last;
            }
        }

        public Accumulator copy() {
            return new Accumulator(count, sum, min, max, firstTs, lastTs, last);
        }

        public long count() {
            return count;
        }

        public double sum() {
            return sum;
        }

        public double min() {
            return min;
        }

        public double max() {
            return max;
        }

        public long firstTs() {
            return firstTs;
        }

        public long lastTs() {
            return lastTs;
        }

        public double last() {
            return last;
        }

        public MetricStats toStats() {
            return new MetricStats(count, sum, min, max, Instant.ofEpochMilli(firstTs), Instant.ofEpochMilli(lastTs), last);
        }
    }
}
