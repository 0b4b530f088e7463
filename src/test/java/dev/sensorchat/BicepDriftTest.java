package dev.sensorchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.storage.ContainerSpec;
import dev.sensorchat.storage.Containers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment in {@code bicep/} and the code agree: the Cosmos DB containers are the ones the
 * code declares, every setting and connection the code reads is set, and no key or connection
 * string appears anywhere in the templates. (The templates' resource schemas are checked apart,
 * offline; a real deployment is the final check.)
 */
class BicepDriftTest {

    private static final Path BICEP = Path.of("bicep");
    private static final Path FUNCTIONS = Path.of("src/main/java/dev/sensorchat/functions");

    @Test
    void theCosmosContainersAreExactlyTheOnesTheCodeDeclares() throws IOException {
        List<Map<String, Object>> expected = new ArrayList<>();
        for (ContainerSpec spec : Containers.ALL) {
            Map<String, Object> container = new LinkedHashMap<>();
            container.put("name", spec.name());
            container.put("partitionKey", spec.partitionKeyPath());
            container.put("defaultTtl", spec.defaultTtlSeconds());
            container.put("notIndexed", spec.notIndexed());
            expected.add(container);
        }
        JsonNode declared = new ObjectMapper().readTree(BICEP.resolve("cosmos-containers.json").toFile());
        JsonNode fromCode = new ObjectMapper().valueToTree(expected); // nulls kept: "no default TTL" is a value here
        assertEquals(fromCode, declared, () -> "bicep/cosmos-containers.json should be:\n" + fromCode.toPrettyString());
    }

    @Test
    void everySettingAndConnectionTheCodeReadsIsSetByTheTemplates() {
        Set<String> set = appSettingNames();
        Set<String> read = settingsTheCodeReads();
        assertTrue(read.containsAll(List.of("COSMOS_DATABASE", "TELEMETRY_HUB", "SILENT_DEVICES_SCHEDULE", "UPLOADS_CONTAINER"))
                && read.size() > 30, "the settings the code reads were not all found: " + read);
        List<String> missing = new ArrayList<>();
        for (String setting : read) {
            if (!set.contains(setting)) {
                missing.add(setting);
            }
        }
        for (String connection : connectionsTheCodeUses()) {
            // identity-based: an endpoint setting, the credential and the client id of the identity
            boolean endpoint = set.stream().anyMatch(name -> name.startsWith(connection + "__") && !name.endsWith("__credential")
                    && !name.endsWith("__clientId"));
            if (!endpoint || !set.contains(connection + "__credential") || !set.contains(connection + "__clientId")) {
                missing.add(connection + "__*");
            }
        }
        assertEquals(List.of(), missing, "settings the code reads that bicep/main.bicep does not set");
    }

    /** What each connection the code uses needs its identity to hold: role definition ids, and the module that must assign them. */
    private static final Map<String, Map<String, String>> ROLES_OF_CONNECTION = Map.of(
            "CosmosDb", Map.of("00000000-0000-0000-0000-000000000002", "cosmos.bicep"), // Cosmos DB Built-in Data Contributor
            "DataStorage", Map.of("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "storage.bicep"), // Storage Blob Data Contributor
            "TelemetryEventHub", Map.of("a638d3c7-ab3a-418d-83e6-5f17a39d4fde", "eventhubs.bicep"), // Event Hubs Data Receiver
            "AzureWebJobsStorage", Map.of("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "storage.bicep", // Storage Blob Data Owner
                    "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "storage.bicep")); // Storage Queue Data Contributor

    @Test
    void everyConnectionTheCodeUsesHasItsRoles() {
        List<String> missing = new ArrayList<>();
        for (String connection : connectionsTheCodeUses()) {
            Map<String, String> roles = ROLES_OF_CONNECTION.get(connection);
            if (roles == null) {
                missing.add(connection + ": no role known for it here; add it to this test and to bicep/");
                continue;
            }
            roles.forEach((role, module) -> {
                if (!read(BICEP.resolve("modules").resolve(module)).contains("'" + role + "'")) {
                    missing.add(connection + ": role " + role + " is not assigned in bicep/modules/" + module);
                }
            });
        }
        // Settings read as Key Vault references need the vault's Secrets User; telemetry sent without a key, the Metrics Publisher.
        if (!read(BICEP.resolve("modules/keyvault.bicep")).contains("'4633458b-17de-408a-b874-0445c86b69e6'")) {
            missing.add("Key Vault Secrets User");
        }
        if (!read(BICEP.resolve("modules/monitoring.bicep")).contains("'3913510d-42f4-4e42-8a64-420c390055eb'")) {
            missing.add("Monitoring Metrics Publisher");
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void noKeyOrConnectionStringIsInTheTemplates() {
        Pattern forbidden = Pattern.compile("listKeys\\(|listConnectionStrings\\(|AccountKey=|SharedAccessKey|primaryMasterKey"
                + "|DefaultEndpointsProtocol|InstrumentationKey=|connectionString\\s*:", Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        for (Path file : bicepFiles()) {
            List<String> lines = read(file).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (forbidden.matcher(lines.get(i)).find()) {
                    found.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), found);
        assertTrue(read(BICEP.resolve("main.bicep")).contains("AUTO_CREATE_RESOURCES: 'false'"),
                "in Azure the app's data roles cannot create containers: they are declared, and the app must not try");
    }

    /** Every public setting-name constant of the composition root and the blob names, and each {@code %SETTING%} of a binding. */
    private static Set<String> settingsTheCodeReads() {
        Set<String> settings = new TreeSet<>();
        for (Class<?> type : List.of(AppContext.class, BlobContainerNames.class)) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    try {
                        String value = (String) field.get(null);
                        if (value.matches("[A-Z][A-Z0-9_]+") && value.equals(field.getName())) {
                            settings.add(value);
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        Matcher expression = Pattern.compile("%([A-Z][A-Z0-9_]+)%").matcher(functionSources());
        while (expression.find()) {
            settings.add(expression.group(1));
        }
        return settings;
    }

    private static Set<String> connectionsTheCodeUses() {
        Set<String> connections = new TreeSet<>(List.of("AzureWebJobsStorage", AppContext.COSMOS_CONNECTION, AppContext.STORAGE_CONNECTION));
        Matcher connection = Pattern.compile("connection = \"([A-Za-z0-9_]+)\"").matcher(functionSources());
        while (connection.find()) {
            connections.add(connection.group(1));
        }
        return connections;
    }

    /** The keys of the app's settings in main.bicep (the settings object and the secret settings). */
    private static Set<String> appSettingNames() {
        Set<String> names = new TreeSet<>();
        Matcher key = Pattern.compile("(?m)^\\s+([A-Za-z][A-Za-z0-9_]*(?:__[A-Za-z]+)?):").matcher(read(BICEP.resolve("main.bicep")));
        while (key.find()) {
            names.add(key.group(1));
        }
        return names;
    }

    private static String functionSources() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(FUNCTIONS)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> all.append(read(f)).append('\n'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    private static List<Path> bicepFiles() {
        try (Stream<Path> files = Files.walk(BICEP)) {
            return files.filter(f -> f.toString().endsWith(".bicep") || f.toString().endsWith(".bicepparam")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
