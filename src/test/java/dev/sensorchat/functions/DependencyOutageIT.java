package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.ChatDeliveries.Signing;
import dev.sensorchat.testing.CosmosFaults;
import dev.sensorchat.testing.CosmosFaults.Fault;
import dev.sensorchat.testing.CosmosFaults.Mode;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Honest signals during a Cosmos DB outage of the data plane alone (document requests answered
 * 503, metadata still fine, as when a region's partitions fail): the API and the chat webhook say
 * 503 with {@code Retry-After}, never a bare 500, and health says the dependency is down. When
 * the outage ends, all of them recover by themselves.
 */
@ExtendWith(LocalAzureExtension.class)
class DependencyOutageIT {

    private static AppContext app;
    private static CosmosFaults faults;

    @BeforeAll
    static void open(LocalAzure azure) {
        faults = azure.cosmosFaults();
        assumeTrue(faults.isSupported(), "fault injection needs the npm servers");
        app = azure.newAppContext(ChatDeliveries.settings(null));
        app.health().check(); // clients built and the database provisioned before the outage
        app.devices().list(null, 1, null);
    }

    @AfterAll
    static void close() {
        if (app != null) {
            faults.off();
            app.close();
        }
    }

    @Test
    void anOutageIs503WithRetryAfterEverywhereAndHealthSaysSo() throws IOException {
        faults.inject(Fault.of(Mode.UNAVAILABLE, Duration.ofSeconds(30)));
        try {
            TestExecutionContext apiContext = new TestExecutionContext("listDevices");
            HttpResponseMessage devices = new DevicesApi(app).list(TestHttpRequest.get("http://localhost/api/devices"), apiContext);
            assertEquals(503, devices.getStatusCode(), () -> String.valueOf(devices.getBody()));
            assertEquals("10", devices.getHeader("Retry-After"));
            JsonNode problem = Json.MAPPER.readTree((String) devices.getBody());
            assertEquals("Service unavailable", problem.get("title").asText());
            assertTrue(apiContext.loggedMessages().stream().anyMatch(line -> line.contains("a dependency is down")),
                    "logged as a failure: " + apiContext.loggedMessages());

            HttpResponseMessage chat = new ChatWebhook(app).deliver(
                    ChatDeliveries.generic(UUID.randomUUID().toString(), "room-outage", "status kiln-1", Signing.VALID, Instant.now()));
            assertEquals(503, chat.getStatusCode(), () -> String.valueOf(chat.getBody()));
            assertEquals("10", chat.getHeader("Retry-After"), "the platform retries after the outage");

            HttpResponseMessage health = new HealthFunction(app::health).run(TestHttpRequest.get("http://localhost/api/health"),
                    new TestExecutionContext("health"));
            assertEquals(503, health.getStatusCode(), () -> String.valueOf(health.getBody()));
            JsonNode report = Json.MAPPER.readTree((String) health.getBody());
            JsonNode cosmos = report.get("dependencies").get(0);
            assertEquals("cosmosDb", cosmos.get("name").asText());
            assertFalse(cosmos.get("healthy").asBoolean(), report::toString);
        } finally {
            faults.off();
        }

        HttpResponseMessage recovered = new HealthFunction(app::health).run(TestHttpRequest.get("http://localhost/api/health"),
                new TestExecutionContext("health"));
        assertEquals(200, recovered.getStatusCode(), () -> String.valueOf(recovered.getBody()));
        HttpResponseMessage chat = new ChatWebhook(app).deliver(
                ChatDeliveries.generic(UUID.randomUUID().toString(), "room-outage", "help", Signing.VALID, Instant.now()));
        assertEquals(200, chat.getStatusCode(), () -> String.valueOf(chat.getBody()));
    }
}
