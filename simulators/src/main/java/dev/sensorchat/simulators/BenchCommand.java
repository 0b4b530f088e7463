package dev.sensorchat.simulators;

import dev.sensorchat.simulators.devices.Fleet;
import dev.sensorchat.simulators.devices.FleetSimulation;
import dev.sensorchat.simulators.devices.Scenario;
import dev.sensorchat.simulators.sinks.FileSink;
import dev.sensorchat.simulators.sinks.Outcomes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: how fast events are generated and serialised to the file target, per CPU core, and
 * how much heap a 100,000-device fleet needs. Run it with {@code -Xmx512m}, so the heap figure is
 * proven, not estimated.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load generation benchmark: events/s per core, and the heap of a 100,000-device fleet.",
                "Targets: >= 200,000 events/s per core generated and serialised to the file target; <= 512 MB of heap.",
                "Run it with java -Xmx512m, so the whole run is proven to fit."},
        footer = {"", "Exit codes: 0 both targets met; 1 a target missed."})
public final class BenchCommand implements Callable<Integer> {

    static final double EVENTS_PER_CORE_TARGET = 200_000;
    static final long HEAP_TARGET_BYTES = 512L * 1024 * 1024;

    @Option(names = "--events", defaultValue = "5000000", description = "Events in the measured run (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--devices", defaultValue = "10000", description = "Devices in the measured run (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--fleet-devices", defaultValue = "100000", description = "Devices in the heap check (default: ${DEFAULT-VALUE}).")
    int fleetDevices;

    @Option(names = "--file", description = "Where the events go (default: a temporary file, deleted afterwards).")
    Path file;

    @Override
    public Integer call() throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "sensorchat-simulators bench: JDK %s, %d cores, max heap %d MB, %s%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, os.getName());

        Path target = file != null ? file : Files.createTempFile("sensorchat-bench", ".ndjson");
        try {
            run(devices, Math.min(events / 5, 1_000_000), target); // warm-up: let the JIT compile the hot path
            long cpuBefore = os.getProcessCpuTime();
            Runner.Summary summary = run(devices, events, target);
            double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            double perCore = summary.sent() / cpuSeconds;
            System.out.printf(Locale.ROOT, "file target: %,d events from %,d devices, %,d bytes, in %.2f s (%.2f CPU s)%n",
                    summary.sent(), devices, Files.size(target), summary.seconds(), cpuSeconds);
            System.out.printf(Locale.ROOT, "  %,.0f events/s per core   (target >= %,.0f)  %s%n", perCore, EVENTS_PER_CORE_TARGET,
                    perCore >= EVENTS_PER_CORE_TARGET ? "met" : "MISSED");
            System.out.printf(Locale.ROOT, "  %,.0f events/s wall clock%n", summary.eventsPerSecond());

            long heap = fleetHeap(fleetDevices, target);
            System.out.printf(Locale.ROOT, "fleet of %,d devices: %,d MB of heap in use after GC, with every device live (target <= %d MB)  %s%n",
                    fleetDevices, heap >> 20, HEAP_TARGET_BYTES >> 20, heap <= HEAP_TARGET_BYTES ? "met" : "MISSED");
            if (Runtime.getRuntime().maxMemory() > HEAP_TARGET_BYTES * 11 / 10) {
                System.out.println("  (run with java -Xmx512m to prove the whole run fits in 512 MB)");
            }
            return perCore >= EVENTS_PER_CORE_TARGET && heap <= HEAP_TARGET_BYTES ? 0 : 1;
        } finally {
            if (file == null) {
                Files.deleteIfExists(target);
            }
        }
    }

    private static Fleet fleet(int count) {
        return new Fleet(count, Fleet.parseMix("thermostat=50,air-quality=30,machine=20"), Map.of(), Map.of(), List.of("plant-1", "plant-2"),
                10_000, 0.1);
    }

    private static FleetSimulation simulation(int count, long maxEvents) {
        long start = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
        return new FleetSimulation(fleet(count).profiles(42), 42, start, Long.MAX_VALUE, maxEvents, Scenario.none(), false);
    }

    private static Runner.Summary run(int count, long maxEvents, Path target) throws Exception {
        Outcomes outcomes = new Outcomes();
        Runner runner = new Runner(simulation(count, maxEvents), FileSink.toFile(target, outcomes), outcomes,
                new Runner.Settings(0, 2_000, 200, 16));
        return runner.run();
    }

    /** Heap in use after a full GC while a large fleet's simulation (every device's profile and state) is live. */
    private static long fleetHeap(int count, Path target) throws Exception {
        FleetSimulation simulation = simulation(count, Long.MAX_VALUE);
        for (int i = 0; i < count * 2; i++) { // every device reports, so every device's state is in use
            simulation.next();
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        if (simulation.next() == null) { // keeps the simulation reachable until measured
            throw new IllegalStateException("the fleet stopped early");
        }
        return used;
    }
}
