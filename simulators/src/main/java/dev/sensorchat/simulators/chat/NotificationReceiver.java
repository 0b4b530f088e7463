package dev.sensorchat.simulators.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the generic channel's callback URL: prints each notification the backend
 * POSTs to it. With a secret it checks the signature as the generic channel defines it (and the
 * 5-minute window against replays) and answers 401 when it does not match, printing nothing.
 */
final class NotificationReceiver implements AutoCloseable {

    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "notification-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final byte[] secret;
    private final Clock clock;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param port   on 127.0.0.1 only; 0 for any free port
     * @param secret the generic channel's secret, or null to print notifications unverified
     */
    private NotificationReceiver(int port, String secret, Clock clock, PrintWriter out, PrintWriter err) throws IOException {
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.out = out;
        this.err = err;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    static NotificationReceiver start(int port, String secret, Clock clock, PrintWriter out, PrintWriter err) throws IOException {
        NotificationReceiver receiver = new NotificationReceiver(port, secret, clock, out, err);
        receiver.server.start();
        return receiver;
    }

    /** Where the backend should send notifications: its GENERIC_CALLBACK_URL. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, 405, "POST notifications here");
                return;
            }
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    respond(exchange, 413, "notification too large");
                    return;
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
            String refusal = secret == null ? null : refusal(exchange, body);
            if (refusal != null) {
                err.println("warning: refused a notification: " + refusal);
                err.flush();
                respond(exchange, 401, refusal);
                return;
            }
            var text = Json.textField(body, "text");
            if (text.isEmpty()) {
                respond(exchange, 400, "expected a JSON object with a text");
                return;
            }
            String conversation = Json.textField(body, "conversationId").map(id -> " [" + id + "]").orElse("");
            out.println(Replies.prefixed("notification" + conversation + ": ", text.get()));
            out.flush();
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** Why the signature is not acceptable, or null when it is. */
    private String refusal(HttpExchange exchange, String body) {
        String timestampText = exchange.getRequestHeaders().getFirst(GenericClient.TIMESTAMP_HEADER);
        String signature = exchange.getRequestHeaders().getFirst(GenericClient.SIGNATURE_HEADER);
        if (timestampText == null || signature == null) {
            return "missing " + GenericClient.TIMESTAMP_HEADER + " or " + GenericClient.SIGNATURE_HEADER;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampText.strip());
        } catch (NumberFormatException e) {
            return GenericClient.TIMESTAMP_HEADER + " is not Unix seconds";
        }
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > MAX_SKEW.toSeconds()) {
            return "timestamp outside the 5-minute window";
        }
        return Hmac.constantTimeEquals(GenericClient.sign(secret, timestamp, body), signature.strip()) ? null : "signature does not match";
    }

    private static void respond(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
