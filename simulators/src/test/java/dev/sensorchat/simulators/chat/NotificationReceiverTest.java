package dev.sensorchat.simulators.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotificationReceiverTest {

    private static final String SECRET = "generic-secret";
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String NOTIFICATION =
            "{\"conversationId\":\"ops\",\"text\":\"**boiler-1**: temperature 31 > 30\\nsince 09:55\",\"format\":\"markdown\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private NotificationReceiver receiver;

    @AfterEach
    void stop() {
        receiver.close();
    }

    private void start(String secret) throws Exception {
        receiver = NotificationReceiver.start(0, secret, Clock.fixed(NOW, ZoneOffset.UTC), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private int post(String body, long timestamp, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(receiver.url()).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (signature != null) {
            request.header("X-Sensorchat-Timestamp", String.valueOf(timestamp)).header("X-Sensorchat-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String sign(String secret, long timestamp, String body) {
        return GenericClient.sign(secret.getBytes(StandardCharsets.UTF_8), timestamp, body);
    }

    @Test
    void printsACorrectlySignedNotification() throws Exception {
        start(SECRET);
        long ts = NOW.getEpochSecond() - 10;

        assertEquals(204, post(NOTIFICATION, ts, sign(SECRET, ts, NOTIFICATION)));

        assertEquals("notification [ops]: **boiler-1**: temperature 31 > 30\n                    since 09:55" + System.lineSeparator(),
                out.toString());
        assertTrue(receiver.url().toString().startsWith("http://127.0.0.1:"), receiver.url().toString());
    }

    @Test
    void refusesForgedMissingAndStaleSignaturesWithoutPrinting() throws Exception {
        start(SECRET);
        long ts = NOW.getEpochSecond();

        assertEquals(401, post(NOTIFICATION, ts, sign("guessed", ts, NOTIFICATION)), "forged");
        assertEquals(401, post(NOTIFICATION, ts, null), "missing");
        assertEquals(401, post(NOTIFICATION, ts - 301, sign(SECRET, ts - 301, NOTIFICATION)), "replayed after 5 minutes");
        assertEquals(401, post(NOTIFICATION.replace("31", "99"), ts, sign(SECRET, ts, NOTIFICATION)), "body changed");

        assertEquals("", out.toString());
        assertTrue(err.toString().contains("signature does not match"), err.toString());
    }

    @Test
    void withoutASecretPrintsWhateverArrives() throws Exception {
        start(null);
        assertEquals(204, post("{\"text\":\"hello\"}", 0, null));
        assertEquals(400, post("not json", 0, null));
        assertEquals("notification: hello" + System.lineSeparator(), out.toString());
    }
}
