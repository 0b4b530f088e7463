package dev.sensorchat.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private Json() {
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
