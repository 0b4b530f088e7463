package dev.sensorchat.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An OpenID provider on loopback, over real HTTP: the discovery document and the JWKS, as Entra ID
 * publishes them, and access tokens signed with its key. It stands in for Entra ID, which cannot be
 * reached from here; the app's verifier fetches and checks these exactly as it would Entra ID's.
 */
public final class TestIdentityProvider implements AutoCloseable {

    public static final String AUDIENCE = "api://sensorchat-test";

    private final HttpServer server;
    private final String issuer;
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger jwksReads = new AtomicInteger();
    private volatile RSAKey key;

    public TestIdentityProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/tenant";
        published.set(new JWKSet(key.toPublicJWK()));
        server.createContext("/tenant/.well-known/openid-configuration", exchange -> {
            byte[] body = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/tenant/keys", exchange -> {
            jwksReads.incrementAndGet();
            byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String issuer() {
        return issuer;
    }

    /** The key tokens are signed with. */
    public RSAKey key() {
        return key;
    }

    /** Signs from now on with {@code next}, and publishes {@code keys}. */
    public void rotate(RSAKey next, JWKSet keys) {
        key = next;
        published.set(keys);
    }

    public void publish(JWKSet keys) {
        published.set(keys);
    }

    public int jwksReads() {
        return jwksReads.get();
    }

    /** Valid claims for a user: this issuer, the test audience, an hour to live from {@code now}. */
    public JWTClaimsSet.Builder claims(String userId, String name, List<String> roles, Instant now) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE).subject("sub-" + userId).claim("oid", userId)
                .claim("name", name).claim("roles", roles).issueTime(Date.from(now.minusSeconds(60)))
                .notBeforeTime(Date.from(now.minusSeconds(60))).expirationTime(Date.from(now.plusSeconds(3600)));
    }

    /** A signed token for a user with these app roles, valid now. */
    public String token(String userId, String name, String... roles) {
        return sign(key, claims(userId, name, List.of(roles), Instant.now()).build());
    }

    /** A signed token with valid claims as {@code change} leaves them. */
    public String token(Instant now, Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder builder = claims("oid-1", "Ada Operator", List.of("operator"), now);
        change.accept(builder);
        return sign(key, builder.build());
    }

    public static String sign(RSAKey with, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(with));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
