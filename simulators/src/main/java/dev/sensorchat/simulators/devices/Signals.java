package dev.sensorchat.simulators.devices;

import java.util.SplittableRandom;

/**
 * The physics of each kind: smooth patterns over the day plus noise, never uniform noise alone.
 * Thermostats follow a daily temperature cycle with humidity moving the other way and a slow
 * drift; air quality follows office occupancy (weekday hours, a lunch dip); machines run duty
 * cycles, heat up while running, cool down when idle, and vibrate with occasional bursts.
 */
final class Signals {

    private static final double DAY_MS = 86_400_000d;
    private static final double HOUR_MS = 3_600_000d;
    private static final double AMBIENT = 22;

    private Signals() {
    }

    /** Fills {@code values} for the device's metrics at {@code ts}; {@code state} carries what persists between readings. */
    static void sample(DeviceProfile p, DeviceState state, long ts, long startMs, double[] values) {
        SplittableRandom random = state.random;
        double hourOfDay = (ts % (long) DAY_MS) / HOUR_MS;
        double daysRun = (ts - startMs) / DAY_MS;
        switch (p.kind()) {
            case THERMOSTAT -> {
                double cycle = Math.cos(2 * Math.PI * (hourOfDay - p.phaseHours()) / 24);
                values[0] = p.base() + p.amplitude() * cycle + p.driftPerDay() * daysRun + gaussian(random) * p.noise();
                values[1] = p.secondBase() - p.secondAmplitude() * cycle + gaussian(random) * p.secondNoise();
            }
            case AIR_QUALITY -> {
                double occupancy = occupancy(ts, hourOfDay);
                values[0] = p.base() + occupancy * p.amplitude() + gaussian(random) * p.noise();
                values[1] = p.secondBase() + occupancy * p.secondAmplitude() + Math.abs(gaussian(random)) * p.secondNoise();
            }
            case MACHINE -> {
                boolean running = (ts + p.index() * 7_919L) % p.dutyPeriodMs() < p.dutyOn() * p.dutyPeriodMs();
                double target = running ? p.secondBase() : AMBIENT;
                long elapsed = state.lastTs == 0 ? p.intervalMs() : Math.max(1, ts - state.lastTs);
                double approach = 1 - Math.exp(-elapsed / (15 * 60_000d)); // heats and cools over ~15 minutes
                state.temperature = state.lastTs == 0 ? target : state.temperature + (target - state.temperature) * approach;
                if (running && state.burstLeft == 0 && random.nextDouble() < 0.01) {
                    state.burstLeft = 3 + random.nextInt(8);
                }
                double burst = 0;
                if (state.burstLeft > 0) {
                    state.burstLeft--;
                    burst = p.amplitude() * (0.5 + random.nextDouble());
                }
                values[0] = running ? p.base() + burst + p.driftPerDay() * daysRun * p.base() + Math.abs(gaussian(random)) * p.noise()
                        : 0.2 + Math.abs(gaussian(random)) * 0.05;
                values[1] = state.temperature + gaussian(random) * p.secondNoise();
            }
            default -> throw new IllegalStateException();
        }
        state.lastTs = ts;
        var metrics = p.kind().metrics();
        for (int i = 0; i < values.length; i++) {
            values[i] = metrics.get(i).clamp(values[i]);
        }
    }

    /** 0..1: office hours on weekdays, with a lunch dip; a little on weekends. */
    private static double occupancy(long ts, double hourOfDay) {
        long day = Math.floorDiv(ts, (long) DAY_MS);
        boolean weekend = Math.floorMod(day + 3, 7) >= 5; // 1970-01-01 was a Thursday
        double shape = hourOfDay < 7 || hourOfDay > 19 ? 0 : Math.pow(Math.sin(Math.PI * (hourOfDay - 7) / 12), 2);
        double lunch = Math.exp(-Math.pow((hourOfDay - 12.5) / 0.6, 2)) * 0.4;
        return Math.max(0, shape - lunch) * (weekend ? 0.15 : 1);
    }

    private static double gaussian(SplittableRandom random) {
        return random.nextGaussian();
    }
}
