package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.sensorchat.auth.AuthSettings;
import dev.sensorchat.common.Lazy;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.dashboard.StaticAssets;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.reports.ReportHtml;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the dashboard, the app's browser client, from the same origin as its API (so no CORS): its
 * page at {@code /} (and at its views' paths), its scripts and styles under {@code /assets/}, and
 * {@code /app/config.json}, what the page needs to sign its user in. Everything here is public; the
 * data is behind {@code /app/api/}, which wants a token.
 */
public final class DashboardFunction {

    public static final String AUTH_CLIENT_ID = "AUTH_CLIENT_ID";
    public static final String AUTH_SCOPE = "AUTH_SCOPE";

    private static final Lazy<StaticAssets> ASSETS = new Lazy<>(StaticAssets::fromClasspath);

    private final AppSettings settings;
    private final Lazy<StaticAssets> assets;

    public DashboardFunction() {
        this(AppSettings.fromEnvironment(), ASSETS);
    }

    DashboardFunction(AppSettings settings, Lazy<StaticAssets> assets) {
        this.settings = settings;
        this.assets = assets;
    }

    @FunctionName("dashboard")
    public HttpResponseMessage serve(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "{*path}") HttpRequestMessage<Optional<String>> request,
            @BindingName("path") String path,
            ExecutionContext context) {
        try (Invocation ignored = Invocations.open(context)) {
            Optional<StaticAssets.Asset> found = assets.get().find(path == null ? "/" : path);
            if (found.isEmpty()) {
                return Api.problem(request, HttpStatus.NOT_FOUND, "Not found", "Nothing is served at " + request.getUri().getPath() + ".", List.of());
            }
            StaticAssets.Asset asset = found.get();
            HttpResponseMessage.Builder response;
            if (Api.header(request, "If-None-Match").map(tags -> HttpResponses.holds(tags, asset.etag())).orElse(false)) {
                response = request.createResponseBuilder(HttpStatus.NOT_MODIFIED);
            } else {
                response = request.createResponseBuilder(HttpStatus.OK).header("Content-Type", asset.contentType()).body(asset.content());
            }
            response.header("ETag", asset.etag())
                    .header("Cache-Control", asset.immutable() ? "public, max-age=31536000, immutable" : "no-cache")
                    .header("X-Content-Type-Options", "nosniff");
            if (!asset.immutable()) {
                response.header("Content-Security-Policy", contentSecurityPolicy()).header("Referrer-Policy", "no-referrer");
            }
            return response.build();
        }
    }

    /** What the page needs to sign in: the provider, the page's own client id, and the API's scope. */
    @FunctionName("dashboardConfig")
    public HttpResponseMessage config(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/config.json") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respondWith(request, context, () -> {
            Optional<AuthSettings> auth = AuthSettings.from(settings); // as the API reads them: a malformed one is named in the 500's log
            Optional<String> clientId = settings.find(AUTH_CLIENT_ID);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("signIn", auth.isPresent() && clientId.isPresent());
            auth.ifPresent(value -> config.put("issuer", value.issuerClaim()));
            clientId.ifPresent(value -> config.put("clientId", value));
            String scope = auth.map(value -> value.audiences().get(0) + "/.default").orElse("");
            config.put("scope", "openid profile " + settings.get(AUTH_SCOPE, scope).strip());
            return HttpResponses.json(request, HttpStatus.OK, config).header("Cache-Control", "no-cache").build();
        });
    }

    /** Scripts and styles from this origin only; the identity provider may be talked to (discovery, tokens). */
    private String contentSecurityPolicy() {
        String provider = settings.find(AuthSettings.AUTH_ISSUER).map(DashboardFunction::origin).map(origin -> " " + origin).orElse("");
        // The daily report, shown in a frame from a blob, falls under this policy: its one style element is allowed by its hash.
        return "default-src 'self'; script-src 'self'; style-src 'self' " + ReportHtml.styleHashSource()
                + "; img-src 'self' data:; connect-src 'self'" + provider
                + "; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'" + provider;
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }
}
