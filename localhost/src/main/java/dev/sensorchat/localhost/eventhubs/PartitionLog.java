package dev.sensorchat.localhost.eventhubs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The durable log of one partition of a {@link LocalEventHub}: what the hub acknowledged outlives the
 * process, with its sequence numbers, offsets and enqueued times.
 *
 * <p>A folder of append-only segment files, each named by the sequence number of its first event
 * ({@code 00000000000000000042.events}). A segment's first line is a header
 * ({@code {"partition":"0","firstSequenceNumber":42,"firstOffset":8190}}), then one line per event:
 * {@code {"seq":42,"offset":8190,"time":"...Z","key":"dev-1","more":1,"body":"..."}}, where {@code more}
 * counts the events of the same publish call still to come, so a call is whole or absent after a
 * crash. Lines are ASCII: everything else in a body is escaped, so a line never holds a raw newline.
 *
 * <p>Each publish is one write, forced to the disk when {@link EventLogOptions#fsync()} says so, before
 * the hub stores it in memory and acknowledges it. A write that fails is cut off again, so the file
 * never keeps half a call. On open, a segment's tail that is not a whole call (a write a crash cut
 * short, never acknowledged) is cut off and noted; damage anywhere else is an error that names the
 * file, never a silent loss. Segments are created through a temporary file and an atomic rename.
 *
 * <p>Not thread-safe: the partition's lock guards it.
 */
final class PartitionLog implements Closeable {

    /** What {@link #open} replays, in order. */
    interface Replay {
        /** A segment begins: its first event has this sequence number and offset (a jump when beyond the last). */
        void segment(long firstSequenceNumber, long firstOffset);

        void event(EventRecord event);
    }

    static final String EXTENSION = ".events";
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.events");
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final ObjectMapper READER = new ObjectMapper();

    private final Path directory;
    private final String partitionId;
    private final EventLogOptions options;
    private final Consumer<String> notes;
    /** First sequence number → segment file, oldest first; the last is the one written. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileOutputStream active;
    private long activeBytes;
    /** Set when a failed write could not be cut off again: nothing more may be appended. */
    private IOException broken;

    private PartitionLog(Path directory, String partitionId, EventLogOptions options, Consumer<String> notes) {
        this.directory = directory;
        this.partitionId = partitionId;
        this.options = options;
        this.notes = notes;
    }

    /**
     * Opens (or creates) the log in {@code directory} and replays it. When it ends before
     * {@code minimumNextSequence} (a consumer checkpointed beyond it), numbering jumps there.
     *
     * @throws IllegalStateException naming the file, when a segment is damaged other than at its tail
     */
    static PartitionLog open(Path directory, String partitionId, EventLogOptions options, long minimumNextSequence,
                             Replay replay, Consumer<String> notes) throws IOException {
        PartitionLog log = new PartitionLog(directory, partitionId, options, notes);
        try {
            log.replay(minimumNextSequence, replay);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    private void replay(long minimumNextSequence, Replay replay) throws IOException {
        Files.createDirectories(directory);
        List<Long> firsts = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                Matcher matcher = SEGMENT_NAME.matcher(name);
                if (matcher.matches()) {
                    firsts.add(Long.parseLong(matcher.group(1)));
                } else if (name.endsWith(EXTENSION + ".tmp")) {
                    Files.deleteIfExists(file); // a segment whose creation a crash interrupted: it held no event yet
                }
            }
        }
        firsts.sort(null);
        long next = 0;
        long nextOffset = 0;
        for (int i = 0; i < firsts.size(); i++) {
            Path file = directory.resolve(name(firsts.get(i)));
            long[] end = replaySegment(file, firsts.get(i), i == 0 ? -1 : next, i == firsts.size() - 1, replay);
            segments.put(firsts.get(i), file);
            next = end[0];
            nextOffset = end[1];
        }
        if (segments.isEmpty()) {
            next = Math.max(0, minimumNextSequence);
            createSegment(next, 0);
            replay.segment(next, 0);
        } else {
            Path last = segments.lastEntry().getValue();
            active = new FileOutputStream(last.toFile(), true);
            activeBytes = Files.size(last);
            if (minimumNextSequence > next) {
                notes.accept("partition " + partitionId + ": its log ends before sequence number " + next
                        + ", but a consumer checkpointed up to " + (minimumNextSequence - 1) + " (the end of the log was lost, as a machine"
                        + " crash without fsync can lose it): numbering continues at " + minimumNextSequence);
                roll(minimumNextSequence, nextOffset);
                replay.segment(minimumNextSequence, nextOffset);
            }
        }
    }

