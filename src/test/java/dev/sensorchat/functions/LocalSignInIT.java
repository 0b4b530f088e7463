package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.testing.LocalOpenIdProvider;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The run command's sign-in: the three demo users of the local OpenID provider sign in through it
 * (authorization code with PKCE, as the dashboard does), and the app checks their tokens exactly as
 * it checks Entra ID's (discovery, keys, issuer, audience, lifetime), nothing trusted for being local.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalSignInIT {

    private LocalOpenIdProvider provider;
    private AppContext app;

    @BeforeAll
    void start() throws Exception {
        provider = new LocalOpenIdProvider(Files.createTempDirectory("local-sign-in-it"));
        app = new AppContext(new AppSettings(Map.of("AUTH_ISSUER", provider.issuer(), "AUTH_AUDIENCE", LocalOpenIdProvider.AUDIENCE)));
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private JsonNode me(String token, int expected) throws Exception {
        HttpResponseMessage response = new AccountApi(app).me(TestHttpRequest.get("http://localhost:7071/app/api/me")
                .header("Authorization", "Bearer " + token), new TestExecutionContext("appMe"));
        assertEquals(expected, response.getStatusCode(), () -> String.valueOf(response.getBody()));
        return Json.MAPPER.readTree((String) response.getBody());
    }

    @Test
    void eachDemoUserSignsInWithTheirRole() throws Exception {
        for (var user : List.of(List.of("viewer", "Vera Viewer", "viewer"), List.of("operator", "Olga Operator", "operator"),
                List.of("admin", "Ada Admin", "admin"))) {
            JsonNode me = me(provider.signIn(user.get(0)), 200);
            assertEquals(user.get(1), me.get("name").asText());
            assertEquals(user.get(2), me.get("role").asText());
        }
        JsonNode stranger = me(provider.signIn("mallory"), 200);
        assertEquals(List.of(), Json.MAPPER.convertValue(stranger.get("can"), List.class), "any other name signs in, with no role");
    }

    @Test
    void aLocalTokenChangedByHandIsRefusedAsAnyOther() throws Exception {
        String[] parts = provider.signIn("viewer").split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"viewer\"]", "\"admin\"]");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        me(forged, 401);
    }
}
