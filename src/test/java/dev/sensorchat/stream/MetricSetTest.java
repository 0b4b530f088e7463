package dev.sensorchat.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.telemetry.MetricStats;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flat statistics fold exactly as {@link MetricStats.Accumulator} does. */
class MetricSetTest {

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
            set.add(names[metric], ts, value, (int) (ts / 60_000) % 60);
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
        set.add("t", 1, -0.0);
        MetricStats.Accumulator expected = new MetricStats.Accumulator();
        expected.add(1, -0.0);
        assertEquals(Double.doubleToRawLongBits(expected.sum()), Double.doubleToRawLongBits(set.stats(0).sum()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(set.stats(0).min()));
    }

    @Test
    void minuteMasksCollectTheMinutesOfEachMetric() {
        MetricSet set = new MetricSet();
        set.add("t", 1, 1.0, 3);
        set.add("t", 2, 1.0, 59);
        set.add("h", 3, 1.0, 0);
        assertEquals((1L << 3) | (1L << 59), set.minuteMask(set.indexOf("t")));
        assertEquals(1L, set.minuteMask(set.indexOf("h")));
    }
}
