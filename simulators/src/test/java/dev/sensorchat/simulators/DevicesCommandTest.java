package dev.sensorchat.simulators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

class DevicesCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String[] args(Path file, String... more) {
        List<String> all = new ArrayList<>(List.of("devices", "--devices", "25", "--duration", "30m", "--speed", "0",
                "--start", "2026-11-22T08:00:00Z", "--seed", "9", "--target", "file", "--file", file.toString(),
                "--duplicate-rate", "0.02", "--out-of-order-rate", "0.02", "--late-rate", "0.02", "--malformed-rate", "0.02",
                "--anomaly-rate", "0.01", "--fault", "thermostat-2 overheats at +5m for 3m"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void theSameSeedWritesByteIdenticalFiles() throws IOException {
        Path first = dir.resolve("a.ndjson");
        Path second = dir.resolve("b.ndjson");
        assertEquals(0, Cli.run(args(first)).exitCode());
        assertEquals(0, Cli.run(args(second, "--batch-size", "7")).exitCode()); // batching does not change the stream
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        Path gz = dir.resolve("c.ndjson.gz");
        assertEquals(0, Cli.run(args(gz)).exitCode());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertArrayEquals(Files.readAllBytes(first), in.readAllBytes());
        }
    }

    @Test
    void theGroundTruthEqualsARecomputationFromTheEmittedFile() throws IOException {
        Path file = dir.resolve("events.ndjson");
        Path truth = dir.resolve("truth.json");
        Cli.Result result = Cli.run(args(file, "--ground-truth", truth.toString()));
        assertEquals(0, result.exitCode(), result.err());

        // Independently: apply the telemetry contract to every line, and aggregate what passes.
        List<String> lines = Files.readAllLines(file);
        Map<String, double[]> expected = RecomputedTruth.windows(lines);
        long valid = RecomputedTruth.validEvents(lines);
        JsonNode groundTruth = JSON.readTree(truth.toFile());
        assertEquals(valid, groundTruth.get("validEvents").asLong());
        assertTrue(result.err().contains("malformed on purpose"));
        Map<String, double[]> actual = RecomputedTruth.of(groundTruth);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((key, stats) -> assertArrayEquals(stats, actual.get(key), 1e-6, key));
    }

    @Test
    void theSummaryCountsEveryEventAndTheJsonSummaryAgrees() throws IOException {
        Path file = dir.resolve("e.ndjson");
        Path summary = dir.resolve("summary.json");
        Cli.Result result = Cli.run(args(file, "--summary-json", summary.toString(), "--events", "1000"));
        assertEquals(0, result.exitCode(), result.err());
        JsonNode json = JSON.readTree(summary.toFile());
        assertEquals(1000, json.get("sent").asLong());
        assertEquals(1000, json.get("acknowledged").asLong());
        assertEquals(0, json.get("failed").asLong());
        assertEquals(1000, Files.readAllLines(file).size());
        assertTrue(result.err().contains("acknowledged  1,000"), result.err());
        assertTrue(result.err().matches("(?s).*p50 [0-9.]+ ms, p99 [0-9.]+ ms.*"), result.err());
        // The load's own cost, for a target on the same machine (in-process here: the test JVM's CPU so far).
        assertTrue(json.get("cpuSeconds").asDouble() > 0, json.toString());
        assertTrue(result.err().matches("(?s).*CPU +[0-9.]+ s \\([0-9.]+ ms an event sent\\).*"), result.err());
    }

    @Test
    void backfillRunsAWeekOfSimulatedTimeAtFullSpeed() throws IOException {
        Path file = dir.resolve("week.ndjson");
        Cli.Result result = Cli.run("devices", "--devices", "3", "--interval", "5m", "--start", "now-7d", "--duration", "7d",
                "--speed", "0", "--target", "file", "--file", file.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.size() > 3 * 7 * 288 * 0.95, lines.size() + " events");
        Instant first = Instant.parse(JSON.readTree(lines.get(0)).get("ts").asText());
        assertTrue(first.isBefore(Instant.now().minusSeconds(6 * 86_400)));
    }

    @Test
    void tagsLocationsPrefixesAndFaultFilesApply() throws IOException {
        Path faults = Files.writeString(dir.resolve("faults.txt"), "# scripted\nboiler-1 goes silent at +0s\n\n");
        Path file = dir.resolve("meta.ndjson");
        Cli.Result result = Cli.run("devices", "--devices", "4", "--mix", "thermostat=1", "--prefix", "thermostat=boiler",
                "--tag", "thermostat=greenhouse", "--tag", "all=site-a", "--locations", "plant-1,plant-2", "--with-meta",
                "--faults-file", faults.toString(), "--duration", "5m", "--speed", "0", "--target", "file", "--file", file.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            events.add(JSON.readTree(line));
        }
        assertFalse(events.stream().anyMatch(e -> e.get("deviceId").asText().equals("boiler-1")));
        JsonNode boiler2 = events.stream().filter(e -> e.get("deviceId").asText().equals("boiler-2")).findFirst().orElseThrow();
        assertEquals("[\"thermostat\",\"greenhouse\",\"site-a\"]", boiler2.get("meta").get("tags").toString());
        assertEquals("plant-2", boiler2.get("meta").get("location").asText());
    }

    @Test
    void helpDocumentsEveryOptionAndBadOptionsExitWithTwo() {
        Cli.Result help = Cli.run("devices", "--help");
        assertEquals(0, help.exitCode());
        for (OptionSpec option : SimulatorsCli.commandLine().getSubcommands().get("devices").getCommandSpec().options()) {
            assertTrue(option.description().length > 0 && !option.description()[0].isBlank(), option.longestName());
            assertTrue(help.out().contains(option.longestName()), option.longestName());
        }
        assertEquals(2, Cli.run("devices", "--devices", "0").exitCode());
        assertEquals(2, Cli.run("devices", "--target", "carrier-pigeon").exitCode());
        assertEquals(2, Cli.run("devices", "--target", "file").exitCode());
        assertEquals(2, Cli.run("devices", "--fault", "boiler-1 melts").exitCode());
        assertEquals(2, Cli.run("devices", "--malformed-rate", "1.5").exitCode());
        Cli.Result badTarget = Cli.run("devices", "--target", "eventhubs");
        assertEquals(2, badTarget.exitCode());
        assertTrue(badTarget.err().contains("--namespace"), badTarget.err());
    }
}
