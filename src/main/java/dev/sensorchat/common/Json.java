package dev.sensorchat.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one JSON mapper of the app: ISO-8601 times, no nulls written, unknown fields ignored. */
public final class Json {

    /**
     * UTC with exactly three fraction digits, e.g. {@code 2026-11-22T10:05:00.000Z}: unlike
     * {@link Instant#toString()}, these strings sort in time order, which Cosmos DB range queries
     * and ORDER BY on stored times rely on.
     */
    public static final DateTimeFormatter SORTABLE_INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Thread-safe once configured; share it rather than building mappers per call. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("sortable-instants").addSerializer(Instant.class, new SortableInstantSerializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /**
     * For bodies people send to the API: a key given twice is an error, not "the last one wins"
     * ({@code "threshold": 80, "threshold": 1} would otherwise quietly set 1).
     */
    public static final ObjectReader STRICT_READER = MAPPER.readerFor(JsonNode.class).with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private Json() {
    }

    /**
     * What is wrong with unreadable JSON, in the sender's terms: Jackson's messages name its own
     * settings ({@code StreamReadConstraints.getMaxNestingDepth()},
     * {@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}), which mean nothing to a caller.
     */
    public static String problemOf(JsonProcessingException error) {
        String message = error.getOriginalMessage() == null ? "" : error.getOriginalMessage();
        String problem;
        if (message.contains("nesting depth")) {
            problem = "it is nested too deeply (at most " + StreamReadConstraints.DEFAULT_MAX_DEPTH + " levels)";
        } else if (message.contains("Number value length") || message.contains("Number length")) {
            problem = "a number has too many digits (at most " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + ")";
        } else if (message.contains("String value length") || message.contains("String length")) {
            problem = "a string is too long";
        } else if (message.contains("Non-standard token") || message.contains("NaN") || message.contains("Infinity")) {
            problem = "NaN and Infinity are not JSON numbers";
        } else if (message.startsWith("Duplicate field")) {
            problem = "the key \"" + message.substring("Duplicate field ".length()).strip().replaceAll("^'|'$", "") + "\" appears twice";
        } else if (message.contains("end-of-input")) {
            problem = "it ends before it is complete";
        } else {
            // Jackson's own advice is in parentheses or after ": enable"/"; "; the first clause says what is wrong.
            problem = message.lines().findFirst().orElse("").replaceAll("\\s*\\(.*`.*\\).*$", "")
                    .replaceAll(":\\s*(enable|expected a valid value).*$", "").replaceAll("`[^`]*`", "").strip();
            if (problem.isEmpty()) {
                problem = "it is not well-formed";
            }
        }
        return error.getLocation() == null ? problem
                : problem + " (line " + error.getLocation().getLineNr() + ", column " + error.getLocation().getColumnNr() + ")";
    }

    public static String format(Instant instant) {
        return SORTABLE_INSTANT.format(instant);
    }

    private static final class SortableInstantSerializer extends StdSerializer<Instant> {
        SortableInstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(SORTABLE_INSTANT.format(value));
        }
    }
}
