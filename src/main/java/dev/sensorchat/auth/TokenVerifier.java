package dev.sensorchat.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an access token as a resource server must: a JWT signed by one of the issuer's published
 * keys (asymmetric algorithms only, so a token cannot be signed with a shared secret or "none"), from
 * that issuer exactly, for this API, and within its lifetime. What it grants comes from its
 * {@code roles} claim (Entra ID's app roles). Every refusal says what was wrong in the caller's terms.
 */
public final class TokenVerifier {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    private final AuthSettings settings;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        // Entra ID's access tokens say "JWT"; RFC 9068's say "at+jwt"; some providers say nothing.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(null); // the claims are checked below, against this class's clock
    }

    /** With the issuer's keys found through its discovery document, cached and refreshed (see {@link IssuerKeys}). */
    public static TokenVerifier discovering(AuthSettings settings, Clock clock) {
        return new TokenVerifier(settings, new IssuerKeys(settings.issuer(), IssuerKeys.DEFAULT_RATE_LIMIT), clock);
    }

    /**
     * @throws AuthException.Unauthenticated     the token is not one this API accepts
     * @throws AuthException.ProviderUnavailable the issuer's keys cannot be fetched, so the token cannot be judged
     */
    public User verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new AuthException.Unauthenticated("The access token is not a JWT.");
        } catch (BadJOSEException e) {
            throw new AuthException.Unauthenticated("The access token is not signed by a key of " + settings.issuerClaim()
                    + " with an accepted algorithm.");
        } catch (RateLimitReachedException e) {
            throw new AuthException.Unauthenticated("The access token names a signing key " + settings.issuerClaim() + " does not publish.");
        } catch (JOSEException e) {
            throw new AuthException.ProviderUnavailable("The keys of " + settings.issuerClaim() + " cannot be fetched", e);
        }
        return userOf(claims);
    }

    private User userOf(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Duration skew = settings.clockSkew();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new AuthException.Unauthenticated("The access token has no expiry (exp).");
        }
        if (now.isAfter(expires.toInstant().plus(skew))) {
            throw new AuthException.Unauthenticated("The access token has expired; sign in again.");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(skew))) {
            throw new AuthException.Unauthenticated("The access token is not valid yet (nbf).");
        }
        if (!settings.issuerClaim().equals(claims.getIssuer())) {
            throw new AuthException.Unauthenticated("The access token was issued by " + quoted(claims.getIssuer()) + ", not by "
                    + settings.issuerClaim() + ".");
        }
        List<String> audience = claims.getAudience();
        if (audience.stream().noneMatch(settings.audiences()::contains)) {
            throw new AuthException.Unauthenticated("The access token is not for this API (its audience is " + audience + ").");
        }
        String id = text(claims, "oid").or(() -> Optional.ofNullable(claims.getSubject()))
                .orElseThrow(() -> new AuthException.Unauthenticated("The access token names no user (oid or sub)."));
        String name = text(claims, "name").or(() -> text(claims, "preferred_username")).orElse(id);
        return new User(id, name, highestRole(stringList(claims, "roles")));
    }

    static Optional<Role> highestRole(List<String> values) {
        return values.stream().map(Role::fromClaim).flatMap(Optional::stream).max(Enum::compareTo);
    }

    private static Optional<String> text(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value && !value.isBlank() ? Optional.of(value) : Optional.empty();
    }

    private static List<String> stringList(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        if (value instanceof String single) {
            return List.of(single);
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    private static String quoted(String value) {
        return value == null ? "nobody" : "'" + value + "'";
    }
}
