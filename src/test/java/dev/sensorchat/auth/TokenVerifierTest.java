package dev.sensorchat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access tokens as an attacker and a careless client send them, against an OpenID provider served over
 * real HTTP on loopback (discovery document and JWKS, as Entra ID and the local provider publish them).
 */
class TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final String AUDIENCE = "api://sensorchat";

    private HttpServer provider;
    private String issuer;
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger jwksReads = new AtomicInteger();
    private RSAKey key;
    private TokenVerifier verifier;

    @BeforeEach
    void startProvider() throws Exception {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + provider.getAddress().getPort() + "/tenant";
        provider.createContext("/tenant/.well-known/openid-configuration", exchange -> {
            byte[] body = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.createContext("/tenant/keys", exchange -> {
            jwksReads.incrementAndGet();
            byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.start();
        key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        published.set(new JWKSet(key.toPublicJWK()));
        verifier = verifier(Duration.ofMillis(1));
    }

    private TokenVerifier verifier(Duration rateLimit) {
        AuthSettings settings = new AuthSettings(URI.create(issuer), List.of(AUDIENCE), Duration.ofSeconds(60), false);
        return new TokenVerifier(settings, new IssuerKeys(settings.issuer(), rateLimit), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopProvider() {
        provider.stop(0);
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE).subject("sub-1").claim("oid", "oid-1")
                .claim("name", "Ada Operator").claim("roles", List.of("operator"))
                .issueTime(Date.from(NOW.minusSeconds(60))).notBeforeTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(3600)));
    }

    private static String sign(RSAKey with, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private String token(Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        JWTClaimsSet.Builder builder = claims();
        change.accept(builder);
        return sign(key, builder.build());
    }

    private String refusal(String token) {
        return assertThrows(AuthException.Unauthenticated.class, () -> verifier.verify(token)).getMessage();
    }

    @Test
    void aValidTokenIsItsUserWithTheHighestRoleItGrants() throws Exception {
        User user = verifier.verify(token(c -> c.claim("roles", List.of("viewer", "operator", "unrelated"))));
        assertEquals(new User("oid-1", "Ada Operator", Optional.of(Role.OPERATOR)), user);
        assertTrue(user.can(Role.VIEWER) && user.can(Role.OPERATOR));
        assertFalse(user.can(Role.ADMIN));

        User noRole = verifier.verify(token(c -> c.claim("roles", null).claim("name", null).claim("preferred_username", "bob@example.com")));
        assertEquals(Optional.empty(), noRole.role());
        assertEquals("bob@example.com", noRole.name());
        assertFalse(noRole.can(Role.VIEWER), "signed in, but without an app role: nothing");

        User bySubject = verifier.verify(token(c -> c.claim("oid", null).claim("roles", "ADMIN")));
        assertEquals("sub-1", bySubject.id());
        assertEquals(Optional.of(Role.ADMIN), bySubject.role());
    }

    @Test
    void expiredAndNotYetValidTokensAreRefusedBeyondTheClockSkew() throws Exception {
        assertTrue(refusal(token(c -> c.expirationTime(Date.from(NOW.minusSeconds(61))))).contains("expired"));
        verifier.verify(token(c -> c.expirationTime(Date.from(NOW.minusSeconds(30))))); // within 60 s of skew
        assertTrue(refusal(token(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(120))))).contains("not valid yet"));
        assertTrue(refusal(token(c -> c.expirationTime(null))).contains("no expiry"));
    }

    @Test
    void tokensForAnotherAudienceOrFromAnotherIssuerAreRefused() throws Exception {
        assertTrue(refusal(token(c -> c.audience("api://another-app"))).contains("not for this API"));
        assertTrue(refusal(token(c -> c.audience((String) null))).contains("not for this API"));
        assertTrue(refusal(token(c -> c.issuer("https://login.microsoftonline.com/another-tenant/v2.0"))).contains("issued by"));
        assertTrue(refusal(token(c -> c.issuer(issuer + "/"))).contains("issued by"), "the issuer must match exactly");
        assertTrue(refusal(token(c -> c.issuer(null))).contains("issued by nobody"));
    }

    @Test
    void forgedTokensAreRefused() throws Exception {
        // Signed by another key that claims the published key's id.
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("key-1").generate();
        assertTrue(refusal(sign(impostor, claims().build())).contains("not signed by a key of"));

        // A valid token with its claims changed after signing.
        String[] parts = sign(key, claims().build()).split("\\.");
        String elevated = Base64URL.encode(claims().claim("roles", List.of("admin")).build().toString()).toString();
        assertTrue(refusal(parts[0] + "." + elevated + "." + parts[2]).contains("not signed by a key of"));

        // alg "none", and HS256 keyed with the public key (the algorithm confusion attack).
        assertTrue(refusal(new PlainJWT(claims().build()).serialize()).contains("not signed"));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims().build());
        hmac.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        assertTrue(refusal(hmac.serialize()).contains("not signed by a key of"));

        assertEquals("The access token is not a JWT.", refusal("not-a-token"));
        assertEquals("The access token is not a JWT.", refusal("a.b.c"));
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesItAndTheKeysAreOtherwiseCached() throws Exception {
        verifier.verify(token(c -> { }));
        verifier.verify(token(c -> { }));
        assertEquals(1, jwksReads.get(), "the keys are read once, then cached");

        RSAKey rotated = new RSAKeyGenerator(2048).keyID("key-2").generate();
        published.set(new JWKSet(List.of(rotated.toPublicJWK(), key.toPublicJWK())));
        Thread.sleep(5); // past this test's 1 ms rate limit
        User user = verifier.verify(sign(rotated, claims().build()));
        assertEquals("oid-1", user.id());
        assertEquals(2, jwksReads.get(), "an unknown key id made the verifier read the keys again");

        published.set(new JWKSet(rotated.toPublicJWK())); // the old key retired
        Thread.sleep(5);
        assertTrue(refusal(sign(new RSAKeyGenerator(2048).keyID("key-3").generate(), claims().build())).contains("not signed"));
    }

    @Test
    void unknownKeyIdsCannotMakeTheVerifierHammerTheProvider() throws Exception {
        TokenVerifier limited = verifier(Duration.ofMinutes(5));
        limited.verify(token(c -> { }));
        for (int i = 0; i < 20; i++) {
            String forged = sign(new RSAKeyGenerator(2048).keyID("forged-" + i).generate(), claims().build());
            assertThrows(AuthException.Unauthenticated.class, () -> limited.verify(forged));
        }
        assertTrue(jwksReads.get() <= 2, "one refresh per rate-limit interval at most, not one per forged key id: " + jwksReads.get());
    }

    @Test
    void aProviderThatCannotBeReachedIsAnOutageNotABadToken() throws Exception {
        String token = token(c -> { });
        provider.stop(0);
        assertThrows(AuthException.ProviderUnavailable.class, () -> verifier.verify(token));
    }
}
