package dev.sensorchat.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * App settings as the Functions host resolves them locally: {@code local.settings.json} Values,
 * overridden by environment variables, and {@code %SETTING%} expressions in bindings and schedules.
 */
public final class HostSettings {

    private static final Pattern EXPRESSION = Pattern.compile("%([A-Za-z0-9_.:-]+)%");

    private final Map<String, String> values;
    private final int httpPort;

    public HostSettings(Map<String, String> values, int httpPort) {
        this.values = Map.copyOf(values);
        this.httpPort = httpPort;
    }

    /** {@code local.settings.json} (if present), then the environment over it. */
    public static HostSettings load(Path localSettings, Map<String, String> environment) throws IOException {
        Map<String, String> values = new HashMap<>();
        int port = 7071;
        if (localSettings != null && Files.isRegularFile(localSettings)) {
            JsonNode json = new ObjectMapper().readTree(localSettings.toFile());
            json.path("Values").fields().forEachRemaining(entry -> values.put(entry.getKey(), entry.getValue().asText()));
            port = json.path("Host").path("LocalHttpPort").asInt(port);
        }
        values.putAll(environment); // as in Azure, the process environment is where settings live
        return new HostSettings(values, port);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(value -> !value.isEmpty());
    }

    public int httpPort() {
        return httpPort;
    }

    /** All settings, for the app's process environment. */
    public Map<String, String> all() {
        return values;
    }

    /**
     * Replaces every {@code %NAME%} with its setting.
     *
     * @throws IllegalStateException naming the setting, when it is not set
     */
    public String resolve(String text, String where) {
        Matcher matcher = EXPRESSION.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = get(name).orElseThrow(() -> new IllegalStateException(where + " uses %" + name
                    + "%, but the setting " + name + " is not set (local.settings.json Values, or the environment)"));
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(resolved).toString();
    }

    /** A function is switched off with the setting {@code AzureWebJobs.<name>.Disabled=true}, as in Azure. */
    public boolean disabled(String function) {
        return get("AzureWebJobs." + function + ".Disabled").map(Boolean::parseBoolean).orElse(false);
    }
}
