package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.common.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The run command's OpenID provider (NAV's mock-oauth2-server with {@code localhost/identity/config.json}:
 * the demo users viewer, operator and admin) as a separate process on a free loopback port, and a
 * client that signs a user in through it as the dashboard does: authorization code with PKCE.
 */
public final class LocalOpenIdProvider implements AutoCloseable {

    public static final String AUDIENCE = "api://sensorchat";
    public static final String CLIENT_ID = "sensorchat-dashboard";
    private static final String REDIRECT = "http://localhost:7071/";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Process process;
    private final int port;

    public LocalOpenIdProvider(Path logDirectory) throws Exception {
        Path identity = Path.of(System.getProperty("sensorchat.localhost.dir", "localhost")).resolve("identity");
        String classpath = Files.readString(identity.resolve("target/classpath.txt")).strip();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt");
        builder.environment().put("SERVER_HOSTNAME", "127.0.0.1");
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("JSON_CONFIG_PATH", identity.resolve("config.json").toAbsolutePath().toString());
        process = builder.redirectErrorStream(true).redirectOutput(logDirectory.resolve("openid-provider.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/isalive")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // starting
            }
            assertTrue(process.isAlive() && System.nanoTime() < deadline, "the OpenID provider started");
            Thread.sleep(200);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + port + "/sensorchat";
    }

    /** Signs {@code username} in on the provider's login page and returns the access token it issues. */
    public String signIn(String username) throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String authorize = issuer() + "/authorize?client_id=" + CLIENT_ID + "&response_type=code&redirect_uri=" + encode(REDIRECT)
                + "&scope=" + encode("openid profile " + AUDIENCE + "/.default") + "&state=s&nonce=n&code_challenge=" + challenge
                + "&code_challenge_method=S256";
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(authorize))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&claims=")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, login.statusCode(), login.body());
        String location = login.headers().firstValue("Location").orElseThrow();
        String code = URI.create(location).getQuery().split("code=")[1].split("&")[0];
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(issuer() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", List.of("grant_type=authorization_code", "code=" + code,
                        "redirect_uri=" + encode(REDIRECT), "client_id=" + CLIENT_ID, "code_verifier=" + verifier)))).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        JsonNode tokens = Json.MAPPER.readTree(token.body());
        return tokens.get("access_token").asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
