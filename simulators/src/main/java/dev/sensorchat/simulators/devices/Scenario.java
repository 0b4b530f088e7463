package dev.sensorchat.simulators.devices;

import java.util.List;

/**
 * What goes wrong on purpose, each switched on by itself.
 *
 * @param anomalyRate    chance that a reading carries a spike (a value far off its pattern, still physical)
 * @param faults         scripted faults (overheating, silence)
 * @param duplicateRate  chance that an event is sent twice
 * @param outOfOrderRate chance that an event is held back and sent after the device's next one
 * @param lateRate       chance that an event's timestamp lags its sending by 2 to 8 minutes (within the backend's lateness)
 * @param malformedRate  chance that an event is replaced by a malformed one (bad JSON, NaN, bad id or no timestamp)
 */
public record Scenario(double anomalyRate, List<Fault> faults, double duplicateRate, double outOfOrderRate, double lateRate,
                       double malformedRate) {

    public static Scenario none() {
        return new Scenario(0, List.of(), 0, 0, 0, 0);
    }
}
