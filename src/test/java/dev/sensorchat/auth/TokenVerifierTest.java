package dev.sensorchat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.sensorchat.testing.TestIdentityProvider;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access tokens as an attacker and a careless client send them, against an OpenID provider served over
 * real HTTP on loopback ({@link TestIdentityProvider}: discovery document and JWKS, as Entra ID publishes them).
 */
class TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final String AUDIENCE = TestIdentityProvider.AUDIENCE;

    private TestIdentityProvider provider;
    private TokenVerifier verifier;

    @BeforeEach
    void startProvider() {
        provider = new TestIdentityProvider();
        verifier = verifier(Duration.ofMillis(1));
    }

    private TokenVerifier verifier(Duration rateLimit) {
        AuthSettings settings = new AuthSettings(URI.create(provider.issuer()), List.of(AUDIENCE), Duration.ofSeconds(60), false);
        return new TokenVerifier(settings, new IssuerKeys(settings.issuer(), rateLimit), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    private JWTClaimsSet.Builder claims() {
        return provider.claims("oid-1", "Ada Operator", List.of("operator"), NOW);
    }

    private static String sign(RSAKey with, JWTClaimsSet claims) {
        return TestIdentityProvider.sign(with, claims);
    }

    private String token(Consumer<JWTClaimsSet.Builder> change) {
        return provider.token(NOW, change);
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
        assertEquals("sub-oid-1", bySubject.id());
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
        assertTrue(refusal(token(c -> c.issuer(provider.issuer() + "/"))).contains("issued by"), "the issuer must match exactly");
        assertTrue(refusal(token(c -> c.issuer(null))).contains("issued by nobody"));
    }

    @Test
    void forgedTokensAreRefused() throws Exception {
        // Signed by another key that claims the published key's id.
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("key-1").generate();
        assertTrue(refusal(sign(impostor, claims().build())).contains("not signed by a key of"));

        // A valid token with its claims changed after signing.
        String[] parts = sign(provider.key(), claims().build()).split("\\.");
        String elevated = Base64URL.encode(claims().claim("roles", List.of("admin")).build().toString()).toString();
        assertTrue(refusal(parts[0] + "." + elevated + "." + parts[2]).contains("not signed by a key of"));

        // alg "none", and HS256 keyed with the public key (the algorithm confusion attack).
        assertTrue(refusal(new PlainJWT(claims().build()).serialize()).contains("not signed"));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims().build());
        hmac.sign(new MACSigner(provider.key().toRSAPublicKey().getEncoded()));
        assertTrue(refusal(hmac.serialize()).contains("not signed by a key of"));

        assertEquals("The access token is not a JWT.", refusal("not-a-token"));
        assertEquals("The access token is not a JWT.", refusal("a.b.c"));
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesItAndTheKeysAreOtherwiseCached() throws Exception {
        verifier.verify(token(c -> { }));
        verifier.verify(token(c -> { }));
        assertEquals(1, provider.jwksReads(), "the keys are read once, then cached");

        RSAKey rotated = new RSAKeyGenerator(2048).keyID("key-2").generate();
        provider.publish(new JWKSet(List.of(rotated.toPublicJWK(), provider.key().toPublicJWK())));
        Thread.sleep(5); // past this test's 1 ms rate limit
        User user = verifier.verify(sign(rotated, claims().build()));
        assertEquals("oid-1", user.id());
        assertEquals(2, provider.jwksReads(), "an unknown key id made the verifier read the keys again");

        provider.publish(new JWKSet(rotated.toPublicJWK())); // the old key retired
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
        assertTrue(provider.jwksReads() <= 2, "one refresh per rate-limit interval at most, not one per forged key id: " + provider.jwksReads());
    }

    @Test
    void aProviderThatCannotBeReachedIsAnOutageNotABadToken() throws Exception {
        String token = token(c -> { });
        provider.close();
        assertThrows(AuthException.ProviderUnavailable.class, () -> verifier.verify(token));
    }
}
