package dev.sensorchat.localhost.eventhubs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a POSTed body into event bodies for {@link LocalEventHub#publish}.
 *
 * <ul>
 * <li>NDJSON ({@code application/x-ndjson}, and any type that is not JSON, or none): one event per line,
 *     split on {@code \n} with a trailing {@code \r} removed; blank lines are skipped; every other line
 *     is an event body verbatim, valid JSON or not (a malformed reading must reach the function as it
 *     was sent).</li>
 * <li>JSON ({@code application/json} or {@code +json}): an array, each element one event; a string
 *     element's body is the string itself, any other element is re-serialized compactly (numbers keep
 *     their exact text). A body that is not an array is one event. A null element is refused.</li>
 * <li>Event Hubs' REST batch ({@code application/vnd.microsoft.servicebus.json}, "Send batch events"):
 *     an array of messages {@code {"Body": "...", "IsBodyBase64": false, "BrokerProperties":
 *     {"PartitionKey": "..."}, "UserProperties": {...}}}; each message is one event, its body the
 *     {@code Body} string (base64-decoded when {@code IsBodyBase64}), with its own partition key, so one
 *     request can carry many devices' events. Other broker and user properties are accepted and
 *     dropped: the local hub keeps none.</li>
 * </ul>
 * Bodies are UTF-8 (a leading byte-order mark is dropped). Limits, by default as Event Hubs: 1 MB per
 * event, and 4 MB per request; over either is a {@link BatchTooLargeException} (413). A body without
 * events, or malformed JSON, is an {@link InvalidBatchException} (400).
 */
public final class NdjsonBatch {

    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
    public static final NdjsonBatch DEFAULT = new NdjsonBatch(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENT_BYTES);

    private static final JsonFactory JSON = new JsonFactory();

    private final int maxBodyBytes;
    private final int maxEventBytes;

