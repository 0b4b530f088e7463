package dev.sensorchat.simulators.devices;

import java.util.SplittableRandom;

/** What changes as a device runs: its random stream, its clock, its counter, and slow physical state. */
final class DeviceState {
    final SplittableRandom random;
    long nextAt;
    long seq;
    long lastTs;
    double temperature;
    int burstLeft;

    DeviceState(SplittableRandom random, long nextAt) {
        this.random = random;
        this.nextAt = nextAt;
    }
}