    /** Replays one segment; returns its end: {next sequence number, next offset}. */
    private long[] replaySegment(Path file, long first, long previousEnd, boolean last, Replay replay) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Lines lines = new Lines(in);
            byte[] line = lines.next();
            JsonNode header = line == null || !lines.terminated ? null : parse(line);
            if (header == null || !header.path("firstSequenceNumber").isIntegralNumber() || !header.path("firstOffset").isIntegralNumber()
                    || !partitionId.equals(header.path("partition").asText(null))) {
                throw damaged(file, 0, "no valid header line");
            }
            if (header.get("firstSequenceNumber").asLong() != first) {
                throw damaged(file, 0, "the header says it starts at " + header.get("firstSequenceNumber").asLong() + ", its name at " + first);
            }
            if (previousEnd > first) {
                throw damaged(file, 0, "it starts at " + first + ", inside the previous segment, which ends before " + previousEnd);
            }
            long next = first;
            long nextOffset = header.get("firstOffset").asLong();
            replay.segment(first, nextOffset);
            long goodEnd = lines.position;
            List<EventRecord> call = new ArrayList<>();
            long callOffset = nextOffset;
            int expectedMore = -1;
            String tornReason = null;
            long tornAt = -1;
            while ((line = lines.next()) != null) {
                if (!lines.terminated) {
                    tornReason = tornReason == null ? "a line without its end" : tornReason;
                    tornAt = tornAt < 0 ? goodEnd : tornAt;
                    break;
                }
                JsonNode event = parse(line);
                boolean wellFormed = event != null && wellFormed(event);
                if (tornReason != null) {
                    if (wellFormed) {
                        throw damaged(file, tornAt, tornReason + ", followed by more events (not a write cut short at the end)");
                    }
                    continue; // still in the damaged tail
                }
                String problem = !wellFormed ? "a line that is not an event" : problem(event, next + call.size(), callOffset, expectedMore);
                if (problem != null) {
                    tornReason = problem;
                    tornAt = goodEnd;
                    if (wellFormed) {
                        throw damaged(file, tornAt, problem);
                    }
                    continue;
                }
                EventRecord record = new EventRecord(partitionId, event.get("seq").asLong(), event.get("offset").asLong(),
                        Instant.parse(event.get("time").asText()), event.get("key").isNull() ? null : event.get("key").asText(),
                        event.get("body").asText());
                call.add(record);
                callOffset += record.body().getBytes(StandardCharsets.UTF_8).length;
                expectedMore = event.get("more").asInt() - 1;
                if (expectedMore < 0) {
                    call.forEach(replay::event);
                    next += call.size();
                    nextOffset = callOffset;
                    call.clear();
                    goodEnd = lines.position;
                }
            }
            if (tornReason == null && !call.isEmpty()) {
                tornReason = "a publish of " + (call.size() + expectedMore + 1) + " events with only " + call.size() + " written";
                tornAt = goodEnd;
            }
            if (tornReason != null) {
                if (!last) {
                    throw damaged(file, tornAt, tornReason + " in a segment that is not the last");
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    long size = channel.size();
                    channel.truncate(goodEnd);
                    notes.accept("partition " + partitionId + ": ignored the last " + (size - goodEnd) + " bytes of " + file.getFileName()
                            + " (" + tornReason + "): a write a crash cut short, never acknowledged");
                }
            }
            return new long[] {next, nextOffset};
        }
    }

    private static boolean wellFormed(JsonNode event) {
        if (!event.path("seq").isIntegralNumber() || !event.path("offset").isIntegralNumber() || !event.path("more").isIntegralNumber()
                || !event.path("time").isTextual() || !event.path("body").isTextual() || !(event.path("key").isTextual() || event.path("key").isNull())) {
            return false;
        }
        try {
            Instant.parse(event.get("time").asText());
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Why a well-formed event line is not the one expected next, or null when it is. */
    private static String problem(JsonNode event, long sequence, long offset, int expectedMore) {
        if (event.get("seq").asLong() != sequence || event.get("offset").asLong() != offset) {
            return "sequence number " + event.get("seq").asLong() + " at offset " + event.get("offset").asLong() + " where " + sequence
                    + " at " + offset + " was next";
        }
        if (event.get("more").asInt() < 0 || (expectedMore >= 0 && event.get("more").asInt() != expectedMore)) {
            return "a publish call's events out of step";
        }
        return null;
    }

    private static JsonNode parse(byte[] line) {
        try {
            JsonNode node = READER.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private IllegalStateException damaged(Path file, long at, String reason) {
        return new IllegalStateException("the event log " + file + " is damaged at byte " + at + " (" + reason + "); move the partition's folder "
                + directory + " away to start it over (its events are then gone)");
    }

    /**
     * Appends one publish call's events, as one write, forced to the disk if the options say so. On
     * failure nothing of the call stays in the file (or, if cutting it off fails too, the log refuses
     * every later append).
     *
     * @throws UncheckedIOException when the events were not written
     */
    void append(List<EventRecord> events) {
        if (broken != null) {
            throw new UncheckedIOException("the event log of partition " + partitionId + " in " + directory
                    + " cannot be written: an earlier write failed and could not be undone", broken);
        }
        byte[] bytes = encode(events);
        long before = activeBytes;
        try {
            active.write(bytes);
            if (options.fsync()) {
                active.getFD().sync();
            }
            activeBytes += bytes.length;
        } catch (IOException e) {
            try {
                active.getChannel().truncate(before);
            } catch (IOException undo) {
                broken = undo;
            }
            throw new UncheckedIOException("cannot write the event log of partition " + partitionId + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Whether the segment being written has reached its size: time to {@link #roll}. */
    boolean full() {
        return activeBytes >= options.segmentBytes();
    }

    /** Starts a new segment whose first event will have this sequence number and offset; a failure is noted, and writing goes on. */
    void roll(long nextSequence, long nextOffset) {
        try {
            createSegment(nextSequence, nextOffset);
        } catch (IOException e) {
            notes.accept("partition " + partitionId + ": cannot start a new log segment in " + directory + " (" + e.getMessage()
                    + "); the current one grows on");
        }
    }

    private void createSegment(long first, long firstOffset) throws IOException {
        Path file = directory.resolve(name(first));
        Path temporary = directory.resolve(name(first) + ".tmp");
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(header)) {
            json.writeStartObject();
            json.writeStringField("partition", partitionId);
            json.writeNumberField("firstSequenceNumber", first);
            json.writeNumberField("firstOffset", firstOffset);
            json.writeEndObject();
        }
        header.write('\n');
        try (FileOutputStream out = new FileOutputStream(temporary.toFile())) {
            out.write(header.toByteArray());
            if (options.fsync()) {
                out.getFD().sync();
            }
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        if (options.fsync()) {
            syncDirectory();
        }
        FileOutputStream opened = new FileOutputStream(file.toFile(), true);
        if (active != null) {
            try {
                active.close();
            } catch (IOException ignored) {
                // everything in it was written (and forced) by append
            }
        }
        active = opened;
        activeBytes = header.size();
        segments.put(first, file);
    }

    /** Makes a created or deleted file's name durable, where the platform allows it (not on Windows). */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException unsupported) {
            // best effort
        }
    }

    /** Deletes the segments whose events all lie below {@code floor}; never the one being written. */
    void trimBelow(long floor) {
        while (segments.size() > 1) {
            Map.Entry<Long, Path> oldest = segments.firstEntry();
            long nextFirst = segments.higherKey(oldest.getKey());
            if (nextFirst > floor) {
                return;
            }
            try {
                Files.deleteIfExists(oldest.getValue());
            } catch (IOException e) {
                notes.accept("partition " + partitionId + ": cannot delete the consumed log segment " + oldest.getValue() + ": " + e.getMessage());
                return;
            }
            segments.remove(oldest.getKey());
        }
    }

    /** The segment files, oldest first. */
    List<Path> segmentFiles() {
        return List.copyOf(segments.values());
    }

    /**
     * The call's lines, written as bytes by one generator (escaping non-ASCII makes its UTF-8 plain
     * ASCII); a call's events share an enqueued time, formatted once. This runs on the intake's
     * thread for every event, where a generator and a char encoder an event were a tenth of it.
     */
    private byte[] encode(List<EventRecord> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(events.size() * 256);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.setRootValueSeparator(null); // lines end with '\n', written below, and nothing else between them
            int more = events.size();
            Instant formatted = null;
            String time = null;
            for (EventRecord event : events) {
                if (!event.enqueuedTime().equals(formatted)) {
                    formatted = event.enqueuedTime();
                    time = formatted.toString();
                }
                json.writeStartObject();
                json.writeNumberField("seq", event.sequenceNumber());
                json.writeNumberField("offset", event.offset());
                json.writeStringField("time", time);
                json.writeStringField("key", event.partitionKey());
                json.writeNumberField("more", --more);
                json.writeStringField("body", event.body());
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    static String name(long firstSequenceNumber) {
        return String.format("%020d", firstSequenceNumber) + EXTENSION;
    }

    @Override
    public void close() {
        if (active != null) {
            try {
                active.close();
            } catch (IOException ignored) {
                // appends were written (and forced) when they returned
            }
            active = null;
        }
        if (broken == null) {
            broken = new IOException("the log is closed");
        }
    }

    /** Reads lines split on '\n', tracking the bytes consumed. */
    private static final class Lines {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int start;
        private int end;
        /** Bytes consumed, up to and including the last line's '\n'. */
        long position;
        /** Whether the line {@link #next} returned ended with '\n' (false: the end of the file cut it). */
        boolean terminated;

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next line without its '\n', or null at the end. */
        byte[] next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (start == end) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        terminated = false;
                        if (line == null || line.size() == 0) {
                            return null;
                        }
                        position += line.size();
                        return line.toByteArray();
                    }
                    start = 0;
                    end = read;
                }
                int newline = -1;
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                if (newline >= 0) {
                    byte[] result;
                    if (line == null) {
                        result = java.util.Arrays.copyOfRange(buffer, start, newline);
                    } else {
                        line.write(buffer, start, newline - start);
                        result = line.toByteArray();
                    }
                    position += result.length + 1;
                    start = newline + 1;
                    terminated = true;
                    return result;
                }
                if (line == null) {
                    line = new ByteArrayOutputStream();
                }
                line.write(buffer, start, end - start);
                start = end;
            }
        }
    }
}
