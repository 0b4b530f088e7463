package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.AppContext;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.testing.ReadModel;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Offline batch uploads through the blob-triggered function, against Azurite and the Cosmos DB server. */
@ExtendWith(LocalAzureExtension.class)
class UploadFunctionIT {

    private static final String UPLOADS = "uploads-" + UUID.randomUUID().toString().substring(0, 8);
    /** Readings start 50 minutes before the upload: within the 1-hour maximum age set below. */
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(50, ChronoUnit.MINUTES);

    private static final String DEAD_LETTERS = "deadletters-" + UUID.randomUUID().toString().substring(0, 8);

    private static AppContext app;
    private static BlobStore uploads;
    private static UploadFunction function;
    private static LocalAzure servers;

    @BeforeAll
    static void open(LocalAzure azure) {
        servers = azure;
        app = azure.newAppContext(Map.of(BlobContainerNames.UPLOADS_CONTAINER, UPLOADS, AppContext.UPLOAD_MAX_AGE_HOURS, "1",
                BlobContainerNames.DEADLETTER_CONTAINER, DEAD_LETTERS));
        uploads = app.blobStore(UPLOADS);
        function = new UploadFunction(app::uploads, app::blobStore);
    }

    @AfterAll
    static void close() {
        app.close();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    private static TestExecutionContext trigger(String name) {
        TestExecutionContext context = new TestExecutionContext("uploads");
        function.run(uploads.client(name), context);
        return context;
    }

    private static JsonNode receipt(String name) throws IOException {
        return Json.MAPPER.readTree(uploads.get(name + ".receipt.json").orElseThrow());
    }

    private static long writes() {
        return app.storeMeter().of(Containers.TELEMETRY.name()).writes() + app.storeMeter().of(Containers.DEVICES.name()).writes();
    }

    @Test
    void gzippedCsvWithBadLinesIsAggregatedOnceAndReceipted() throws IOException {
        String deviceA = "gw-a-" + UUID.randomUUID().toString().substring(0, 6);
        String deviceB = "gw-b-" + UUID.randomUUID().toString().substring(0, 6);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        List<double[]> good = new ArrayList<>(); // {ts, temperature, device (0 = A, 1 = B)}
        csv.write("deviceId,ts,temperature,humidity\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 40; i++) {
            long ts = START.plusSeconds(i * 45L).toEpochMilli();
            double temperature = 20 + i * 0.25;
            String device = i % 2 == 0 ? deviceA : deviceB;
            csv.write((device + "," + Instant.ofEpochMilli(ts) + "," + temperature + "," + (40 + i) + "\n").getBytes(StandardCharsets.UTF_8));
            good.add(new double[] {ts, temperature, i % 2});
        }
        // Lines 42-47 are bad, one of each kind.
        csv.write((deviceA + "," + START + ",NaN,40\n").getBytes(StandardCharsets.UTF_8));
        csv.write(("bad device," + START + ",21,40\n").getBytes(StandardCharsets.UTF_8));
        csv.write((deviceA + "," + START + ",21\n").getBytes(StandardCharsets.UTF_8));
        csv.write(new byte[] {'g', 'w', ',', (byte) 0xC3, '(', '\n'});
        csv.write((deviceA + "," + START.minus(2, ChronoUnit.HOURS) + ",21,40\n").getBytes(StandardCharsets.UTF_8));
        csv.write((deviceA + "," + Instant.now().plus(1, ChronoUnit.HOURS) + ",21,40\n").getBytes(StandardCharsets.UTF_8));
        String name = "gateways/" + deviceA + "/buffer.csv.gz";
        uploads.put(name, gzip(csv.toByteArray()), "application/gzip", Map.of());

        TestExecutionContext first = trigger(name);

        JsonNode receipt = receipt(name);
        assertEquals("csv", receipt.get("format").asText());
        assertEquals(47, receipt.get("lines").asLong());
        assertEquals(40, receipt.get("accepted").asLong());
        assertEquals(6, receipt.get("rejected").asLong());
        List<String> rejections = new ArrayList<>();
        receipt.get("rejections").forEach(r -> rejections.add(r.get("line").asLong() + ":" + r.get("reason").asText()));
        assertEquals(List.of("42:non_finite_value", "43:invalid_device_id", "44:invalid_field", "45:invalid_utf8",
                "46:too_late", "47:future_timestamp"), rejections);
        assertTrue(first.loggedMessages().get(0).contains("accepted=40 rejected=6"), first.loggedMessages().toString());

        assertAggregates(deviceA, good, 0);
        assertAggregates(deviceB, good, 1);

        // The same blob and ETag again: no document written, the receipt untouched.
        byte[] receiptBefore = uploads.get(name + ".receipt.json").orElseThrow();
        long writesBefore = writes();
        TestExecutionContext second = trigger(name);
        assertEquals(writesBefore, writes());
        assertArrayEquals(receiptBefore, uploads.get(name + ".receipt.json").orElseThrow());
        assertTrue(second.loggedMessages().get(0).contains("already processed"));

        // The same file uploaded again (a new ETag): a new receipt, but no reading counted twice.
        uploads.put(name, gzip(csv.toByteArray()), "application/gzip", Map.of());
        trigger(name);
        assertAggregates(deviceA, good, 0);
        assertTrue(!receipt(name).get("etag").asText().equals(Json.MAPPER.readTree(receiptBefore).get("etag").asText()));
    }

    @Test
    void ndjsonUploadsUseTheSameContract() throws IOException {
        String device = "nd-" + UUID.randomUUID().toString().substring(0, 6);
        String lines = "{\"deviceId\":\"" + device + "\",\"ts\":\"" + START + "\",\"metrics\":{\"co2\":410}}\n"
                + "\n"
                + "{\"deviceId\":\"" + device + "\",\"readings\":[{\"ts\":\"" + START.plusSeconds(10) + "\",\"metrics\":{\"co2\":420}},"
                + "{\"ts\":\"" + START.plusSeconds(20) + "\",\"metrics\":{\"co2\":430}}]}\n"
                + "not json\n";
        String name = "gateways/" + device + ".ndjson";
        uploads.put(name, lines.getBytes(StandardCharsets.UTF_8), "application/x-ndjson", Map.of());

        trigger(name);

        JsonNode receipt = receipt(name);
        assertEquals("ndjson", receipt.get("format").asText());
        assertEquals(2, receipt.get("accepted").asLong());
        assertEquals(3, receipt.get("readings").asLong());
        assertEquals("invalid_json", receipt.at("/rejections/0/reason").asText());
        assertEquals(4, receipt.at("/rejections/0/line").asLong());
        AggregateReader.Window co2 = ReadModel.windows(app, device, "co2", Resolution.MINUTE, START, START.plusSeconds(60))
                .get(START.toEpochMilli());
        assertEquals(3, co2.count());
        assertEquals(1260, co2.sum());
        assertEquals(430, co2.last());
    }

    @Test
    void aFileWithAnUnusableHeaderIsRejectedWhole() throws IOException {
        String name = "bad-header-" + UUID.randomUUID().toString().substring(0, 6) + ".csv";
        uploads.put(name, "ts,deviceId,temperature\n1,a,2\n".getBytes(StandardCharsets.UTF_8), "text/csv", Map.of());

        trigger(name);

        JsonNode receipt = receipt(name);
        assertEquals(0, receipt.get("accepted").asLong());
        assertTrue(receipt.get("error").asText().contains("deviceId,ts"));
    }

    @Test
    void receiptsDoNotTriggerProcessing() {
        String name = "x-" + UUID.randomUUID().toString().substring(0, 6) + ".csv.receipt.json";
        uploads.put(name, "{}".getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        trigger(name);
        assertEquals(List.of(name), uploads.list(name));
    }

    @Test
    void anUploadWithAnUnacceptableNameIsDeadLettered() throws IOException {
        // Storage accepts names our rules refuse; write one with the plain SDK, as a device could.
        BlobContainerClient raw = new BlobServiceClientBuilder().connectionString(servers.storageConnectionString()).buildClient()
                .getBlobContainerClient(UPLOADS);
        String name = "my buffer (1).csv";
        raw.getBlobClient(name).upload(BinaryData.fromString("deviceId,ts,t\n"), true);

        TestExecutionContext context = new TestExecutionContext("uploads");
        function.run(raw.getBlobClient(name), context);

        List<String> letters = app.blobStore(DEAD_LETTERS).list("uploads/");
        assertEquals(1, letters.size());
        JsonNode letter = Json.MAPPER.readTree(app.blobStore(DEAD_LETTERS).get(letters.get(0)).orElseThrow());
        assertEquals("invalid_blob_name", letter.get("reason").asText());
        assertEquals(name, letter.get("blob").asText());
        assertTrue(context.loggedMessages().get(0).contains("rename it"));
    }

    private static void assertAggregates(String device, List<double[]> good, int which) {
        Map<Long, MetricStats> expected = new TreeMap<>();
        for (double[] reading : good) {
            if ((int) reading[2] != which) {
                continue;
            }
            long ts = (long) reading[0];
            long start = Resolution.MINUTE.windowStart(ts);
            MetricStats current = expected.get(start);
            expected.put(start, current == null
                    ? new MetricStats(1, reading[1], reading[1], reading[1], Instant.ofEpochMilli(ts), Instant.ofEpochMilli(ts), reading[1])
                    : new MetricStats(current.count() + 1, current.sum() + reading[1], Math.min(current.min(), reading[1]),
                            Math.max(current.max(), reading[1]), current.firstTs(), Instant.ofEpochMilli(ts), reading[1]));
        }
        Map<Long, MetricStats> actual = new TreeMap<>();
        ReadModel.windows(app, device, "temperature", Resolution.MINUTE, START.minus(1, ChronoUnit.HOURS), START.plus(2, ChronoUnit.HOURS))
                .forEach((start, w) -> actual.put(start, new MetricStats(w.count(), w.sum(), w.min(), w.max(), w.firstTs(), w.lastTs(), w.last())));
        assertEquals(expected, actual, device);
    }
}
