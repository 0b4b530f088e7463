package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.common.Json;
import dev.sensorchat.common.Lazy;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.dashboard.StaticAssets;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard as a browser fetches it: the page, its hashed assets, caching, and what is not there. */
class DashboardFunctionTest {

    private final DashboardFunction function = new DashboardFunction(new AppSettings(Map.of("AUTH_ISSUER",
            "https://login.microsoftonline.com/tenant-1/v2.0", "AUTH_AUDIENCE", "api://sensorchat", "AUTH_CLIENT_ID", "spa-client")),
            new Lazy<>(StaticAssets::fromClasspath));

    private HttpResponseMessage get(String path, String... headers) {
        TestHttpRequest request = TestHttpRequest.get("http://localhost:7071" + path);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return function.serve(request, path.substring(1), new TestExecutionContext("dashboard"));
    }

    private static String text(HttpResponseMessage response) {
        return new String((byte[]) response.getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void thePageIsRevalidatedAndItsAssetsAreCachedForAYearUnderNamesThatChangeWithTheirContent() {
        HttpResponseMessage page = get("/");
        assertEquals(200, page.getStatusCode());
        assertEquals("text/html; charset=utf-8", page.getHeader("Content-Type"));
        assertEquals("no-cache", page.getHeader("Cache-Control"));
        String csp = page.getHeader("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self' https://login.microsoftonline.com"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);

        Matcher script = Pattern.compile("src=\"(/assets/app\\.[0-9a-f]{10}\\.js)\"").matcher(text(page));
        assertTrue(script.find(), text(page));
        HttpResponseMessage asset = get(script.group(1));
        assertEquals(200, asset.getStatusCode());
        assertEquals("text/javascript; charset=utf-8", asset.getHeader("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", asset.getHeader("Cache-Control"));

        HttpResponseMessage again = get("/", "If-None-Match", page.getHeader("ETag"));
        assertEquals(304, again.getStatusCode(), "an unchanged page is not sent again");
        assertEquals(page.getHeader("ETag"), again.getHeader("ETag"));
        assertEquals(200, get("/", "If-None-Match", "\"another\"").getStatusCode());
    }

    @Test
    void theViewsPathsServeThePageAndNothingElseExists() {
        assertEquals(text(get("/")), text(get("/devices/boiler-1")), "the page routes its own views");
        for (String missing : List.of("/assets/app.js", "/assets/app.0000000000.js", "/favicon.ico", "/index.html.bak", "/app.js",
                "/assets/../index.html", "/..%2Fpom.xml", "/api/unknown", "/app/api/unknown")) {
            HttpResponseMessage response = get(missing);
            assertEquals(404, response.getStatusCode(), missing);
            assertEquals("application/problem+json; charset=utf-8", response.getHeader("Content-Type"), missing);
        }
    }

    @Test
    void theDashboardsScriptsParse() throws Exception {
        // A syntax error would only show in a browser; Node (which the build needs anyway) finds it here.
        for (String script : List.of("src/main/dashboard/app.js", "src/test/dashboard-e2e/dashboard.mjs")) {
            Process check = new ProcessBuilder("node", "--check", script).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.waitFor(), script + ": " + output);
        }
    }

    @Test
    void theConfigurationTellsThePageHowToSignIn() throws Exception {
        TestHttpRequest request = TestHttpRequest.get("http://localhost:7071/app/config.json");
        JsonNode config = Json.MAPPER.readTree((String) function.config(request, new TestExecutionContext("dashboardConfig")).getBody());
        assertEquals(true, config.get("signIn").asBoolean());
        assertEquals("https://login.microsoftonline.com/tenant-1/v2.0", config.get("issuer").asText());
        assertEquals("spa-client", config.get("clientId").asText());
        assertEquals("openid profile api://sensorchat/.default", config.get("scope").asText());

        DashboardFunction unconfigured = new DashboardFunction(new AppSettings(Map.of()), new Lazy<>(StaticAssets::fromClasspath));
        JsonNode none = Json.MAPPER.readTree((String) unconfigured.config(request, new TestExecutionContext("dashboardConfig")).getBody());
        assertEquals(false, none.get("signIn").asBoolean());
    }

    @Test
    void everyFileThePageNamesIsServedAndTheLibrariesAreTheBuiltOnes() {
        String page = text(get("/"));
        Matcher reference = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(page);
        List<String> names = new java.util.ArrayList<>();
        while (reference.find()) {
            HttpResponseMessage asset = get(reference.group(1));
            assertEquals(200, asset.getStatusCode(), reference.group(1));
            names.add(reference.group(1).replaceAll("\\.[0-9a-f]{10}\\.", "."));
        }
        assertEquals(List.of("/assets/uPlot.min.css", "/assets/app.css", "/assets/oidc-client-ts.min.js", "/assets/uPlot.iife.min.js",
                "/assets/app.js"), names);
        assertTrue(text(get(page.replaceAll("(?s).*src=\"(/assets/oidc-client-ts\\.min\\.[0-9a-f]{10}\\.js)\".*", "$1")))
                .contains("var oidc="), "the library's browser build, copied from npm by the build");
    }
}
