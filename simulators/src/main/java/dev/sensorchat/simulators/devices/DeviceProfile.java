package dev.sensorchat.simulators.devices;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A device's stable character, drawn once from the seed: its own baseline, daily amplitude and
 * phase, drift, noise and rhythm. Two devices of a kind look alike but never identical; the same
 * seed always gives the same fleet.
 */
public record DeviceProfile(int index, String id, DeviceKind kind, List<String> tags, String location, long intervalMs,
                            double jitter, double base, double amplitude, double phaseHours, double driftPerDay,
                            double noise, double secondBase, double secondAmplitude, double secondNoise,
                            long dutyPeriodMs, double dutyOn) {

    static DeviceProfile draw(int index, String id, DeviceKind kind, List<String> tags, String location, long intervalMs,
                              double jitter, SplittableRandom random) {
        return switch (kind) {
            case THERMOSTAT -> new DeviceProfile(index, id, kind, tags, location, intervalMs, jitter,
                    between(random, 18, 24), between(random, 1, 4), between(random, 13, 17), between(random, -0.05, 0.05),
                    between(random, 0.05, 0.3), between(random, 35, 55), between(random, 3, 10), between(random, 0.2, 1),
                    0, 0);
            case AIR_QUALITY -> new DeviceProfile(index, id, kind, tags, location, intervalMs, jitter,
                    between(random, 400, 450), between(random, 300, 1200), between(random, 9, 11), 0,
                    between(random, 5, 25), between(random, 3, 12), between(random, 5, 25), between(random, 0.3, 1.5),
                    0, 0);
            case MACHINE -> new DeviceProfile(index, id, kind, tags, location, intervalMs, jitter,
                    between(random, 2, 6), between(random, 8, 20), 0, between(random, 0, 0.02),
                    between(random, 0.1, 0.6), between(random, 60, 85), 0, between(random, 0.2, 0.8),
                    (long) between(random, 10 * 60_000, 60 * 60_000), between(random, 0.3, 0.8));
        };
    }

    private static double between(SplittableRandom random, double low, double high) {
        return low + random.nextDouble() * (high - low);
    }
}
