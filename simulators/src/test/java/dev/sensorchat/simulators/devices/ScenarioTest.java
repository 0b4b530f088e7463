package dev.sensorchat.simulators.devices;

import static dev.sensorchat.simulators.devices.FleetSimulationTest.START;
import static dev.sensorchat.simulators.devices.FleetSimulationTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each scenario, switched on by itself, has exactly the effect it promises; switched off, none. */
class ScenarioTest {

    private static final long HOUR = 3_600_000;
    private final List<SimEvent> plain = run(20, 5, HOUR, 10_000, Scenario.none());

    private static Scenario only(String which, double rate) {
        return new Scenario(which.equals("anomaly") ? rate : 0, List.of(), which.equals("duplicate") ? rate : 0,
                which.equals("outOfOrder") ? rate : 0, which.equals("late") ? rate : 0, which.equals("malformed") ? rate : 0);
    }

    @Test
    void withoutScenariosEveryEventIsValidUniqueInOrderAndOnTime() {
        assertEquals(plain.size(), plain.stream().map(SimEvent::line).distinct().count());
        assertTrue(plain.stream().allMatch(SimEvent::valid));
        assertEquals(0, reorderedOrLate(plain, 0));
    }

    @Test
    void duplicatesRepeatAnEventRightAwayAndChangeNothingElse() {
        List<SimEvent> events = run(20, 5, HOUR, 10_000, only("duplicate", 0.1));
        List<String> distinct = events.stream().map(SimEvent::line).distinct().toList();
        int repeats = events.size() - distinct.size();
        assertTrue(repeats > plain.size() * 0.07 && repeats < plain.size() * 0.13, repeats + " duplicates of " + plain.size());
        assertEquals(plain.stream().map(SimEvent::line).toList(), distinct, "the same readings, in the same order");
    }

    @Test
    void outOfOrderEventsArriveAfterTheDevicesNextOne() {
        List<SimEvent> events = run(20, 5, HOUR, 10_000, only("outOfOrder", 0.1));
        assertEquals(plain.stream().map(SimEvent::line).sorted().toList(), events.stream().map(SimEvent::line).sorted().toList(),
                "the same events, reordered");
        int reordered = reorderedOrLate(events, 0);
        assertTrue(reordered > plain.size() * 0.05 && reordered < plain.size() * 0.15, reordered + " reordered");
    }

    @Test
    void lateEventsCarryTimestampsTwoToEightMinutesOld() {
        List<SimEvent> events = run(20, 5, HOUR, 10_000, only("late", 0.1));
        assertEquals(plain.size(), events.size());
        int late = 0;
        for (int i = 0; i < events.size(); i++) {
            long lag = plain.get(i).ts() - events.get(i).ts();
            if (lag != 0) {
                assertTrue(lag >= 120_000 && lag <= 480_000, "lag " + lag);
                late++;
            }
        }
        assertTrue(late > plain.size() * 0.07 && late < plain.size() * 0.13, late + " late");
    }

    @Test
    void malformedEventsBreakTheContractInEachWayAndNamesTheReason() throws Exception {
        List<SimEvent> events = run(20, 5, HOUR, 10_000, only("malformed", 0.1));
        List<SimEvent> malformed = events.stream().filter(event -> !event.valid()).toList();
        assertTrue(malformed.size() > plain.size() * 0.07 && malformed.size() < plain.size() * 0.13);
        assertEquals(Set.of("invalid_json", "non_finite_value", "invalid_device_id", "missing_field"),
                malformed.stream().map(SimEvent::malformedReason).collect(Collectors.toSet()));
        ObjectMapper json = new ObjectMapper();
        for (SimEvent event : malformed) {
            switch (event.malformedReason()) {
                case "invalid_json" -> assertFalse(parses(json, event.line()), event.line());
                case "non_finite_value" -> assertTrue(event.line().contains(":NaN"), event.line());
                case "invalid_device_id" -> assertFalse(json.readTree(event.line()).get("deviceId").asText().matches("[A-Za-z0-9._:-]{1,128}"));
                default -> assertFalse(json.readTree(event.line()).has("ts"), event.line());
            }
        }
        assertTrue(events.stream().filter(SimEvent::valid).allMatch(event -> parses(json, event.line())));
    }

