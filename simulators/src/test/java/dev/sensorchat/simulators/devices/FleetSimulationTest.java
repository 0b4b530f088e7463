package dev.sensorchat.simulators.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetSimulationTest {

    static final long START = Instant.parse("2026-11-16T00:00:00Z").toEpochMilli(); // a Monday

    static List<SimEvent> run(int devices, long seed, long durationMs, long intervalMs, Scenario scenario) {
        Fleet fleet = new Fleet(devices, Fleet.parseMix("thermostat=1,air-quality=1,machine=1"), Map.of(), Map.of(), List.of(),
                intervalMs, 0.1);
        FleetSimulation simulation = new FleetSimulation(fleet.profiles(seed), seed, START, START + durationMs, Long.MAX_VALUE,
                scenario, false);
        List<SimEvent> events = new ArrayList<>();
        for (SimEvent event; (event = simulation.next()) != null; ) {
            events.add(event);
        }
        return events;
    }

    static List<String> lines(List<SimEvent> events) {
        return events.stream().map(SimEvent::line).toList();
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnotherOne() {
        Scenario everything = new Scenario(0.05, List.of(Fault.parse("thermostat-1 overheats at +5m for 10m")), 0.05, 0.05, 0.05, 0.05);
        List<String> first = lines(run(30, 7, 3_600_000, 10_000, everything));
        List<String> again = lines(run(30, 7, 3_600_000, 10_000, everything));
        List<String> other = lines(run(30, 8, 3_600_000, 10_000, everything));
        assertEquals(first, again);
        assertNotEquals(first, other);
        assertTrue(first.size() > 30 * 300, "about 360 readings per device in an hour, got " + first.size());
    }

    @Test
    void everyValueStaysWithinItsKindsPhysicalBoundsForAWeekEvenWithAnomaliesAndOverheating() {
        Scenario harsh = new Scenario(0.2, List.of(Fault.parse("thermostat-1 overheats at +0s"), Fault.parse("machine-1 overheats at +0s")),
                0, 0, 0, 0);
        List<SimEvent> events = run(30, 3, 7 * 86_400_000L, 60_000, harsh);
        Map<String, DeviceKind.Metric> bounds = new HashMap<>();
        for (DeviceKind kind : DeviceKind.values()) {
            kind.metrics().forEach(metric -> bounds.put(kind.defaultPrefix() + "/" + metric.name(), metric));
        }
        for (SimEvent event : events) {
            String prefix = event.deviceId().substring(0, event.deviceId().indexOf('-'));
            for (int i = 0; i < event.metrics().length; i++) {
                DeviceKind.Metric metric = bounds.get(prefix + "/" + event.metrics()[i]);
                double value = event.values()[i];
                assertTrue(Double.isFinite(value) && value >= metric.min() && value <= metric.max(),
                        event.line() + " leaves [" + metric.min() + ", " + metric.max() + "]");
            }
        }
    }

    @Test
    void devicesOfOneKindDifferAndFollowTheirPatterns() {
        List<SimEvent> events = run(30, 11, 7 * 86_400_000L, 300_000, Scenario.none());
        Map<String, DoubleSummaryStatistics> temperatureByThermostat = new HashMap<>();
        DoubleSummaryStatistics co2WorkHours = new DoubleSummaryStatistics();
        DoubleSummaryStatistics co2Night = new DoubleSummaryStatistics();
        DoubleSummaryStatistics vibration = new DoubleSummaryStatistics();
        int idle = 0;
        for (SimEvent event : events) {
            int hour = (int) ((event.ts() % 86_400_000L) / 3_600_000L);
            boolean weekday = (event.ts() - START) / 86_400_000L < 5;
            if (event.deviceId().startsWith("thermostat-")) {
                temperatureByThermostat.computeIfAbsent(event.deviceId(), d -> new DoubleSummaryStatistics()).accept(event.values()[0]);
            } else if (event.deviceId().startsWith("air-") && weekday) {
                (hour >= 10 && hour <= 16 && hour != 12 ? co2WorkHours : hour < 5 ? co2Night : new DoubleSummaryStatistics())
                        .accept(event.values()[0]);
            } else if (event.deviceId().startsWith("machine-")) {
                vibration.accept(event.values()[0]);
                idle += event.values()[0] < 0.5 ? 1 : 0;
            }
        }
        Set<Long> meansRounded = new HashSet<>();
        temperatureByThermostat.values().forEach(stats -> meansRounded.add(Math.round(stats.getAverage() * 1000)));
        assertEquals(temperatureByThermostat.size(), meansRounded.size(), "every thermostat has its own baseline");
        temperatureByThermostat.values().forEach(stats -> assertTrue(stats.getMax() - stats.getMin() > 1.5, "a daily cycle"));
        assertTrue(co2WorkHours.getAverage() > co2Night.getAverage() + 200,
                "occupied offices have more CO2: " + co2WorkHours.getAverage() + " vs " + co2Night.getAverage());
        assertTrue(idle > vibration.getCount() / 10 && idle < vibration.getCount() * 9 / 10, "machines run duty cycles");
    }

    @Test
    void devicesReportAtTheirIntervalWithJitterAndIncreasingSequenceNumbers() {
        List<SimEvent> events = run(5, 2, 3_600_000, 10_000, Scenario.none());
        Map<String, List<SimEvent>> byDevice = new HashMap<>();
        events.forEach(event -> byDevice.computeIfAbsent(event.deviceId(), d -> new ArrayList<>()).add(event));
        assertEquals(5, byDevice.size());
        Set<Long> gaps = new HashSet<>();
        byDevice.values().forEach(list -> {
            for (int i = 1; i < list.size(); i++) {
                long gap = list.get(i).ts() - list.get(i - 1).ts();
                assertTrue(gap >= 9_000 && gap <= 11_000, "gap " + gap);
                assertEquals(list.get(i - 1).seq() + 1, list.get(i).seq());
                gaps.add(gap);
            }
        });
        assertTrue(gaps.size() > 50, "intervals vary");
    }
}
