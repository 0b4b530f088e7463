package dev.sensorchat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.JWKSet;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.config.SettingException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final String PRINCIPAL = Base64.getEncoder().encodeToString(("{\"auth_typ\":\"aad\",\"name_typ\":\"name\",\"role_typ\":\"roles\","
            + "\"claims\":[{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\",\"val\":\"oid-7\"},"
            + "{\"typ\":\"name\",\"val\":\"Grace Admin\"},{\"typ\":\"roles\",\"val\":\"viewer\"},{\"typ\":\"roles\",\"val\":\"admin\"}]}")
            .getBytes(StandardCharsets.UTF_8));

    private static Authenticator authenticator(boolean behindAppService) {
        AuthSettings settings = new AuthSettings(URI.create("https://login.example/tenant/v2.0"), List.of("api://sensorchat"),
                Duration.ofSeconds(60), behindAppService);
        return Authenticator.of(settings, new TokenVerifier(settings, new ImmutableJWKSet<>(new JWKSet()), Clock.systemUTC()));
    }

    private static Function<String, Optional<String>> headers(Map<String, String> values) {
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(values);
        return name -> Optional.ofNullable(caseless.get(name));
    }

    @Test
    void noCredentialsOrAMalformedAuthorizationHeaderIsUnauthenticated() {
        for (Map<String, String> sent : List.of(Map.<String, String>of(), Map.of("Authorization", "Basic dXNlcjpwYXNz"),
                Map.of("Authorization", "Bearer "), Map.of("authorization", "Bearerabc"))) {
            assertThrows(AuthException.Unauthenticated.class, () -> authenticator(false).authenticate(headers(sent)), sent::toString);
        }
    }

    @Test
    void theAppServicePrincipalIsBelievedOnlyBehindAppServiceAuthentication() {
        Map<String, String> sent = Map.of("x-ms-client-principal", PRINCIPAL);
        assertThrows(AuthException.Unauthenticated.class, () -> authenticator(false).authenticate(headers(sent)),
                "anyone can send the header to an app without the module in front");
        User user = authenticator(true).authenticate(headers(sent));
        assertEquals(new User("oid-7", "Grace Admin", Optional.of(Role.ADMIN)), user);
        assertThrows(AuthException.Unauthenticated.class, () -> authenticator(true).authenticate(headers(Map.of("X-MS-CLIENT-PRINCIPAL", "%%%"))));
    }

    @Test
    void theWrongRoleIsForbiddenAndSaysWhichRoleIsNeeded() {
        String viewerOnly = Base64.getEncoder().encodeToString("{\"claims\":[{\"typ\":\"oid\",\"val\":\"v\"},{\"typ\":\"roles\",\"val\":\"viewer\"}]}"
                .getBytes(StandardCharsets.UTF_8));
        Authenticator auth = authenticator(true);
        assertEquals("v", auth.authorize(headers(Map.of("X-MS-CLIENT-PRINCIPAL", viewerOnly)), Role.VIEWER).id());
        AuthException.Forbidden forbidden = assertThrows(AuthException.Forbidden.class,
                () -> auth.authorize(headers(Map.of("X-MS-CLIENT-PRINCIPAL", viewerOnly)), Role.OPERATOR));
        assertEquals("Your role (viewer) cannot do this; it needs operator.", forbidden.getMessage());
    }

    @Test
    void signInThatIsNotSetUpRefusesEveryone() {
        AuthException e = assertThrows(AuthException.Unauthenticated.class,
                () -> Authenticator.notConfigured().authenticate(headers(Map.of("X-MS-CLIENT-PRINCIPAL", PRINCIPAL))));
        assertTrue(e.getMessage().contains("AUTH_ISSUER"));
    }

    @Test
    void settingsNeedAnHttpsIssuerExceptOnThisMachineAndAnAudience() {
        assertEquals(Optional.empty(), AuthSettings.from(new AppSettings(Map.of())));
        AuthSettings local = AuthSettings.from(new AppSettings(Map.of("AUTH_ISSUER", "http://localhost:8090/sensorchat",
                "AUTH_AUDIENCE", "api://sensorchat, 1f0c3a2e-0000-4000-8000-000000000000"))).orElseThrow();
        assertEquals(List.of("api://sensorchat", "1f0c3a2e-0000-4000-8000-000000000000"), local.audiences());
        assertEquals(false, local.trustAppServicePrincipal());
        assertThrows(SettingException.class, () -> AuthSettings.from(new AppSettings(Map.of("AUTH_ISSUER", "http://idp.example/t",
                "AUTH_AUDIENCE", "x"))));
        assertThrows(SettingException.class, () -> AuthSettings.from(new AppSettings(Map.of("AUTH_ISSUER", "https://idp.example/t"))));
        assertTrue(AuthSettings.from(new AppSettings(Map.of("AUTH_ISSUER", "https://idp.example/t", "AUTH_AUDIENCE", "x",
                "WEBSITE_AUTH_ENABLED", "True"))).orElseThrow().trustAppServicePrincipal());
    }
}
