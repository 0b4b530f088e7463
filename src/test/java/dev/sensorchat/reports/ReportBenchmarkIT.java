package dev.sensorchat.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sensorchat.AppContext;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.telemetry.SourcedReading;
import dev.sensorchat.telemetry.WindowDocument;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not a test: builds the daily report of 1,000 devices × 3 metrics × 24 hours from the
 * local Cosmos DB server, and prints how long it takes, next to the same report built from the same
 * documents already in memory (what the report costs without the database). Runs only with
 * {@code -Dsensorchat.benchmarks=true}; see the README's Benchmarks section.
 */
@ExtendWith(LocalAzureExtension.class)
class ReportBenchmarkIT {

    private static final int DEVICES = 1_000;
    private static final String[] METRICS = {"temperature", "humidity", "co2"};
    private static final LocalDate DAY = LocalDate.parse("2026-11-22");

    @Test
    void dailyReportOfAThousandDevices(LocalAzure azure) throws Exception {
        assumeTrue(Boolean.getBoolean("sensorchat.benchmarks"), "benchmark: run with -Dsensorchat.benchmarks=true");
        try (AppContext app = azure.newAppContext()) {
            ReportPeriod day = ReportPeriod.day(DAY);
            List<DeviceDocument> devices = new ArrayList<>();
            List<WindowDocument> hours = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(1);
            for (int d = 0; d < DEVICES; d++) {
                String id = String.format(Locale.ROOT, "bench-%04d", d);
                devices.add(DeviceDocument.register(id));
                for (int h = 0; h < 24; h++) {
                    long start = day.from().toEpochMilli() + h * 3_600_000L;
                    List<SourcedReading> readings = new ArrayList<>();
                    for (int minute = 0; minute < 60; minute++) { // one reading a minute, three metrics
                        readings.add(new SourcedReading(minute + 1, new Reading(start + minute * 60_000L, METRICS,
                                new double[] {20 + random.nextGaussian(), 50 + random.nextGaussian() * 5, 600 + random.nextGaussian() * 50})));
                    }
                    hours.add(WindowDocument.emptyHour(id, start, "eh:0", 400 * 86_400).apply("eh:0", readings));
                }
            }
            long seeding = System.nanoTime();
            CosmosStore<DeviceDocument> deviceStore = app.store(Containers.DEVICES, DeviceDocument.class);
            ExecutorService writers = Executors.newFixedThreadPool(16);
            List<Future<?>> writes = new ArrayList<>();
            devices.forEach(device -> writes.add(writers.submit(() -> deviceStore.upsert(device))));
            hours.forEach(window -> writes.add(writers.submit(() -> app.windows().upsert(window))));
            for (Future<?> write : writes) {
                write.get();
            }
            writers.shutdown();
            System.out.printf(Locale.ROOT, "seeded %,d devices and %,d hourly rollups in %.1f s%n", devices.size(), hours.size(),
                    (System.nanoTime() - seeding) / 1e9);

            double[] fromCosmos = new double[3];
            FleetReport report = null;
            for (int run = 0; run < fromCosmos.length; run++) {
                long started = System.nanoTime();
                report = app.reports().build(day, RuleScope.all());
                fromCosmos[run] = (System.nanoTime() - started) / 1e9;
            }
            assertEquals(DEVICES, report.fleet().reporting());
            assertEquals(DEVICES * 24L * 60, report.fleet().readings() / METRICS.length);

            double[] inMemory = new double[5];
            for (int run = 0; run < inMemory.length; run++) {
                long started = System.nanoTime();
                ReportBuilder builder = new ReportBuilder(day, "all", day.to());
                devices.forEach(builder::device);
                hours.forEach(builder::hour);
                builder.build();
                inMemory[run] = (System.nanoTime() - started) / 1e9;
            }
            long renderStarted = System.nanoTime();
            int json = ReportService.render(report, ReportService.Format.JSON).length;
            int csv = ReportService.render(report, ReportService.Format.CSV).length;
            int html = ReportService.render(report, ReportService.Format.HTML).length;
            double rendering = (System.nanoTime() - renderStarted) / 1e9;
            System.out.printf(Locale.ROOT, "report of %,d devices x %d metrics x 24 h from the local Cosmos DB server: %.2f s (runs: %.2f, %.2f, %.2f)%n",
                    DEVICES, METRICS.length, median(fromCosmos), fromCosmos[0], fromCosmos[1], fromCosmos[2]);
            System.out.printf(Locale.ROOT, "the same report from the same documents in memory: %.3f s (the rest is reading %,d documents)%n",
                    median(inMemory), hours.size() + devices.size());
            System.out.printf(Locale.ROOT, "rendering JSON %,d B, CSV %,d B, HTML %,d B: %.2f s%n", json, csv, html, rendering);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
