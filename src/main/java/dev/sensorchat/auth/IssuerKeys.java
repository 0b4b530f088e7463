package dev.sensorchat.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.sensorchat.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;

/**
 * An OpenID provider's signing keys: its discovery document ({@code /.well-known/openid-configuration})
 * names the JWKS address, which is read on first use and cached for an hour. A token signed with a key
 * not in the cache makes it read again (a key rotation), at most once per rate-limit interval, so a
 * stream of forged key ids cannot hammer the provider. When the provider is down, keys read before stay
 * in use for a day. Discovery that fails is tried again on the next token.
 */
final class IssuerKeys implements JWKSource<SecurityContext> {

    static final Duration DEFAULT_RATE_LIMIT = Duration.ofSeconds(30);
    private static final int TIMEOUT_MS = 5_000;
    private static final int SIZE_LIMIT = 512 * 1024;

    private final URI issuer;
    private final Duration rateLimit;
    private final ResourceRetriever http = new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, SIZE_LIMIT);
    private volatile JWKSource<SecurityContext> keys;

    IssuerKeys(URI issuer, Duration rateLimit) {
        this.issuer = issuer;
        this.rateLimit = rateLimit;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return keys().get(selector, context);
    }

    private JWKSource<SecurityContext> keys() throws KeySourceException {
        JWKSource<SecurityContext> found = keys;
        if (found == null) {
            synchronized (this) {
                found = keys;
                if (found == null) {
                    found = JWKSourceBuilder.<SecurityContext>create(jwksUrl(), http)
                            .cache(Duration.ofHours(1).toMillis(), Duration.ofSeconds(15).toMillis())
                            .rateLimited(rateLimit.toMillis())
                            .outageTolerant(Duration.ofDays(1).toMillis())
                            .build();
                    keys = found;
                }
            }
        }
        return found;
    }

    private URL jwksUrl() throws KeySourceException {
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        try {
            String document = http.retrieveResource(URI.create(base + ".well-known/openid-configuration").toURL()).getContent();
            JsonNode configuration = Json.MAPPER.readTree(document);
            if (!issuer.toString().equals(configuration.path("issuer").asText())) { // OpenID Connect Discovery 1.0, section 4.3
                throw new KeySourceException("the discovery document of " + issuer + " names another issuer: "
                        + configuration.path("issuer").asText());
            }
            URI jwks = URI.create(configuration.path("jwks_uri").asText());
            boolean local = "http".equalsIgnoreCase(jwks.getScheme()) && AuthSettings.isLoopback(jwks.getHost());
            if (!"https".equalsIgnoreCase(jwks.getScheme()) && !local) {
                throw new KeySourceException("the discovery document of " + issuer + " names no https jwks_uri");
            }
            return jwks.toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new KeySourceException("the discovery document of " + issuer + " cannot be read: " + e.getMessage(), e);
        }
    }
}
