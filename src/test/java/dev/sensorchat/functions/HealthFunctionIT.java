package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.cosmos.CosmosClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /api/health against the real local servers, and against ones that are down or misconfigured. */
@ExtendWith(LocalAzureExtension.class)
class HealthFunctionIT {

    static final String SECRET_KEY = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";

    private static JsonNode call(AppContext app, TestExecutionContext context, int expectedStatus) throws IOException {
        HttpResponseMessage response = new HealthFunction(app::health).run(TestHttpRequest.get("http://localhost/api/health"), context);
        assertEquals(expectedStatus, response.getStatusCode(), () -> "body: " + response.getBody());
        assertEquals("application/json; charset=utf-8", response.getHeader("Content-Type"));
        return Json.MAPPER.readTree((String) response.getBody());
    }

    private static JsonNode dependency(JsonNode report, String name) {
        for (JsonNode dependency : report.get("dependencies")) {
            if (dependency.get("name").asText().equals(name)) {
                return dependency;
            }
        }
        throw new AssertionError("no dependency " + name + " in " + report);
    }

    @Test
    void healthyWhenCosmosDbAndBlobStorageAnswer(LocalAzure azure) throws IOException {
        try (AppContext app = azure.newAppContext()) {
            JsonNode report = call(app, new TestExecutionContext("health"), 200);

            assertEquals("healthy", report.get("status").asText());
            assertEquals(System.getProperty("sensorchat.expectedVersion"), report.get("version").asText());
            assertTrue(dependency(report, "cosmosDb").get("healthy").asBoolean());
            assertTrue(dependency(report, "blobStorage").get("healthy").asBoolean());
        }
    }

    @Test
    void unavailableWithinTheTimeoutWhenCosmosDbDoesNotAnswer(LocalAzure azure) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> unreachableCosmos = Map.of(
                AppContext.COSMOS_CONNECTION, "AccountEndpoint=https://127.0.0.1:" + closedPort + "/;AccountKey=" + SECRET_KEY + ";",
                AppContext.HEALTH_TIMEOUT_MS, "1500");
        try (AppContext app = azure.newAppContext(unreachableCosmos)) {
            TestExecutionContext context = new TestExecutionContext("health");
            long start = System.nanoTime();

            JsonNode report = call(app, context, 503);

            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs < 1500 + 2000, "answered after " + elapsedMs + " ms");
            assertEquals("unhealthy", report.get("status").asText());
            JsonNode cosmos = dependency(report, "cosmosDb");
            assertFalse(cosmos.get("healthy").asBoolean());
            assertNotNull(cosmos.get("error").asText());
            assertTrue(dependency(report, "blobStorage").get("healthy").asBoolean(), "the other dependency is still checked");
            assertFalse(report.toString().contains(SECRET_KEY), "the key never appears in the response");
            assertFalse(String.join("\n", context.loggedMessages()).contains(SECRET_KEY), "the key never appears in logs");
        }
    }

    @Test
    void unavailableNamingTheSettingWhenConfigurationIsWrong(LocalAzure azure) throws IOException {
        Map<String, String> badSettings = Map.of(
                AppContext.COSMOS_CONNECTION, "AccountEndpoint=not-a-url;AccountKey=" + SECRET_KEY + ";",
                AppContext.STORAGE_CONNECTION, "");
        try (AppContext app = azure.newAppContext(badSettings)) {
            JsonNode report = call(app, new TestExecutionContext("health"), 503);

            assertTrue(dependency(report, "cosmosDb").get("error").asText().contains("'CosmosDb'"));
            assertTrue(dependency(report, "blobStorage").get("error").asText().contains("'DataStorage'"));
            assertFalse(report.toString().contains(SECRET_KEY));
        }
    }

    @Test
    void unavailableNamingTheDatabaseWhenItDoesNotExist(LocalAzure azure) throws IOException {
        String missing = "absent-" + UUID.randomUUID();
        try (AppContext app = azure.newAppContext(Map.of(AppContext.COSMOS_DATABASE, missing, AppContext.AUTO_CREATE_RESOURCES, "false"))) {
            JsonNode report = call(app, new TestExecutionContext("health"), 503);

            assertEquals("Cosmos DB answered 404: database '" + missing + "' does not exist",
                    dependency(report, "cosmosDb").get("error").asText());
            // Nothing is created when auto-creation is off, so the blob containers are missing too, and said to be.
            assertTrue(dependency(report, "blobStorage").get("error").asText().matches("blob container '.+' does not exist"));
        }
    }

    @Test
    void unavailableNamingTheContainerWhenTheDatabaseLacksIt(LocalAzure azure) throws IOException {
        String databaseName = "partial-" + UUID.randomUUID();
        CosmosClient client = azure.cosmosClientBuilder().buildClient();
        try (client; AppContext app = azure.newAppContext(Map.of(AppContext.COSMOS_DATABASE, databaseName, AppContext.AUTO_CREATE_RESOURCES, "false"))) {
            client.createDatabase(databaseName); // a database without the app's containers, as after a half-done deployment

            JsonNode report = call(app, new TestExecutionContext("health"), 503);

            assertEquals("Cosmos DB answered a document read with 404: container 'devices' does not exist",
                    dependency(report, "cosmosDb").get("error").asText());
            client.getDatabase(databaseName).delete();
        }
    }
}
