package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.telemetry.WindowDocument;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 200 MB upload (gzipped CSV) goes through the blob-triggered function in a JVM limited to a
 * 64 MB heap: the file is streamed, never held whole.
 */
@ExtendWith(LocalAzureExtension.class)
class LargeUploadIT {

    private static final long UNCOMPRESSED_BYTES = 200L * 1024 * 1024;
    private static final String HEAP = "-Xmx64m";

    @Test
    void twoHundredMegabytesStreamThroughASixtyFourMegabyteHeap(LocalAzure azure) throws Exception {
        String container = "large-" + UUID.randomUUID().toString().substring(0, 8);
        String device = "big-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> settings = azure.appSettings();
        settings.put(BlobContainerNames.UPLOADS_CONTAINER, container);
        Path file = Files.createTempFile("large-upload", ".csv.gz");
        long lines;
        try {
            lines = writeCsv(file, device);
            try (AppContext app = new AppContext(new AppSettings(settings))) {
                BlobStore uploads = app.blobStore(container);
                uploads.client("gateway/big.csv.gz").uploadFromFile(file.toString(), true);

                Process child = startChild(container, "gateway/big.csv.gz", settings);
                String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the upload finished");
                assertEquals(0, child.exitValue(), "the child JVM ran out of memory or failed:\n" + output);
                long maxHeapMb = Long.parseLong(output.replaceAll("(?s).*max heap MB=(\\d+).*", "$1"));
                assertTrue(maxHeapMb <= 64, "ran with a heap of " + maxHeapMb + " MB");

                JsonNode receipt = Json.MAPPER.readTree(uploads.get("gateway/big.csv.gz.receipt.json").orElseThrow());
                assertEquals(lines, receipt.get("accepted").asLong());
                assertEquals(0, receipt.get("rejected").asLong());
                long counted = 0;
                for (WindowDocument hour : app.windows().query(SqlQuery.of("SELECT * FROM c WHERE c.resolution = @r")
                        .with("@r", "hour").inPartition(device))) {
                    counted += hour.metrics().get("temperature").count();
                }
                assertEquals(lines, counted, "every line counted exactly once");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Dense readings of one device over the last 100 minutes, until the text reaches 200 MB. */
    private static long writeCsv(Path file, String device) throws IOException {
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(100, ChronoUnit.MINUTES).toEpochMilli();
        long written = 0;
        long lines = 0;
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
             BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            String header = "deviceId,ts,temperature,humidity\n";
            writer.write(header);
            written += header.length();
            while (written < UNCOMPRESSED_BYTES) {
                String line = device + "," + (start + lines % 6_000_000) + "," + (20 + lines % 100 / 10.0) + "," + (40 + lines % 7) + "\n";
                writer.write(line);
                written += line.length();
                lines++;
            }
        }
        return lines;
    }

    private static Process startChild(String container, String blob, Map<String, String> settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-DCOSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true",
                "-cp", System.getProperty("java.class.path"), LargeUploadRun.class.getName(), container, blob));
        settings.forEach((key, value) -> command.add(key + "=" + value));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
