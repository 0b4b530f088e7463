package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.sensorchat.common.Json;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged app as the Functions host sees it: the function.json files that
 * azure-functions-maven-plugin generated under target/azure-functions/sensorchat. The host reads
 * nothing else, so these files are the app's contract with it. Adding a function means adding its
 * expected bindings here.
 */
class FunctionContractIT {

    /** Every function's bindings (and retry policy), exactly as the host must receive them. */
    private static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("health", http("api/health", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("listDevices", http("api/devices", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("getDevice", http("api/devices/{deviceId}", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("updateDevice", http("api/devices/{deviceId}", "PATCH", "FUNCTION")),
            Map.entry("getDeviceMetric", http("api/devices/{deviceId}/metrics/{metric}", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("listAlerts", http("api/alerts", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("getAlert", http("api/alerts/{alertId}", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("acknowledgeAlert", http("api/alerts/{alertId}/ack", "POST", "FUNCTION")),
            Map.entry("resolveAlert", http("api/alerts/{alertId}/resolve", "POST", "FUNCTION")),
            Map.entry("listRules", http("api/rules", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("createRule", http("api/rules", "POST", "FUNCTION")),
            Map.entry("getRule", http("api/rules/{ruleId}", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("replaceRule", http("api/rules/{ruleId}", "PUT", "FUNCTION")),
            Map.entry("deleteRule", http("api/rules/{ruleId}", "DELETE", "FUNCTION")),
            Map.entry("chat", http("api/chat/{channel}", "POST", "ANONYMOUS")),
            Map.entry("buildReport", http("api/reports", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("listReports", http("api/reports/daily", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("getDailyReport", http("api/reports/daily/{date}", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("listSubscriptions", http("api/subscriptions", "GET\", \"HEAD", "FUNCTION")),
            Map.entry("clearSubscriptions", http("api/subscriptions/{conversation}", "DELETE", "FUNCTION")),
            Map.entry("appListSubscriptions", http("app/api/subscriptions", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appClearSubscriptions", http("app/api/subscriptions/{conversation}", "DELETE", "ANONYMOUS")),
            Map.entry("dashboard", http("{*path}", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("dashboardConfig", http("app/config.json", "GET\", \"HEAD", "ANONYMOUS")),
            // The same routes for signed-in users (the dashboard): the host lets them through, the code checks the token.
            Map.entry("appMe", http("app/api/me", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appListDevices", http("app/api/devices", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appGetDevice", http("app/api/devices/{deviceId}", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appUpdateDevice", http("app/api/devices/{deviceId}", "PATCH", "ANONYMOUS")),
            Map.entry("appGetDeviceMetric", http("app/api/devices/{deviceId}/metrics/{metric}", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appListAlerts", http("app/api/alerts", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appGetAlert", http("app/api/alerts/{alertId}", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appAcknowledgeAlert", http("app/api/alerts/{alertId}/ack", "POST", "ANONYMOUS")),
            Map.entry("appResolveAlert", http("app/api/alerts/{alertId}/resolve", "POST", "ANONYMOUS")),
            Map.entry("appListRules", http("app/api/rules", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appCreateRule", http("app/api/rules", "POST", "ANONYMOUS")),
            Map.entry("appGetRule", http("app/api/rules/{ruleId}", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appReplaceRule", http("app/api/rules/{ruleId}", "PUT", "ANONYMOUS")),
            Map.entry("appDeleteRule", http("app/api/rules/{ruleId}", "DELETE", "ANONYMOUS")),
            Map.entry("appBuildReport", http("app/api/reports", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appListReports", http("app/api/reports/daily", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("appGetDailyReport", http("app/api/reports/daily/{date}", "GET\", \"HEAD", "ANONYMOUS")),
            Map.entry("dailyReport", """
                    {"bindings": [
                      {"type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "%REPORT_SCHEDULE%"} ]}
                    """),
            Map.entry("alertNotifications", """
                    {"bindings": [
                      {"type": "cosmosDBTrigger", "direction": "in", "name": "changes", "databaseName": "%COSMOS_DATABASE%",
                       "containerName": "alerts", "connection": "CosmosDb", "leaseContainerName": "leases"} ],
                     "retry": {"strategy": "exponentialBackoff", "maxRetryCount": 10,
                               "minimumInterval": "00:00:05", "maximumInterval": "00:05:00"}}
                    """),
            Map.entry("telemetry", """
                    {"bindings": [
                      {"type": "eventHubTrigger", "direction": "in", "name": "events", "dataType": "string",
                       "connection": "TelemetryEventHub", "eventHubName": "%TELEMETRY_HUB%",
                       "consumerGroup": "%TELEMETRY_CONSUMER_GROUP%", "cardinality": "MANY"} ],
                     "retry": {"strategy": "exponentialBackoff", "maxRetryCount": -1,
                               "minimumInterval": "00:00:05", "maximumInterval": "00:05:00"}}
                    """),
            Map.entry("retention", """
                    {"bindings": [
                      {"type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "%RETENTION_SCHEDULE%"} ]}
                    """),
            Map.entry("silentDevices", """
                    {"bindings": [
                      {"type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "%SILENT_DEVICES_SCHEDULE%"} ]}
                    """),
            Map.entry("uploads", """
                    {"bindings": [
                      {"type": "blobTrigger", "direction": "in", "name": "blob", "path": "%UPLOADS_CONTAINER%/{name}",
                       "connection": "DataStorage", "source": "EventGrid", "properties": {"supportsDeferredBinding": "true"}} ]}
                    """));

    /** An HTTP-triggered function with its methods (GET routes answer HEAD too), answering with its return value. */
    private static String http(String route, String method, String authLevel) {
        return """
                {"bindings": [
                  {"type": "httpTrigger", "direction": "in", "name": "request", "route": "%s",
                   "methods": ["%s"], "authLevel": "%s"},
                  {"type": "http", "direction": "out", "name": "$return"} ]}
                """.formatted(route, method, authLevel);
    }

    private static final Pattern SETTING_EXPRESSION = Pattern.compile("%([A-Za-z0-9_]+)%");

    private static Path app;
    private static Set<String> documentedSettings;

    @BeforeAll
    static void locateApp() throws IOException {
        app = Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat"));
        assertTrue(Files.isDirectory(app), "run 'mvn package' first: no app at " + app.toAbsolutePath());
        JsonNode example = Json.MAPPER.readTree(Path.of("local.settings.json.example").toFile());
        documentedSettings = new TreeSet<>();
        example.get("Values").fieldNames().forEachRemaining(documentedSettings::add);
    }

    private static JsonNode functionJson(String function) throws IOException {
        return Json.MAPPER.readTree(app.resolve(function).resolve("function.json").toFile());
    }

    private static List<String> functionsInApp() throws IOException {
        try (Stream<Path> entries = Files.list(app)) {
            return entries.filter(path -> Files.isRegularFile(path.resolve("function.json")))
                    .map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theAppHasExactlyTheExpectedFunctions() throws IOException {
        assertEquals(new TreeSet<>(EXPECTED.keySet()).stream().toList(), functionsInApp());
    }

    @Test
    void everyFunctionHasItsExpectedBindingsAndRetryPolicy() throws IOException {
        for (var expected : EXPECTED.entrySet()) {
            JsonNode actual = functionJson(expected.getKey()).deepCopy();
            ((ObjectNode) actual).remove(List.of("scriptFile", "entryPoint"));
            assertEquals(Json.MAPPER.readTree(expected.getValue()), actual, "function.json of " + expected.getKey());
        }
    }

    @Test
    void everyEntryPointIsAnAnnotatedPublicMethodInThePackagedJar() throws Exception {
        for (String function : functionsInApp()) {
            JsonNode json = functionJson(function);
            Path jar = app.resolve(function).resolve(json.get("scriptFile").asText()).normalize();
            assertTrue(Files.isRegularFile(jar), function + ": scriptFile " + jar + " exists");

            String entryPoint = json.get("entryPoint").asText();
            int dot = entryPoint.lastIndexOf('.');
            Class<?> type = Class.forName(entryPoint.substring(0, dot));
            Method method = Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals(entryPoint.substring(dot + 1)))
                    .findFirst().orElseThrow(() -> new AssertionError(function + ": no method " + entryPoint));
            assertEquals(function, method.getAnnotation(FunctionName.class).value());
            assertTrue(Modifier.isPublic(type.getModifiers()), function + ": class is public");
            type.getConstructor(); // the worker instantiates it with the no-argument constructor
        }
    }

    @Test
    void everySettingABindingNamesIsDocumented() throws IOException {
        List<String> undocumented = new ArrayList<>();
        for (String function : functionsInApp()) {
            for (JsonNode binding : functionJson(function).get("bindings")) {
                binding.fields().forEachRemaining(field -> {
                    if (field.getKey().equals("connection")) {
                        String connection = field.getValue().asText();
                        boolean documented = documentedSettings.stream()
                                .anyMatch(s -> s.equals(connection) || s.startsWith(connection + "__"));
                        if (!documented) {
                            undocumented.add(function + ": connection " + connection);
                        }
                    }
                    Matcher expression = SETTING_EXPRESSION.matcher(field.getValue().asText());
                    while (expression.find()) {
                        if (!documentedSettings.contains(expression.group(1))) {
                            undocumented.add(function + ": %" + expression.group(1) + "%");
                        }
                    }
                });
            }
        }
        assertEquals(List.of(), undocumented, "settings missing from local.settings.json.example");
    }

    @Test
    void theAppFolderIsDeployable() throws IOException {
        assertEquals(Files.readString(Path.of("host.json")), Files.readString(app.resolve("host.json")));
        Set<String> libraries = new TreeSet<>();
        try (Stream<Path> jars = Files.list(app.resolve("lib"))) {
            jars.forEach(jar -> libraries.add(jar.getFileName().toString()));
        }
        for (String needed : List.of("azure-cosmos-", "azure-storage-blob-", "azure-messaging-eventhubs-", "azure-identity-", "jackson-databind-")) {
            assertTrue(libraries.stream().anyMatch(jar -> jar.startsWith(needed)), "lib has " + needed);
        }
        for (String testOnly : List.of("testcontainers", "junit", "slf4j-simple", "netty-transport-native-epoll")) {
            assertFalse(libraries.stream().anyMatch(jar -> jar.contains(testOnly)), "lib must not hold " + testOnly);
        }
    }
}
