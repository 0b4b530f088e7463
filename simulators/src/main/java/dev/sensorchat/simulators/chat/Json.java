package dev.sensorchat.simulators.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** The one JSON mapper of the chat client. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A JSON object's string field, or empty when the body is not such an object. */
    static Optional<String> textField(String body, String field) {
        try {
            JsonNode node = MAPPER.readTree(body == null ? "" : body);
            return node != null && node.path(field).isTextual() ? Optional.of(node.get(field).asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