    @Test
    void anomaliesAreSpikesFarOffThePattern() {
        List<SimEvent> events = run(20, 5, HOUR, 10_000, only("anomaly", 0.05));
        assertEquals(plain.size(), events.size());
        int spikes = 0;
        for (int i = 0; i < events.size(); i++) {
            for (int m = 0; m < events.get(i).values().length; m++) {
                if (Math.abs(events.get(i).values()[m] - plain.get(i).values()[m]) > 1e-9) {
                    spikes++;
                }
            }
        }
        assertTrue(spikes > plain.size() * 0.03 && spikes < plain.size() * 0.07, spikes + " spikes");
    }

    @Test
    void anOverheatRaisesTheTemperatureOnlyInItsWindowAndOnlyOnItsDevice() {
        Scenario overheat = new Scenario(0, List.of(Fault.parse("thermostat-2 overheats at +10m for 5m")), 0, 0, 0, 0);
        List<SimEvent> events = run(20, 5, HOUR, 10_000, overheat);
        assertEquals(plain.size(), events.size());
        for (int i = 0; i < events.size(); i++) {
            SimEvent event = events.get(i);
            double rise = event.values()[0] - plain.get(i).values()[0];
            boolean inWindow = event.ts() >= START + 600_000 && event.ts() < START + 900_000;
            if (event.deviceId().equals("thermostat-2") && inWindow) {
                assertTrue(rise > 15, event.line()); // +40 °C, capped by the sensor's range
            } else {
                assertEquals(0, rise, 1e-9, event.line());
            }
        }
    }

    @Test
    void aSilentDeviceSendsNothingFromItsSilenceOn() {
        Scenario silence = new Scenario(0, List.of(Fault.parse("machine-3 goes silent at +2m")), 0, 0, 0, 0);
        List<SimEvent> events = run(20, 5, HOUR, 10_000, silence);
        List<SimEvent> machine3 = events.stream().filter(event -> event.deviceId().equals("machine-3")).toList();
        assertFalse(machine3.isEmpty());
        assertTrue(machine3.stream().allMatch(event -> event.ts() < START + 120_000));
        assertEquals(plain.stream().filter(event -> !event.deviceId().equals("machine-3")).map(SimEvent::line).toList(),
                events.stream().filter(event -> !event.deviceId().equals("machine-3")).map(SimEvent::line).toList());
    }

    @Test
    void faultsReadAsWritten() {
        Fault overheat = Fault.parse("boiler-3 overheats at +60s for 3m");
        assertEquals(new Fault("boiler-3", Fault.Type.OVERHEAT, 60_000, 180_000), overheat);
        Fault silent = Fault.parse("sensor-7 goes silent at +2m");
        assertEquals("sensor-7", silent.deviceId());
        assertEquals(Fault.Type.SILENT, silent.type());
        assertEquals(120_000, silent.startOffsetMs());
        assertTrue(silent.activeAt(10 * 86_400_000L), "without 'for' it lasts to the end");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Fault.parse("boiler-3 explodes at +1m"));
    }

    /** Events whose timestamp is older than the same device's previous event by more than {@code slackMs}. */
    private static int reorderedOrLate(List<SimEvent> events, long slackMs) {
        Map<String, Long> last = new HashMap<>();
        Set<Integer> found = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            SimEvent event = events.get(i);
            Long previous = last.put(event.deviceId(), Math.max(event.ts(), last.getOrDefault(event.deviceId(), Long.MIN_VALUE)));
            if (previous != null && event.ts() < previous - slackMs) {
                found.add(i);
            }
        }
        return found.size();
    }

    private static boolean parses(ObjectMapper json, String line) {
        try {
            json.readTree(line);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
