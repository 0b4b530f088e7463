package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the device simulators' jar as a separate process, as a user would: device software shares
 * no code with the backend. {@code mvn verify} builds the jar before the integration tests.
 */
public final class Simulators {

    private Simulators() {
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("sensorchat.simulators.jar", "simulators/target/sensorchat-simulators.jar"));
        assertTrue(Files.isRegularFile(jar), "the simulators are built first (mvn verify builds them): " + jar);
        return jar;
    }

    /** Runs {@code devices ...}, expects exit code 0, and returns its summary (--summary-json). */
    public static JsonNode run(Path workDir, List<String> args) throws IOException, InterruptedException {
        return run(workDir, args, Duration.ofMinutes(3));
    }

    /** As {@link #run(Path, List)}, for runs in real time that take longer. */
    public static JsonNode run(Path workDir, List<String> args, Duration timeout) throws IOException, InterruptedException {
        return run(workDir, args, timeout, Map.of());
    }

    /** As {@link #run(Path, List, Duration)}, with these environment variables added (JAVA_TOOL_OPTIONS, say). */
    public static JsonNode run(Path workDir, List<String> args, Duration timeout, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path summary = workDir.resolve("summary-" + UUID.randomUUID() + ".json");
        Path log = workDir.resolve("simulator-" + UUID.randomUUID() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(args);
        command.addAll(List.of("--progress", "never", "--summary-json", summary.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS), "the simulator finished");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), Files.readString(log));
        return Json.MAPPER.readTree(summary.toFile());
    }
}
