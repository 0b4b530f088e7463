package dev.sensorchat.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.Reading;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flat statistics fold exactly as {@link MetricStats.Accumulator} does. */
class MetricSetTest {

    private static Reading reading(String... names) {
        return new Reading(0, names, new double[names.length]);
    }

    /**
     * A reading's metric i is at index i of a set once its names array is seen to line up; readings
     * of other arrays, other orders or more metrics still find their own metric by name.
     */
    @Test
    void readingsOfOtherShapesFoldIntoTheirOwnMetrics() {
        MetricSet set = new MetricSet();
        Reading usual = reading("t", "h", "co2");
        for (int n = 0; n < 3; n++) { // the first adds the names; the second lines up; the third uses the indexes
            for (int i = 0; i < 3; i++) {
                set.add(usual, i, n, 10 * (i + 1), 5);
            }
        }
        Reading reordered = reading("co2", "t");
        set.add(reordered, 0, 10, 1000, 6);
        set.add(reordered, 1, 10, 1, 6);
        Reading prefix = reading("t", "h"); // another array of the same first names: lines up too
        set.add(prefix, 0, 11, 2, 7);
        set.add(prefix, 1, 11, 3, 7);
        Reading more = reading("t", "h", "co2", "battery");
        for (int i = 0; i < 4; i++) {
            set.add(more, i, 12, 100 + i, 8);
        }
        set.add(usual, 0, 13, 4, 9); // the usual array again, after the others

        assertEquals(4, set.size());
        assertEquals(7, set.stats(set.indexOf("t")).count());
        assertEquals(30 + 1 + 2 + 100 + 4, set.stats(set.indexOf("t")).sum());
        assertEquals(5, set.stats(set.indexOf("h")).count());
        assertEquals(60 + 3 + 101, set.stats(set.indexOf("h")).sum());
        assertEquals(90 + 1000 + 102, set.stats(set.indexOf("co2")).sum());
        assertEquals(103, set.stats(set.indexOf("battery")).sum());
        assertEquals(1L << 6 | 1L << 8 | 1L << 5, set.minuteMask(set.indexOf("co2")));
    }

    @Test
    void foldsLikeTheAccumulatorIncludingOutOfOrderTimesAndSignedZeros() {
        Random random = new Random(7);
        String[] names = {"temperature", "humidity", "pressure", "co2", "battery"}; // more than the first capacity
        MetricSet set = new MetricSet();
        MetricStats.Accumulator[] expected = new MetricStats.Accumulator[names.length];
        for (int i = 0; i < names.length; i++) {
            expected[i] = new MetricStats.Accumulator();
        }
        double[] special = {-0.0, 0.0, -0.0, 1e300, -1e300, Double.MIN_VALUE};
        for (int n = 0; n < 10_000; n++) {
            int metric = random.nextInt(names.length);
            long ts = 1_000_000 + random.nextInt(5_000); // late and early readings mixed
            double value = n < special.length ? special[n] : random.nextGaussian() * 10;
            set.add(reading(names[metric]), 0, ts, value, (int) (ts / 60_000) % 60);
            expected[metric].add(ts, value);
        }
        for (int i = 0; i < names.length; i++) {
            int index = set.indexOf(names[i]);
            MetricStats.Accumulator actual = set.stats(index);
            assertEquals(expected[i].count(), actual.count());
            assertEquals(Double.doubleToRawLongBits(expected[i].sum()), Double.doubleToRawLongBits(actual.sum()), names[i]);
            assertEquals(Double.doubleToRawLongBits(expected[i].min()), Double.doubleToRawLongBits(actual.min()));
            assertEquals(Double.doubleToRawLongBits(expected[i].max()), Double.doubleToRawLongBits(actual.max()));
            assertEquals(expected[i].firstTs(), actual.firstTs());
            assertEquals(expected[i].lastTs(), actual.lastTs());
            assertEquals(Double.doubleToRawLongBits(expected[i].last()), Double.doubleToRawLongBits(actual.last()));
        }
    }

    @Test
    void aSingleNegativeZeroSumsAsTheAccumulatorDoes() {
        MetricSet set = new MetricSet();
        set.add(reading("t"), 0, 1, -0.0);
        MetricStats.Accumulator expected = new MetricStats.Accumulator();
        expected.add(1, -0.0);
        assertEquals(Double.doubleToRawLongBits(expected.sum()), Double.doubleToRawLongBits(set.stats(0).sum()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(set.stats(0).min()));
    }

    @Test
    void minuteMasksCollectTheMinutesOfEachMetric() {
        MetricSet set = new MetricSet();
        set.add(reading("t"), 0, 1, 1.0, 3);
        set.add(reading("t"), 0, 2, 1.0, 59);
        set.add(reading("h"), 0, 3, 1.0, 0);
        assertEquals((1L << 3) | (1L << 59), set.minuteMask(set.indexOf("t")));
        assertEquals(1L, set.minuteMask(set.indexOf("h")));
    }

    /** A device's latest values line up with its readings the same way, and keep the newest of each metric. */
    @Test
    void latestValuesOfOtherShapesGoToTheirOwnMetrics() {
        DeviceState device = new DeviceState("d", 0);
        Reading usual = reading("t", "h");
        for (long ts = 1; ts <= 3; ts++) {
            device.latest(usual, 0, ts, 10 * ts);
            device.latest(usual, 1, ts, 100 * ts);
        }
        Reading reordered = reading("h", "t");
        device.latest(reordered, 0, 4, -1);
        device.latest(reordered, 1, 2, -2); // older than t's latest: kept out
        device.latest(usual, 0, 5, 50);

        assertEquals(2, device.latestCount());
        assertEquals("t", device.latestName(0));
        assertEquals(5, device.latestTs(0));
        assertEquals(50, device.latestValue(0));
        assertEquals(4, device.latestTs(1));
        assertEquals(-1, device.latestValue(1));
    }
}
