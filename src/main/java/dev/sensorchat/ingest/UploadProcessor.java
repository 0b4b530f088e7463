package dev.sensorchat.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.common.Json;
import dev.sensorchat.telemetry.AppliedPositions;
import dev.sensorchat.telemetry.BatchAggregator;
import dev.sensorchat.telemetry.CsvReadings;
import dev.sensorchat.telemetry.PositionedEvent;
import dev.sensorchat.telemetry.RejectReason;
import dev.sensorchat.telemetry.Rejection;
import dev.sensorchat.telemetry.TelemetryParser;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Batch files that devices or gateways uploaded after buffering offline: NDJSON (one event per
 * line) or CSV ({@code deviceId,ts,<metric>...}), optionally gzipped. The file is streamed, in
 * chunks of {@value #CHUNK_EVENTS} events, through the same validation, aggregation and rules as
 * Event Hubs batches; memory stays flat whatever the file size. A receipt next to the file
 * ({@code <name>.receipt.json}) records the counts and every rejected line with its reason.
 *
 * <p>Exactly once: positions are line numbers and the source is the blob name, so a retried run,
 * or the same file uploaded again, skips every line already applied; a second trigger for an ETag
 * that already has a receipt does nothing at all.
 */
public final class UploadProcessor {

    public static final String RECEIPT_SUFFIX = ".receipt.json";
    static final int CHUNK_EVENTS = 10_000;

    /** The uploaded blob: its name, its version (ETag) and when that version was written. */
    public record Upload(String name, String etag, Instant lastModified) {
    }

    /** What happened to an upload. */
    public record Outcome(String receiptName, boolean alreadyProcessed, long lines, long accepted, long rejected,
                          String error) {
    }

    /** One rejected line of the receipt. */
    public record RejectedLine(long line, String reason, String field, String detail) {
    }

    private final TelemetryParser parser;
    private final UploadWriter writer;
    private final BlobStore deadLetters;
    private final Clock clock;

    /**
     * @param parser      judges timestamps with the upload's lateness (how old buffered readings may be)
     * @param deadLetters where uploads that cannot be processed at all are recorded
     */
    public UploadProcessor(TelemetryParser parser, UploadWriter writer, BlobStore deadLetters, Clock clock) {
        this.parser = parser;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /**
     * Records an upload whose name breaks the naming rules, so no receipt can be written next to it:
     * {@code uploads/<sha-256 of container/name>.json} in the dead-letter container, written once.
     */
    public String rejectName(String container, String blobName, String problem) {
        String letterName = "uploads/" + sha256(container + "/" + blobName) + ".json";
        Map<String, String> letter = new LinkedHashMap<>();
        letter.put("reason", "invalid_blob_name");
        letter.put("detail", problem);
        letter.put("container", container);
        letter.put("blob", blobName);
        try {
            deadLetters.putIfAbsent(letterName, Json.MAPPER.writeValueAsBytes(letter), "application/json", Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return letterName;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isReceipt(String blobName) {
        return blobName.endsWith(RECEIPT_SUFFIX);
    }

    public Outcome process(Upload upload, InputStream content, BlobStore container) {
        String receiptName = upload.name() + RECEIPT_SUFFIX;
        Optional<JsonNode> previous = container.get(receiptName).map(UploadProcessor::readJson);
        if (previous.isPresent() && upload.etag().equals(previous.get().path("etag").asText())) {
            JsonNode receipt = previous.get();
            return new Outcome(receiptName, true, receipt.path("lines").asLong(), receipt.path("accepted").asLong(),
                    receipt.path("rejected").asLong(), receipt.path("error").asText(null));
        }
        Path rejections = null;
        try {
            rejections = Files.createTempFile("sensorchat-rejections", ".ndjson");
            try (InputStream raw = new BufferedInputStream(content, 64 * 1024);
                 BufferedWriter rejected = Files.newBufferedWriter(rejections, StandardCharsets.UTF_8)) {
                Run run = new Run(upload, rejected);
                InputStream decompressed = null;
                try {
                    decompressed = isGzip(raw) ? new GZIPInputStream(raw, 64 * 1024) : raw;
                } catch (java.util.zip.ZipException | java.io.EOFException broken) {
                    run.error = "the gzip header is cut short or corrupt (" + broken.getMessage() + ")";
                }
                if (decompressed != null) {
                    run.readAll(new Utf8LineReader(decompressed, parser.limits().maxEventBytes()));
                }
                rejected.flush();
                writeReceipt(container, receiptName, upload, run, rejections);
                return new Outcome(receiptName, false, run.lines, run.accepted, run.rejected, run.error);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read upload " + upload.name(), e);
        } finally {
            if (rejections != null) {
                try {
                    Files.deleteIfExists(rejections);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** State of one pass over a file. */
    private final class Run {
        final Upload upload;
        final BufferedWriter rejectedLog;
        final String source;
        final UploadWriter.Run writes;
        final List<PositionedEvent> chunk = new ArrayList<>(CHUNK_EVENTS);
        String format;
        CsvReadings csv;
        long headerLine;
        String error;
        long lines;
        long accepted;
        long rejected;
        long readings;

        Run(Upload upload, BufferedWriter rejectedLog) {
            this.upload = upload;
            this.rejectedLog = rejectedLog;
            this.source = AppliedPositions.uploadSource(upload.name());
            this.writes = writer.start(source);
        }

        void readAll(Utf8LineReader reader) throws IOException {
            long referenceTime = upload.lastModified().toEpochMilli();
            for (Utf8LineReader.Line line; (line = nextOrEnd(reader)) != null; ) {
                lines = line.number();
                if (line.problem() != null) {
                    reject(line.number(), line.problem() == Utf8LineReader.Problem.TOO_LONG
                            ? new Rejection(RejectReason.TOO_LARGE, null, "line is longer than " + parser.limits().maxEventBytes() + " bytes")
                            : new Rejection(RejectReason.INVALID_UTF8, null, "line is not valid UTF-8"));
                    continue;
                }
                String text = line.text();
                if (text.isBlank()) {
                    continue;
                }
                if (format == null && !chooseFormat(text)) {
                    return; // unusable CSV header: the whole file is rejected
                }
                if (csv != null && line.number() == headerLine) {
                    continue;
                }
                TelemetryParser.Result result = csv == null
                        ? parser.parse(text, referenceTime)
                        : csvResult(text, referenceTime);
                if (result instanceof TelemetryParser.Accepted ok) {
                    chunk.add(new PositionedEvent(line.number(), ok.event()));
                    accepted++;
                    readings += ok.event().readings().size();
                    if (chunk.size() == CHUNK_EVENTS) {
                        flush();
                    }
                } else {
                    reject(line.number(), ((TelemetryParser.Rejected) result).rejection());
                }
            }
            flush();
        }

        /**
         * The next line, or null at the end, also where a compressed file is cut short or corrupt:
         * retrying cannot make the file whole, so what was read is kept and the receipt says where
         * the file broke, instead of failing every retry of the trigger.
         */
        private Utf8LineReader.Line nextOrEnd(Utf8LineReader reader) throws IOException {
            try {
                return reader.next();
            } catch (java.util.zip.ZipException | java.io.EOFException broken) {
                error = "the gzip data is cut short or corrupt after line " + lines + " (" + broken.getMessage() + ")";
                return null;
            }
        }

        /** NDJSON when the first line is a JSON object; otherwise that line is a CSV header. */
        private boolean chooseFormat(String firstLine) throws IOException {
            String name = upload.name().toLowerCase(Locale.ROOT).replaceFirst("\\.gz$", "");
            boolean json = name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")
                    || (!name.endsWith(".csv") && firstLine.stripLeading().startsWith("{"));
            if (json) {
                format = "ndjson";
                return true;
            }
            format = "csv";
            headerLine = lines;
            try {
                csv = CsvReadings.fromHeader(firstLine, parser.limits());
                return true;
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
                return false;
            }
        }

        private TelemetryParser.Result csvResult(String text, long referenceTime) {
            TelemetryParser.Result result = csv.parse(text);
            return result instanceof TelemetryParser.Accepted ok ? parser.checkTimesOf(ok.event(), referenceTime) : result;
        }

        private void reject(long lineNumber, Rejection rejection) throws IOException {
            rejected++;
            rejectedLog.write(Json.MAPPER.writeValueAsString(new RejectedLine(lineNumber, rejection.reason().code(),
                    rejection.field(), rejection.detail())));
            rejectedLog.write('\n');
        }

        private void flush() {
            if (!chunk.isEmpty()) {
                writes.write(BatchAggregator.group(chunk));
                chunk.clear();
            }
        }
    }

    private void writeReceipt(BlobStore container, String receiptName, Upload upload, Run run, Path rejections) throws IOException {
        try (OutputStream out = container.openForWrite(receiptName, "application/json");
             JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out);
             BufferedReader rejected = Files.newBufferedReader(rejections, StandardCharsets.UTF_8)) {
            json.writeStartObject();
            json.writeStringField("blob", upload.name());
            json.writeStringField("etag", upload.etag());
            json.writeStringField("format", run.format == null ? "empty" : run.format);
            json.writeNumberField("lines", run.lines);
            json.writeNumberField("accepted", run.accepted);
            json.writeNumberField("rejected", run.rejected);
            json.writeNumberField("readings", run.readings);
            if (run.error != null) {
                json.writeStringField("error", run.error);
            }
            json.writeStringField("processedAt", Json.format(clock.instant()));
            json.writeArrayFieldStart("rejections");
            for (String line; (line = rejected.readLine()) != null; ) {
                json.writeRawValue(line);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode(); // unreadable receipt: process the upload again
        }
    }
}
