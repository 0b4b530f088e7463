package dev.sensorchat.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.sensorchat.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses and validates one telemetry event against the contract (see the README), in one
 * streaming pass. Every problem becomes a {@link Rejection}; nothing here throws on bad input.
 *
 * <p>Timestamps are checked against a reference time that is the same on every delivery of the
 * event (its enqueued time, or an upload's creation time), so a redelivered event is judged
 * exactly as it was the first time.
 */
public final class TelemetryParser {

    /**
     * NaN and Infinity literals parse, so they are rejected as non-finite rather than as bad JSON.
     * Error locations name no source (the event is in the dead letter anyway), and doubles are
     * read with Jackson's fast parser: both matter at a few hundred nanoseconds an event.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** The JSON factory the parser uses, so benchmarks can read with the same settings. */
    public static JsonFactory jsonFactory() {
        return JSON;
    }

    /**
     * The event's fields in the order the contract's examples and the simulators write them. Each
     * is tried with {@link JsonParser#nextFieldName(SerializableString)}, which compares the input
     * with the expected name instead of hashing it into the symbol table; any other order parses
     * the same, by name.
     */
    private static final SerializedString[] EVENT_FIELDS = {
            new SerializedString("deviceId"), new SerializedString("ts"), new SerializedString("seq"), new SerializedString("metrics")};

    private static final int MAX_DEVICE_ID = 128;
    private static final int MAX_METRIC_NAME = 32;
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    /** The outcome of parsing one event. */
    public sealed interface Result permits Accepted, Rejected {
    }

    public record Accepted(TelemetryEvent event) implements Result {
    }

    public record Rejected(Rejection rejection) implements Result {
    }

    private final TelemetryLimits limits;

    public TelemetryParser(TelemetryLimits limits) {
        this.limits = limits;
    }

    public TelemetryLimits limits() {
        return limits;
    }

    /**
     * @param body            the event as the host delivered it (UTF-8 decoded)
     * @param referenceTimeMs the time the event's timestamps are judged against
     */
    public Result parse(String body, long referenceTimeMs) {
        try {
            if (exceedsBytes(body, limits.maxEventBytes())) {
                throw new Reject(RejectReason.TOO_LARGE, null, "event is larger than " + limits.maxEventBytes() + " bytes");
            }
            if (body.indexOf(REPLACEMENT_CHARACTER) >= 0) {
                throw new Reject(RejectReason.INVALID_UTF8, null, "event is not valid UTF-8");
            }
            TelemetryEvent event = parseEvent(body);
            checkTimes(event, referenceTimeMs);
            return new Accepted(event);
        } catch (Reject reject) {
            return new Rejected(reject.rejection);
        }
    }

    private TelemetryEvent parseEvent(String body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Reject(RejectReason.INVALID_JSON, null, "an event is a JSON object");
            }
            String deviceId = null;
            Long seq = null;
            long ts = Long.MIN_VALUE;
            MetricValues metrics = null;
            List<Reading> readings = null;
            int expected = 0;
            while (true) {
                String field;
                if (expected < EVENT_FIELDS.length) {
                    if (p.nextFieldName(EVENT_FIELDS[expected])) {
                        field = EVENT_FIELDS[expected++].getValue();
                    } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                        field = p.currentName();
                        expected = EVENT_FIELDS.length; // out of the usual order: by name from here on
                    } else {
                        break;
                    }
                } else if (p.nextToken() == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                } else {
                    break;
                }
                p.nextToken();
                // A field given twice is refused, never "the last one wins": which one a reader keeps is a guess.
                switch (field) {
                    case "deviceId" -> {
                        once(deviceId == null, field);
                        deviceId = deviceId(p);
                    }
                    case "ts" -> {
                        once(ts == Long.MIN_VALUE, field);
                        ts = timestamp(p, "ts");
                    }
                    case "seq" -> {
                        once(seq == null, field);
                        seq = sequence(p, "seq");
                    }
                    case "metrics" -> {
                        once(metrics == null, field);
                        metrics = metrics(p, "metrics");
                    }
                    case "readings" -> {
                        once(readings == null, field);
                        readings = readings(p);
                    }
                    default -> p.skipChildren(); // "meta" and fields of later contract versions
                }
            }
            if (p.nextToken() != null) {
                throw new Reject(RejectReason.INVALID_JSON, null, "unexpected content after the event object");
            }
            if (deviceId == null) {
                throw new Reject(RejectReason.MISSING_FIELD, "deviceId", "deviceId is required");
            }
            if (readings != null) {
                if (metrics != null || ts != Long.MIN_VALUE) {
                    throw new Reject(RejectReason.INVALID_FIELD, "readings", "send either ts and metrics, or readings, not both");
                }
                return new TelemetryEvent(deviceId, seq, readings);
            }
            if (ts == Long.MIN_VALUE) {
                throw new Reject(RejectReason.MISSING_FIELD, "ts", "ts is required");
            }
            if (metrics == null) {
                throw new Reject(RejectReason.MISSING_FIELD, "metrics", "metrics is required");
            }
            return new TelemetryEvent(deviceId, seq, List.of(metrics.toReading(ts)));
        } catch (JsonProcessingException e) {
            throw new Reject(RejectReason.INVALID_JSON, null, firstLine(Json.problemOf(e)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String cannot fail
        }
    }

    /** Refuses a field met before in the same object. */
    private static void once(boolean first, String field) {
        if (!first) {
            throw new Reject(RejectReason.INVALID_FIELD, field, field.substring(field.lastIndexOf('.') + 1) + " appears twice");
        }
    }

    private List<Reading> readings(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new Reject(RejectReason.INVALID_FIELD, "readings", "readings must be an array");
        }
        List<Reading> readings = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String path = "readings[" + readings.size() + "]";
            if (readings.size() == limits.maxReadingsPerEvent()) {
                throw new Reject(RejectReason.TOO_MANY_READINGS, "readings", "a burst holds at most " + limits.maxReadingsPerEvent() + " readings");
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new Reject(RejectReason.INVALID_FIELD, path, "each reading is an object with ts and metrics");
            }
            long ts = Long.MIN_VALUE;
            MetricValues metrics = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "ts" -> {
                        once(ts == Long.MIN_VALUE, path + ".ts");
                        ts = timestamp(p, path + ".ts");
                    }
                    case "metrics" -> {
                        once(metrics == null, path + ".metrics");
                        metrics = metrics(p, path + ".metrics");
                    }
                    case "seq" -> sequence(p, path + ".seq");
                    default -> p.skipChildren();
                }
            }
            if (ts == Long.MIN_VALUE) {
                throw new Reject(RejectReason.MISSING_FIELD, path + ".ts", "ts is required");
            }
            if (metrics == null) {
                throw new Reject(RejectReason.MISSING_FIELD, path + ".metrics", "metrics is required");
            }
            readings.add(metrics.toReading(ts));
        }
        if (readings.isEmpty()) {
            throw new Reject(RejectReason.INVALID_FIELD, "readings", "readings must not be empty");
        }
        readings.sort(Comparator.comparingLong(Reading::timestampMs)); // stable: ties keep their order
        return readings;
    }

    private MetricValues metrics(JsonParser p, String path) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Reject(RejectReason.INVALID_FIELD, path, "metrics must be an object of metric names to numbers");
        }
        MetricValues metrics = SCRATCH.get().reset();
        while (true) {
            String name;
            SerializedString expected = metrics.expectedNext();
            if (expected != null) {
                if (p.nextFieldName(expected)) {
                    name = expected.getValue();
                } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                    name = p.currentName();
                    metrics.leaveExpectedOrder();
                } else {
                    break;
                }
            } else if (p.nextToken() == JsonToken.FIELD_NAME) {
                name = p.currentName();
                metrics.leaveExpectedOrder();
            } else {
                break;
            }
            if (!metrics.inExpectedOrder() && !knownMetricName(name)) {
                throw new Reject(RejectReason.INVALID_METRIC_NAME, path + "." + name,
                        "metric names are 1-" + MAX_METRIC_NAME + " letters, digits or '_', starting with a letter");
            }
            JsonToken value = p.nextToken();
            if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new Reject(RejectReason.INVALID_FIELD, path + "." + name, "metric values must be numbers");
            }
            double number = p.getDoubleValue();
            if (!Double.isFinite(number)) {
                throw new Reject(RejectReason.NON_FINITE_VALUE, path + "." + name, "metric values must be finite");
            }
            if (Math.abs(number) > TelemetryLimits.MAX_MAGNITUDE) {
                throw new Reject(RejectReason.VALUE_OUT_OF_RANGE, path + "." + name, TelemetryLimits.MAX_MAGNITUDE_RULE);
            }
            if (!metrics.inExpectedOrder() && metrics.contains(name)) {
                throw new Reject(RejectReason.INVALID_FIELD, path + "." + name, "metric appears twice");
            }
            if (metrics.size() == limits.maxMetricsPerReading()) {
                throw new Reject(RejectReason.TOO_MANY_METRICS, path, "a reading holds at most " + limits.maxMetricsPerReading() + " metrics");
            }
            metrics.add(name, number);
        }
        if (metrics.size() == 0) {
            throw new Reject(RejectReason.INVALID_FIELD, path, "metrics must not be empty");
        }
        return metrics;
    }

    private static String deviceId(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new Reject(RejectReason.INVALID_FIELD, "deviceId", "deviceId must be a string");
        }
        String id = DeviceIds.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (id == null || !isDeviceId(id)) {
            throw new Reject(RejectReason.INVALID_DEVICE_ID, "deviceId", DEVICE_ID_RULE);
        }
        return id;
    }

    private static long timestamp(JsonParser p, String path) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw new Reject(RejectReason.INVALID_FIELD, path, "epoch milliseconds must be a non-negative 64-bit integer");
            }
            return p.getLongValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            long fast = Timestamps.utcMillis(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            return fast != Timestamps.NOT_SIMPLE ? fast : parseIsoInstant(p.getText(), path);
        }
        throw new Reject(RejectReason.INVALID_FIELD, path, "ts is an ISO-8601 string or epoch milliseconds");
    }

    /** ISO-8601 with 'Z' or an offset, e.g. 2026-11-22T10:05:00Z or 2026-11-22T11:05:00+01:00. */
    static long parseIsoInstant(String text, String path) {
        long fast = Timestamps.utcMillis(text);
        if (fast != Timestamps.NOT_SIMPLE) {
            return fast;
        }
        try {
            return text.endsWith("Z") || text.endsWith("z")
                    ? Instant.parse(text).toEpochMilli()
                    : OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new Reject(RejectReason.INVALID_FIELD, path, "ts must be ISO-8601 with a zone, e.g. 2026-11-22T10:05:00Z");
        }
    }

    private static Long sequence(JsonParser p, String path) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Reject(RejectReason.INVALID_FIELD, path, "seq must be an integer");
        }
        return p.getLongValue();
    }

    /** The time checks alone, for events built from other formats (CSV uploads). */
    public Result checkTimesOf(TelemetryEvent event, long referenceTimeMs) {
        try {
            checkTimes(event, referenceTimeMs);
            return new Accepted(event);
        } catch (Reject reject) {
            return new Rejected(reject.rejection);
        }
    }

    private void checkTimes(TelemetryEvent event, long referenceTimeMs) {
        long latest = referenceTimeMs + limits.maxFutureSkew().toMillis();
        long earliest = referenceTimeMs - limits.allowedLateness().toMillis();
        List<Reading> readings = event.readings();
        for (int i = 0; i < readings.size(); i++) {
            long ts = readings.get(i).timestampMs();
            String path = readings.size() == 1 ? "ts" : "readings[" + i + "].ts";
            if (ts > latest) {
                throw new Reject(RejectReason.FUTURE_TIMESTAMP, path, "timestamp is more than "
                        + limits.maxFutureSkew().toMinutes() + " minutes in the future");
            }
            if (ts < earliest) {
                throw new Reject(RejectReason.TOO_LATE, path, "timestamp is older than the allowed lateness of "
                        + limits.allowedLateness().toMinutes() + " minutes");
            }
        }
    }

    /** What a device id may be, as rejections say it. */
    public static final String DEVICE_ID_RULE = "device ids are 1-128 of A-Z a-z 0-9 . _ : - with at least one letter or digit";

    /**
     * The contract's device ids. At least one letter or digit: an id of dots only ({@code ..}) is a
     * path segment that URLs resolve away, so its Cosmos DB document could never be read back.
     */
    public static boolean isDeviceId(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_DEVICE_ID) {
            return false;
        }
        boolean alphanumeric = false;
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
            alphanumeric |= letterOrDigit;
        }
        return alphanumeric;
    }

    /**
     * Names that passed {@link #isMetricName}, by reference: the parser's symbol table hands out one
     * instance per name, so the check runs once per name rather than once per reading. Copied on
     * write; invocations read it without a lock.
     */
    private volatile String[] validNames = new String[0];

    private boolean knownMetricName(String name) {
        String[] known = validNames;
        for (String valid : known) {
            if (valid == name) {
                return true;
            }
        }
        if (!isMetricName(name)) {
            return false;
        }
        if (known.length < 256) {
            String[] grown = java.util.Arrays.copyOf(known, known.length + 1);
            grown[known.length] = name;
            validNames = grown;
        }
        return true;
    }

    public static boolean isMetricName(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_METRIC_NAME) {
            return false;
        }
        char first = name.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean exceedsBytes(String body, int maxBytes) {
        if ((long) body.length() * 3 <= maxBytes) {
            return false; // a UTF-16 unit never takes more than 3 UTF-8 bytes
        }
        long bytes = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            if (bytes > maxBytes) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        return message.length() > 200 ? message.substring(0, 200) : message;
    }

    private static final ThreadLocal<MetricValues> SCRATCH = ThreadLocal.withInitial(MetricValues::new);

    /**
     * Metric names and values of one reading, collected before the reading is built; one per
     * thread, reused. A device sends the same metrics every time, so the names array of a reading
     * is shared with earlier readings of the same names (readings never change it). The names of
     * the last reading, in its order, are what the next reading is expected to hold: each is tried
     * with {@link JsonParser#nextFieldName(SerializableString)}, which compares the input with the
     * name instead of hashing it into the symbol table, and a name that matches needs no checks,
     * as it passed them when first met.
     */
    private static final class MetricValues {
        private static final int SHAPES = 16;
        private String[] names = new String[4];
        private double[] values = new double[4];
        private int size;
        private final String[][] shapes = new String[SHAPES][];
        private final SerializedString[][] serializedShapes = new SerializedString[SHAPES][];
        private int nextShape;
        private int lastShape = -1;
        private boolean inExpectedOrder;

        MetricValues reset() {
            size = 0;
            inExpectedOrder = lastShape >= 0;
            return this;
        }

        int size() {
            return size;
        }

        /** The name expected next, while every name so far was the one expected; null otherwise. */
        SerializedString expectedNext() {
            if (!inExpectedOrder) {
                return null;
            }
            SerializedString[] expected = serializedShapes[lastShape];
            return size < expected.length ? expected[size] : null;
        }

        /** True while every name so far was the expected one at its position. */
        boolean inExpectedOrder() {
            return inExpectedOrder;
        }

        void leaveExpectedOrder() {
            inExpectedOrder = false;
        }

        boolean contains(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return true;
                }
            }
            return false;
        }

        void add(String name, double value) {
            if (size == names.length) {
                names = java.util.Arrays.copyOf(names, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            names[size] = name;
            values[size] = value;
            size++;
        }

        Reading toReading(long ts) {
            return new Reading(ts, shape(), java.util.Arrays.copyOf(values, size));
        }

        private String[] shape() {
            if (inExpectedOrder && size == shapes[lastShape].length) {
                return shapes[lastShape];
            }
            for (int i = 0; i < SHAPES; i++) {
                if (shapes[i] != null && sameNames(shapes[i])) {
                    lastShape = i;
                    return shapes[i];
                }
            }
            String[] shape = java.util.Arrays.copyOf(names, size);
            SerializedString[] serialized = new SerializedString[size];
            for (int i = 0; i < size; i++) {
                serialized[i] = new SerializedString(shape[i]);
            }
            lastShape = nextShape;
            shapes[lastShape] = shape;
            serializedShapes[lastShape] = serialized;
            nextShape = (nextShape + 1) % SHAPES;
            return shape;
        }

        private boolean sameNames(String[] shape) {
            if (shape.length != size) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                if (shape[i] != names[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Unwinds the parse at the first problem; no stack trace, as it is an expected outcome. */
    static final class Reject extends RuntimeException {
        final Rejection rejection;

        Reject(RejectReason reason, String field, String detail) {
            super(detail, null, false, false);
            this.rejection = Rejection.of(reason, field, detail);
        }
    }
}
