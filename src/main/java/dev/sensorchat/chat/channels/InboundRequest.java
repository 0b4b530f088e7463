package dev.sensorchat.chat.channels;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A webhook delivery as it arrived: headers (looked up case-insensitively) and the raw body, which
 * signatures are computed over.
 */
public record InboundRequest(Map<String, String> headers, String body) {

    public InboundRequest {
        Map<String, String> normalized = new TreeMap<>();
        headers.forEach((name, value) -> normalized.put(name.toLowerCase(Locale.ROOT), value));
        headers = Map.copyOf(normalized);
        body = body == null ? "" : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))).filter(value -> !value.isBlank());
    }
}
