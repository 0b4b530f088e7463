package dev.sensorchat.auth;

import java.util.Optional;
import java.util.function.Function;

/**
 * Who is calling, from the request's headers: an access token ({@code Authorization: Bearer}), or,
 * behind App Service Authentication, the principal it passes on. Nothing else is a user: no token,
 * no user, whichever machine the request comes from.
 */
public final class Authenticator {

    private final Optional<AuthSettings> settings;
    private final TokenVerifier tokens;

    private Authenticator(Optional<AuthSettings> settings, TokenVerifier tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

    public static Authenticator of(AuthSettings settings, TokenVerifier tokens) {
        return new Authenticator(Optional.of(settings), tokens);
    }

    /** Sign-in not set up: every request is refused, saying so. */
    public static Authenticator notConfigured() {
        return new Authenticator(Optional.empty(), null);
    }

    public boolean configured() {
        return settings.isPresent();
    }

    /**
     * @param header a request header by name (case-insensitive), empty when absent
     * @throws AuthException.Unauthenticated     no credentials, or none that check out
     * @throws AuthException.ProviderUnavailable the identity provider cannot be reached to check them
     */
    public User authenticate(Function<String, Optional<String>> header) {
        if (settings.isEmpty()) {
            throw new AuthException.Unauthenticated("Sign-in is not set up on this app (AUTH_ISSUER and AUTH_AUDIENCE).");
        }
        Optional<String> authorization = header.apply("Authorization");
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
                throw new AuthException.Unauthenticated("Send the access token as Authorization: Bearer <token>.");
            }
            return tokens.verify(value.substring(7).strip());
        }
        if (settings.get().trustAppServicePrincipal()) {
            Optional<String> principal = header.apply(AppServicePrincipal.HEADER);
            if (principal.isPresent()) {
                return AppServicePrincipal.decode(principal.get());
            }
        }
        throw new AuthException.Unauthenticated("Sign in first: this needs an access token (Authorization: Bearer <token>).");
    }

    /** {@link #authenticate}, then the role the action needs (null: any signed-in user). */
    public User authorize(Function<String, Optional<String>> header, Role needed) {
        User user = authenticate(header);
        if (needed != null && !user.can(needed)) {
            throw new AuthException.Forbidden(user.role().map(role -> "Your role (" + role.claimValue() + ")").orElse("Your account, which has no role,")
                    + " cannot do this; it needs " + needed.claimValue() + ".");
        }
        return user;
    }
}
