package dev.sensorchat.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only view of the app settings, which the Functions host passes as environment variables
 * (and {@code local.settings.json} "Values" when running locally). Nothing is read until asked
 * for, so a missing setting fails at first use, naming the setting.
 */
public final class AppSettings {

    private final Map<String, String> values;

    public AppSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static AppSettings fromEnvironment() {
        return new AppSettings(System.getenv());
    }

    /** The value, or empty when the setting is absent or blank. */
    public Optional<String> find(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String require(String name, String whatItIs) {
        return find(name).orElseThrow(() -> new SettingException(name, "is missing; set it to " + whatItIs + "."));
    }

    public String get(String name, String defaultValue) {
        return find(name).orElse(defaultValue);
    }

    public int positiveInt(String name, int defaultValue) {
        Optional<String> raw = find(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingException(name, "must be a positive whole number.");
    }

    public Duration millis(String name, Duration defaultValue) {
        return find(name).isEmpty() ? defaultValue : Duration.ofMillis(positiveInt(name, 1));
    }

    public boolean flag(String name, boolean defaultValue) {
        Optional<String> raw = find(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new SettingException(name, "must be true or false.");
        };
    }

    /** An absolute http(s) URI, as service endpoints are. */
    public URI endpoint(String name, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() != null && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SettingException(name, "must be an absolute https:// URI.");
    }
}
