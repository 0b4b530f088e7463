package dev.sensorchat.auth;

import dev.sensorchat.config.AppSettings;
import dev.sensorchat.config.SettingException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How signed-in users are recognised.
 *
 * @param issuer                    the OpenID provider whose access tokens are accepted (Entra ID:
 *                                  {@code https://login.microsoftonline.com/<tenant>/v2.0}); its keys are
 *                                  found through {@code <issuer>/.well-known/openid-configuration}
 * @param audiences                 what a token's {@code aud} must name: the API's client id or app id URI
 * @param clockSkew                 tolerance on {@code exp} and {@code nbf} between clocks
 * @param trustAppServicePrincipal  whether {@code X-MS-CLIENT-PRINCIPAL} is believed: only behind App
 *                                  Service Authentication, which sets the header itself and strips it from
 *                                  what callers send (the platform sets {@code WEBSITE_AUTH_ENABLED} then)
 */
public record AuthSettings(URI issuer, List<String> audiences, Duration clockSkew, boolean trustAppServicePrincipal) {

    public static final String AUTH_ISSUER = "AUTH_ISSUER";
    public static final String AUTH_AUDIENCE = "AUTH_AUDIENCE";
    public static final String AUTH_CLOCK_SKEW_SECONDS = "AUTH_CLOCK_SKEW_SECONDS";
    /** Set by App Service when its authentication module runs in front of the app. */
    public static final String WEBSITE_AUTH_ENABLED = "WEBSITE_AUTH_ENABLED";

    public AuthSettings {
        audiences = List.copyOf(audiences);
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience");
        }
    }

    /** The settings, or empty when sign-in is not set up ({@code AUTH_ISSUER} absent). */
    public static Optional<AuthSettings> from(AppSettings settings) {
        Optional<String> issuer = settings.find(AUTH_ISSUER);
        boolean appService = settings.find(WEBSITE_AUTH_ENABLED).map(Boolean::parseBoolean).orElse(false);
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        URI uri = settings.endpoint(AUTH_ISSUER, issuer.get());
        if ("http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
            throw new SettingException(AUTH_ISSUER, "must be https (plain http is accepted only for a provider on this machine).");
        }
        String audience = settings.require(AUTH_AUDIENCE, "the API's client id or app id URI, as tokens name it in aud");
        List<String> audiences = Arrays.stream(audience.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
        Duration skew = Duration.ofSeconds(settings.positiveInt(AUTH_CLOCK_SKEW_SECONDS, 60));
        return Optional.of(new AuthSettings(uri, audiences, skew, appService));
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1"));
    }

    /** The issuer as tokens carry it in {@code iss}: no trailing slash added or removed. */
    public String issuerClaim() {
        return issuer.toString();
    }
}
