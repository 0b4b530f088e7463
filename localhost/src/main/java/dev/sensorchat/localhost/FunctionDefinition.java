package dev.sensorchat.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One function as the packaged app declares it in {@code <name>/function.json}: where its code is
 * ({@code scriptFile}, {@code entryPoint}) and its bindings, exactly as the Functions host reads them.
 *
 * @param retry the function's retry policy, or null
 */
public record FunctionDefinition(String name, Path scriptFile, String className, String methodName, List<JsonNode> bindings,
                                 JsonNode retry) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every function of the app in {@code appDir}, in name order. */
    public static List<FunctionDefinition> loadAll(Path appDir) throws IOException {
        List<FunctionDefinition> functions = new ArrayList<>();
        try (Stream<Path> entries = Files.list(appDir)) {
            for (Path dir : entries.sorted().toList()) {
                Path json = dir.resolve("function.json");
                if (Files.isRegularFile(json)) {
                    functions.add(load(dir.getFileName().toString(), json));
                }
            }
        }
        return functions;
    }

    static FunctionDefinition load(String name, Path functionJson) throws IOException {
        JsonNode json = JSON.readTree(functionJson.toFile());
        String entryPoint = json.path("entryPoint").asText("");
        int dot = entryPoint.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalStateException("function '" + name + "': entryPoint '" + entryPoint + "' is not <class>.<method>");
        }
        Path scriptFile = functionJson.getParent().resolve(json.path("scriptFile").asText("")).normalize();
        List<JsonNode> bindings = new ArrayList<>();
        json.path("bindings").forEach(bindings::add);
        return new FunctionDefinition(name, scriptFile, entryPoint.substring(0, dot), entryPoint.substring(dot + 1), List.copyOf(bindings),
                json.get("retry"));
    }

    /** The binding that starts the function (direction "in", type ending in "Trigger"). */
    public JsonNode trigger() {
        return bindings.stream().filter(b -> b.path("type").asText().endsWith("Trigger")).findFirst()
                .orElseThrow(() -> new IllegalStateException("function '" + name + "' has no trigger binding"));
    }

    public String triggerType() {
        return trigger().path("type").asText();
    }

    public Optional<JsonNode> binding(String name) {
        return bindings.stream().filter(b -> name.equals(b.path("name").asText())).findFirst();
    }
}