    public NdjsonBatch(int maxBodyBytes, int maxEventBytes) {
        if (maxBodyBytes < 1 || maxEventBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.maxEventBytes = maxEventBytes;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** Reads at most the body limit (and one byte more, to tell it was exceeded) and parses it. */
    public List<String> read(InputStream body, String contentType) throws IOException {
        return parse(readLimited(body), contentType);
    }

    /** One event of a request, with the partition key its message named (null: the request's, or none). */
    public record Message(String body, String partitionKey) {
    }

    /** As {@link #read}, keeping each message's own partition key (set only by Event Hubs' batch format). */
    public List<Message> readMessages(InputStream body, String contentType) throws IOException {
        return parseMessages(readLimited(body), contentType);
    }

    /** As {@link #parse}, keeping each message's own partition key. */
    public List<Message> parseMessages(byte[] body, String contentType) {
        if (body.length > maxBodyBytes) {
            throw tooLargeBody();
        }
        int start = hasByteOrderMark(body) ? 3 : 0;
        List<Message> messages = isServiceBusBatch(contentType) ? batchMessages(body, start)
                : (isJson(contentType) ? jsonEvents(body, start) : ndjsonEvents(body, start)).stream().map(event -> new Message(event, null)).toList();
        if (messages.isEmpty()) {
            throw new InvalidBatchException("the body holds no events");
        }
        return messages;
    }

    private byte[] readLimited(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(maxBodyBytes + 1);
        if (bytes.length > maxBodyBytes) {
            throw tooLargeBody();
        }
        return bytes;
    }

    /** Parses a whole body, by its Content-Type (parameters such as charset are ignored). */
    public List<String> parse(byte[] body, String contentType) {
        return parseMessages(body, contentType).stream().map(Message::body).toList();
    }

    /** Parses NDJSON text. */
    public List<String> parseNdjson(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    /** Parses a JSON array (or single value) text. */
    public List<String> parseJson(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static boolean isServiceBusBatch(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/vnd.microsoft.servicebus.json");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
    }

    private List<String> ndjsonEvents(byte[] body, int start) {
        List<String> events = new ArrayList<>();
        int line = 0;
        int from = start;
        while (from <= body.length) {
            line++;
            int end = from;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int to = end > from && body[end - 1] == '\r' ? end - 1 : end;
            if (!isBlank(body, from, to)) {
                if (to - from > maxEventBytes) {
                    throw tooLargeEvent("the event on line " + line, to - from);
                }
                events.add(new String(body, from, to - from, StandardCharsets.UTF_8));
            }
            from = end + 1;
        }
        return events;
    }

    private List<String> jsonEvents(byte[] body, int start) {
        List<String> events = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body, start, body.length - start)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return events;
            }
            if (first == JsonToken.START_ARRAY) {
                int index = 0;
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    events.add(event(parser, token, "element " + index++));
                }
            } else {
                events.add(event(parser, first, "the body"));
            }
            if (parser.nextToken() != null) {
                throw new InvalidBatchException("unexpected content after the JSON value at " + location(parser));
            }
            return events;
        } catch (JsonProcessingException e) {
            throw new InvalidBatchException("malformed JSON: " + e.getOriginalMessage() + " at " + location(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Message> batchMessages(byte[] body, int start) {
        List<Message> messages = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body, start, body.length - start)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidBatchException("an Event Hubs batch is a JSON array of messages ({\"Body\": ...})");
            }
            int index = 0;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new InvalidBatchException("the JSON array is not closed");
                }
                messages.add(batchMessage(parser, token, "message " + index++));
            }
            if (parser.nextToken() != null) {
                throw new InvalidBatchException("unexpected content after the JSON array at " + location(parser));
            }
            return messages;
        } catch (JsonProcessingException e) {
            throw new InvalidBatchException("malformed JSON: " + e.getOriginalMessage() + " at " + location(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Message batchMessage(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw new InvalidBatchException(what + " is not an object with a Body");
        }
        String body = null;
        String partitionKey = null;
        boolean base64 = false;
        for (JsonToken field = parser.nextToken(); field == JsonToken.FIELD_NAME; field = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "Body" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new InvalidBatchException(what + ": Body is not a string");
                    }
                    body = parser.getText();
                }
                case "IsBodyBase64" -> base64 = value == JsonToken.VALUE_TRUE;
                case "BrokerProperties" -> partitionKey = partitionKey(parser, value, what);
                default -> parser.skipChildren(); // UserProperties and the like: the local hub keeps no properties
            }
        }
        if (body == null) {
            throw new InvalidBatchException(what + " has no Body");
        }
        if (base64) {
            try {
                body = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidBatchException(what + ": IsBodyBase64, but Body is not base64");
            }
        }
        int bytes = utf8Length(body);
        if (bytes > maxEventBytes) {
            throw tooLargeEvent(what, bytes);
        }
        return new Message(body, partitionKey == null || partitionKey.isEmpty() ? null : partitionKey);
    }

    private static String partitionKey(JsonParser parser, JsonToken value, String what) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new InvalidBatchException(what + ": BrokerProperties is not an object");
        }
        String partitionKey = null;
        for (JsonToken field = parser.nextToken(); field == JsonToken.FIELD_NAME; field = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken property = parser.nextToken();
            if (name.equals("PartitionKey")) {
                if (property != JsonToken.VALUE_STRING) {
                    throw new InvalidBatchException(what + ": BrokerProperties.PartitionKey is not a string");
                }
                partitionKey = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return partitionKey;
    }

    private String event(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token == null) {
            throw new InvalidBatchException("the JSON array is not closed");
        }
        String body;
        if (token == JsonToken.VALUE_STRING) {
            body = parser.getText();
        } else if (token == JsonToken.VALUE_NULL) {
            throw new InvalidBatchException(what + " is null, not an event");
        } else {
            StringWriter out = new StringWriter();
            try (JsonGenerator generator = JSON.createGenerator(out)) {
                copy(parser, generator);
            }
            body = out.toString();
        }
        int bytes = utf8Length(body);
        if (bytes > maxEventBytes) {
            throw tooLargeEvent(what, bytes);
        }
        return body;
    }

    /** Copies the value at the parser's current token, numbers as their exact text. */
    private static void copy(JsonParser parser, JsonGenerator generator) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT -> { generator.writeStartObject(); depth++; }
                case START_ARRAY -> { generator.writeStartArray(); depth++; }
                case END_OBJECT -> { generator.writeEndObject(); depth--; }
                case END_ARRAY -> { generator.writeEndArray(); depth--; }
                case FIELD_NAME -> generator.writeFieldName(parser.currentName());
                case VALUE_STRING -> generator.writeString(parser.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
                case VALUE_TRUE -> generator.writeBoolean(true);
                case VALUE_FALSE -> generator.writeBoolean(false);
                case VALUE_NULL -> generator.writeNull();
                default -> throw new InvalidBatchException("unexpected JSON token " + token);
            }
            if (depth == 0) {
                return;
            }
            token = parser.nextToken();
            if (token == null) {
                throw new InvalidBatchException("the JSON value is not closed");
            }
        }
    }

    private static String location(JsonParser parser) {
        return "line " + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static boolean hasByteOrderMark(byte[] body) {
        return body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF;
    }

    private static boolean isBlank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private BatchTooLargeException tooLargeBody() {
        return new BatchTooLargeException("the body is over the " + describe(maxBodyBytes) + " limit for one request",
                maxBodyBytes);
    }

    private BatchTooLargeException tooLargeEvent(String what, long bytes) {
        return new BatchTooLargeException(what + " is " + bytes + " bytes, over the " + describe(maxEventBytes)
                + " limit for one event", maxEventBytes);
    }

    private static String describe(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB"
                : bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " bytes";
    }
}
