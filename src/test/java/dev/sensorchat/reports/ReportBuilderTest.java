package dev.sensorchat.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.telemetry.SourcedReading;
import dev.sensorchat.telemetry.WindowDocument;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-22");
    private static final ReportPeriod PERIOD = ReportPeriod.day(DAY);
    private static final Instant T0 = PERIOD.from();

    /** An hourly rollup with a reading of {@code value} in each of the given minutes. */
    private static WindowDocument hour(String device, int hour, double value, int... minutes) {
        long start = T0.toEpochMilli() + hour * 3_600_000L;
        List<SourcedReading> readings = new ArrayList<>();
        for (int minute : minutes) {
            readings.add(new SourcedReading(readings.size() + 1,
                    new Reading(start + minute * 60_000L, new String[] {"t"}, new double[] {value + minute / 100.0})));
        }
        return WindowDocument.emptyHour(device, start, "eh:0", 1000).apply("eh:0", readings);
    }

    private static AlertDocument alert(String id, String device, Instant opened, Instant resolved) {
        return new AlertDocument(id, AlertDocument.TYPE, device, "r", "Too hot", "t", null, Severity.CRITICAL,
                resolved == null ? AlertState.OPEN : AlertState.RESOLVED, opened, null, resolved, List.of());
    }

    @Test
    void statisticsAvailabilityAndAlertsComeFromTheRollups() {
        ReportBuilder builder = new ReportBuilder(PERIOD, "all", T0)
                .device(DeviceDocument.register("a"))
                .device(DeviceDocument.register("quiet"))
                .hour(hour("a", 0, 10, 0, 1, 2))
                .hour(hour("a", 5, 20, 0, 0, 59))          // two readings in one minute count as one minute
                .hour(hour("a", 24, 99, 0))                 // next day: outside
                .hour(hour("stranger", 1, 5, 0))            // not in scope
                .alert(alert("al-1", "a", T0.minusSeconds(3600), T0.plusSeconds(600)))   // from before, resolved inside
                .alert(alert("al-2", "a", T0.plusSeconds(7200), null))                   // still open at the end
                .alert(alert("al-3", "a", T0.minusSeconds(7200), T0.minusSeconds(60)));  // over before: ignored
        FleetReport report = builder.build();

        FleetReport.Metric t = report.devices().get(0).metrics().get(0);
        assertEquals(6, t.count());
        assertEquals(10.0, t.min());
        assertEquals(20.59, t.max(), 1e-12);
        assertEquals((10 + 10.01 + 10.02 + 20 + 20 + 20.59) / 6, t.avg(), 1e-12);
        assertEquals(5.0 / 1440, t.availability(), 1e-15);
        assertEquals(2, t.hourly().size());
        assertEquals(0, report.devices().get(1).metrics().size());
        assertEquals(new FleetReport.Fleet(2, 1, 6, (5.0 / 1440) / 2, 1, 1, 1, 10 + 22 * 60), report.fleet());
        assertEquals(List.of("al-1", "al-2"), report.alerts().stream().map(FleetReport.Alert::id).toList());
        assertEquals(1, report.devices().get(0).alertsOpened());
    }

    @Test
    void anAnomalyIsAnHourFarFromTheUsualAndOnlyThat() {
        ReportBuilder builder = new ReportBuilder(PERIOD, "all", T0).device(DeviceDocument.register("a")).device(DeviceDocument.register("b"));
        for (int h = 0; h < 24; h++) {
            builder.hour(hour("a", h, h == 13 ? 60 : 20 + (h % 2), 0, 30));
            builder.hour(hour("b", h, 20 + (h % 3), 0, 30)); // a steady pattern: nothing stands out
        }
        List<FleetReport.Anomaly> anomalies = builder.build().topAnomalies();
        assertEquals(1, anomalies.size(), anomalies.toString());
        assertEquals("a", anomalies.get(0).deviceId());
        assertEquals(T0.plusSeconds(13 * 3600), anomalies.get(0).hour());
        assertTrue(anomalies.get(0).score() > 3);
    }

    @Test
    void periodsAreWholeHoursAndBounded() {
        assertThrows(IllegalArgumentException.class, () -> new ReportPeriod(T0, T0));
        assertThrows(IllegalArgumentException.class, () -> new ReportPeriod(T0.plusSeconds(60), T0.plusSeconds(3600)));
        assertThrows(IllegalArgumentException.class, () -> ReportPeriod.days(DAY, DAY.plusDays(100)));
        assertTrue(ReportPeriod.day(DAY).isOneDay());
        assertEquals(7 * 24, ReportPeriod.days(DAY, DAY.plusDays(6)).hours());
    }

    @Test
    void csvQuotesAndDefusesCellsAndGivesDevicesWithoutDataARow() {
        FleetReport report = new ReportBuilder(PERIOD, "all", T0)
                .device(DeviceDocument.register("a").withProfile("=HYPERLINK(\"x\")", null, null))
                .device(DeviceDocument.register("b"))
                .hour(hour("a", 0, 10, 0)).build();
        List<String> rows = ReportCsv.render(report).lines().toList();
        assertEquals(3, rows.size());
        assertEquals("2026-11-22T00:00:00Z,2026-11-23T00:00:00Z,a,\"'=HYPERLINK(\"\"x\"\")\",t,1,10,10,10,0.000694,0", rows.get(1));
        assertEquals("2026-11-22T00:00:00Z,2026-11-23T00:00:00Z,b,b,,0,,,,0,0", rows.get(2));
    }
}
