package dev.sensorchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark's own check, on a small workload, in the build: the app's pipeline (its real
 * storage code on memory) and Esper compute the same minute windows and open the same alerts, and
 * the cost table runs. Throughput is not asserted here: figures come from the benchmark run.
 */
class BenchCrossCheckTest {

    @Test
    void theAppAndEsperAgreeOnASmallFleet() {
        int exit = new CommandLine(new Bench()).execute("--devices", "200", "--seconds", "130", "--runs", "1",
                "--live-devices", "50", "--live-seconds", "600");
        assertEquals(0, exit, "the cross-check passed");
    }
}
