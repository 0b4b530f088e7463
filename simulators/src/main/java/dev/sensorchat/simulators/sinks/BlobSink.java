package dev.sensorchat.simulators.sinks;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.sensorchat.simulators.devices.SimEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Device-side buffering, as an offline gateway does it: devices are spread over gateways, each
 * gateway buffers its devices' events and uploads them as a gzipped NDJSON or CSV file once it holds
 * {@code eventsPerFile}, named {@code gateway-<n>/<first timestamp>-<file number>.<ndjson|csv>.gz}.
 * Events count as acknowledged when their file is uploaded.
 */
public final class BlobSink implements Sink {

    public enum Format { NDJSON, CSV }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final BlobContainerClient container;
    private final Format format;
    private final int eventsPerFile;
    private final List<List<SimEvent>> buffers = new ArrayList<>();
    private final int[] fileNumbers;
    private final List<String> uploaded = new ArrayList<>();
    private final Outcomes outcomes;

    public BlobSink(BlobContainerClient container, Format format, int gateways, int eventsPerFile, Outcomes outcomes) {
        this.container = container;
        this.outcomes = outcomes;
        this.format = format;
        this.eventsPerFile = eventsPerFile;
        for (int g = 0; g < gateways; g++) {
            buffers.add(new ArrayList<>());
        }
        this.fileNumbers = new int[gateways];
        container.createIfNotExists();
    }

    /** Names of the files written so far. */
    public List<String> uploaded() {
        return List.copyOf(uploaded);
    }

    @Override
    public void send(List<SimEvent> batch) throws IOException {
        for (SimEvent event : batch) {
            int gateway = Math.floorMod(event.deviceId().hashCode(), buffers.size());
            List<SimEvent> buffer = buffers.get(gateway);
            buffer.add(event);
            if (buffer.size() >= eventsPerFile) {
                upload(gateway);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        IOException firstFailure = null;
        for (int g = 0; g < buffers.size(); g++) {
            try {
                upload(g);
            } catch (IOException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    /** Uploads a gateway's buffer; the SDK retries transient errors, and what still fails is reported. */
    private void upload(int gateway) throws IOException {
        List<SimEvent> events = buffers.get(gateway);
        if (events.isEmpty()) {
            return;
        }
        String extension = format == Format.CSV ? ".csv.gz" : ".ndjson.gz";
        String name = "gateway-" + gateway + "/" + STAMP.format(Instant.ofEpochMilli(events.get(0).ts())) + "-"
                + String.format("%05d", ++fileNumbers[gateway]) + extension;
        byte[] content = format == Format.CSV ? gzip(csv(events)) : gzip(ndjson(events));
        List<SimEvent> uploading = List.copyOf(events);
        int count = uploading.size();
        events.clear();
        long started = System.nanoTime();
        try {
            container.getBlobClient(name).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(content))
                    .setHeaders(new BlobHttpHeaders().setContentType("application/gzip")), null, null);
        } catch (RuntimeException e) {
            outcomes.failed(count, "upload of " + name + " failed: " + e.getMessage());
            throw new IOException("upload of " + name + " failed", e);
        }
        outcomes.acknowledged(uploading, System.nanoTime() - started);
        uploaded.add(name);
    }

    private static String ndjson(List<SimEvent> events) {
        StringBuilder text = new StringBuilder(events.size() * 160);
        events.forEach(event -> text.append(event.line()).append('\n'));
        return text.toString();
    }

    /** deviceId,ts,<every metric in the file>; malformed events become the equivalent bad CSV row. */
    private static String csv(List<SimEvent> events) {
        TreeSet<String> metrics = new TreeSet<>();
        events.forEach(event -> metrics.addAll(List.of(event.metrics())));
        List<String> columns = List.copyOf(metrics);
        StringBuilder text = new StringBuilder("deviceId,ts");
        columns.forEach(column -> text.append(',').append(column));
        text.append('\n');
        for (SimEvent event : events) {
            String reason = event.malformedReason();
            if ("invalid_json".equals(reason)) {
                text.append(event.deviceId()).append(",truncated\n"); // wrong number of columns
                continue;
            }
            text.append("invalid_device_id".equals(reason) ? event.deviceId() + " #bad" : event.deviceId()).append(',');
            if (!"missing_field".equals(reason)) {
                text.append(Instant.ofEpochMilli(event.ts()));
            }
            for (String column : columns) {
                text.append(',');
                for (int i = 0; i < event.metrics().length; i++) {
                    if (event.metrics()[i].equals(column)) {
                        text.append("non_finite_value".equals(reason) && i == 0 ? "NaN" : plain(event.values()[i]));
                    }
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer writer = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            writer.write(text);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
