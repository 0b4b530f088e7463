package dev.sensorchat.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server standing in for the chat platforms' outbound APIs (Telegram, Slack, Teams
 * and a generic callback), which cannot be reached from here. It records every request and answers
 * 200, or an error status for the next N requests when told to.
 */
public final class RecordingServer implements AutoCloseable {

    /** One request received. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private volatile int failureStatus = 503;

    public RecordingServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
            }
            int status = failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failureStatus : 200;
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clear() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** The next {@code count} requests get {@code status} instead of 200. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failuresToServe.set(count);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
