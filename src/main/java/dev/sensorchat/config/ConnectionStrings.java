package dev.sensorchat.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Parses {@code Key=Value;Key=Value} connection strings. Keys are case-insensitive; values may contain '='. */
final class ConnectionStrings {

    private ConnectionStrings() {
    }

    static Map<String, String> parse(String connectionString) {
        Map<String, String> parts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String part : connectionString.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
            }
        }
        return parts;
    }

    static boolean isTrue(Map<String, String> parts, String key) {
        return "true".equals(parts.getOrDefault(key, "").toLowerCase(Locale.ROOT));
    }
}
