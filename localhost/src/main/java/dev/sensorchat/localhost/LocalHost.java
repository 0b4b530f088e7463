package dev.sensorchat.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sensorchat.localhost.eventhubs.EventRecord;
import dev.sensorchat.localhost.eventhubs.InvalidBatchException;
import dev.sensorchat.localhost.eventhubs.LocalEventHub;
import dev.sensorchat.localhost.eventhubs.NdjsonBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A local Functions host: serves the packaged app in {@code target/azure-functions/<app>/} the way
 * the Functions host does, from its {@code function.json} files and {@code host.json}. HTTP
 * triggers under host.json's route prefix, timers on their schedules, and the admin endpoints of Core Tools.
 */
public final class LocalHost implements AutoCloseable {

    /** Trigger types this host serves; any other is a startup error that names it. */
    static final Set<String> SERVED_TRIGGERS = Set.of("httpTrigger", "timerTrigger", "blobTrigger", "cosmosDBTrigger", "eventHubTrigger");
    private static final Set<String> SERVED_OTHER_BINDINGS = Set.of("http");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_MAX_REQUEST_BYTES = 100L * 1024 * 1024;
    private static final long DRAIN_LIMIT_BYTES = 8L * 1024 * 1024;

    private final List<FunctionDefinition> functions;
    private final HostSettings settings;
    private final FunctionInvoker invoker;
    private final List<HttpRoute> routes = new ArrayList<>();
    private final TimerTriggers timers;
    private final Connections connections;
    private final BlobTriggers blobs;
    private final CosmosTriggers changeFeeds;
    private final EventHubTriggers eventHubs;
    private final ConnectedEventHubTriggers connectedEventHubs;
    private final HttpServer server;
    private final ExecutorService requestThreads = Executors.newFixedThreadPool(16, Threads.daemon("http"));
    private final URLClassLoader appClasses;
    private final PrintStream log;
    private final String routePrefix;
    private final long maxRequestBytes;
    private final Clock clock;
    /** Before the app's classes load: the app records its metrics on the global this sets. */
    private final LocalMetrics metrics = LocalMetrics.install();

    static {
        // The JDK server does not set TCP_NODELAY by default: with Nagle's algorithm and delayed
        // ACKs, every request after the first on a kept-alive connection waited about 40 ms. Read
        // once, when the JDK's server configuration loads, so it is set before any server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LocalHost(Path appDir, HostSettings settings, Path stateDir, Clock clock, PrintStream log) throws IOException {
        this.settings = settings;
        this.log = log;
        this.clock = clock;
        JsonNode hostJson = JSON.readTree(appDir.resolve("host.json").toFile());
        this.routePrefix = hostJson.path("extensions").path("http").path("routePrefix").asText("api");
        this.maxRequestBytes = settings.get("LOCALHOST_MAX_REQUEST_BYTES").map(Long::parseLong).orElse(DEFAULT_MAX_REQUEST_BYTES);
        List<FunctionDefinition> enabled = new ArrayList<>();
        List<FunctionDefinition> disabled = new ArrayList<>();
        for (FunctionDefinition function : FunctionDefinition.loadAll(appDir)) {
            if (settings.disabled(function.name())) {
                log.println("function " + function.name() + " is disabled (AzureWebJobs." + function.name() + ".Disabled)");
                disabled.add(function);
                continue;
            }
            checkServed(function);
            enabled.add(function);
        }
        if (enabled.isEmpty() && disabled.isEmpty()) {
            throw new IllegalStateException("no functions in " + appDir + ": build the app first (mvn package)");
        }
        this.functions = List.copyOf(enabled);
        this.appClasses = new URLClassLoader("app", classpath(appDir, functions), LocalHost.class.getClassLoader());
        this.invoker = new FunctionInvoker(appClasses, log);
        functions.forEach(invoker::prepare); // a missing class or method fails here, not at the first call
        for (FunctionDefinition function : functions) {
            if (function.triggerType().equals("httpTrigger")) {
                JsonNode trigger = function.trigger();
                List<String> methods = new ArrayList<>();
                trigger.path("methods").forEach(method -> methods.add(method.asText()));
                routes.add(HttpRoute.of(function, trigger.path("route").asText(function.name()), methods,
                        trigger.path("authLevel").asText("FUNCTION")));
            }
        }
        routes.sort(HttpRoute.PRECEDENCE);
        this.timers = new TimerTriggers(triggered("timerTrigger"), settings, stateDir, invoker, clock, log);
        this.connections = new Connections(settings);
        this.blobs = new BlobTriggers(triggered("blobTrigger"), settings, connections, hostJson, invoker, log);
        this.changeFeeds = new CosmosTriggers(triggered("cosmosDBTrigger"), settings, connections, invoker, log);
        List<FunctionDefinition> connected = triggered("eventHubTrigger").stream()
                .filter(function -> connections.isRealEventHubs(function.trigger().path("connection").asText())).toList();
        // A disabled function's hub still takes events, as an Event Hub in Azure does: they wait for it to be enabled.
        List<FunctionDefinition> idleHubs = disabled.stream().filter(function -> function.triggerType().equals("eventHubTrigger")
                && !connections.isRealEventHubs(function.trigger().path("connection").asText())).toList();
        this.eventHubs = new EventHubTriggers(triggered("eventHubTrigger").stream().filter(f -> !connected.contains(f)).toList(), idleHubs,
                settings, hostJson, stateDir, invoker, clock, log);
        this.connectedEventHubs = new ConnectedEventHubTriggers(connected, settings, connections, hostJson, invoker, log);
        connected.forEach(function -> log.println("function " + function.name() + " consumes from the Event Hubs namespace of connection '"
                + function.trigger().path("connection").asText() + "'"));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", settings.httpPort()), 64);
        server.setExecutor(requestThreads);
        server.createContext("/", this::handle);
    }

    /** Loads the app, checks every binding, and starts serving. */
    public static LocalHost start(Path appDir, HostSettings settings, Path stateDir, Clock clock, PrintStream log) throws IOException {
        LocalHost host = new LocalHost(appDir, settings, stateDir, clock, log);
        host.server.start();
        host.timers.start();
        host.blobs.start();
        host.changeFeeds.start();
        host.eventHubs.start();
        host.connectedEventHubs.start();
        log.printf("sensorchat local host: %d functions on http://127.0.0.1:%d/%s (keys %s)%n", host.functions.size(), host.port(),
                host.routePrefix.isEmpty() ? "" : host.routePrefix + "/", settings.get("LOCALHOST_FUNCTION_KEY").isPresent() ? "enforced" : "not enforced");
        return host;
    }

    private List<FunctionDefinition> triggered(String type) {
        return functions.stream().filter(function -> function.triggerType().equals(type)).toList();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<FunctionDefinition> functions() {
        return functions;
    }

    private static void checkServed(FunctionDefinition function) {
        for (JsonNode binding : function.bindings()) {
            String type = binding.path("type").asText();
            boolean served = type.endsWith("Trigger") ? SERVED_TRIGGERS.contains(type) : SERVED_OTHER_BINDINGS.contains(type);
            if (!served) {
                throw new IllegalStateException("function '" + function.name() + "' declares a '" + type + "' binding ('"
                        + binding.path("name").asText() + "'), which this host cannot serve; set AzureWebJobs." + function.name()
                        + ".Disabled=true to run without it");
            }
        }
    }

    /** The jar each function names as its scriptFile, and the jars beside it in lib/, as the Java worker loads them. */
    private static URL[] classpath(Path appDir, List<FunctionDefinition> functions) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path jar : functions.stream().map(FunctionDefinition::scriptFile).distinct().toList()) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("scriptFile " + jar + " does not exist: build the app first (mvn package)");
            }
            urls.add(url(jar));
        }
        Path lib = appDir.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(url(jar));
                }
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- HTTP -------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/admin/")) {
                admin(exchange, path.substring("/admin".length()));
            } else if (routePrefix.isEmpty()) {
                http(exchange, path);
            } else if (path.startsWith("/" + routePrefix + "/") || path.equals("/" + routePrefix)) {
                http(exchange, path.substring(routePrefix.length() + 1));
            } else {
                send(exchange, 404, "application/json", problem(404, "No function here: routes start with /" + routePrefix + "/"));
            }
        } catch (RuntimeException e) {
            log.println("host error on " + exchange.getRequestURI() + ": " + e);
        }
    }

    private void http(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        HttpRoute route = null;
        Map<String, String> parameters = null;
        Set<String> allowed = new java.util.TreeSet<>();
        for (HttpRoute candidate : routes) {
            Optional<Map<String, String>> match = candidate.match(path);
            if (match.isPresent()) {
                allowed.addAll(candidate.methods());
                if (candidate.methods().contains(method)) {
                    route = candidate;
                    parameters = match.get();
                    break;
                }
            }
        }
        if (route == null) {
            if (!allowed.isEmpty()) {
                exchange.getResponseHeaders().add("Allow", String.join(", ", allowed));
                send(exchange, 405, "application/json", problem(405, "Method " + method + " is not allowed here"));
            } else {
                send(exchange, 404, "application/json", problem(404, "No function has this route"));
            }
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI());
        if (!authorized(route.authLevel(), exchange, query)) {
            send(exchange, 401, "application/json", problem(401, "A function key is required: x-functions-key header or ?code="));
            return;
        }
        Optional<byte[]> body = readBody(exchange);
        if (body.isEmpty()) {
            send(exchange, 413, "application/json", problem(413, "The request body is larger than " + maxRequestBytes + " bytes"));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        URI uri = URI.create("http://127.0.0.1:" + port() + exchange.getRequestURI());
        LocalHttpRequest request = new LocalHttpRequest(uri, HttpMethod.value(method), Map.copyOf(headers), Map.copyOf(query),
                body.get().length == 0 && (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")) ? null : new String(body.get(), StandardCharsets.UTF_8));
        Map<String, Object> metadata = new HashMap<>(parameters);
        metadata.put("Query", query);
        metadata.put("Headers", headers);
        String triggerName = route.function().trigger().path("name").asText();
        try {
            Object result = invoker.invoke(route.function(), Map.of(triggerName, request), metadata);
            respond(exchange, result);
        } catch (FunctionInvoker.InvocationFailed e) {
            // As the Functions host: a 500 that names the invocation, never the exception.
            send(exchange, 500, "application/json", JSON.createObjectNode().put("status", 500).put("title", "Internal Server Error")
                    .put("invocationId", e.invocationId()).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange exchange, Object result) throws IOException {
        if (!(result instanceof HttpResponseMessage response)) {
            byte[] body = result == null ? new byte[0] : JSON.writeValueAsBytes(result);
            send(exchange, result == null ? 204 : 200, "application/json", body);
            return;
        }
        Map<String, String> headers = response instanceof LocalHttpRequest.Response local ? local.headers() : Map.of();
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        Object body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : body instanceof byte[] raw ? raw
                : body instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        String contentType = response.getHeader("Content-Type");
        send(exchange, response.getStatusCode(), contentType, bytes);
    }

    private boolean authorized(String authLevel, HttpExchange exchange, Map<String, String> query) {
        if (authLevel.equals("ANONYMOUS")) {
            return true;
        }
        Optional<String> functionKey = settings.get("LOCALHOST_FUNCTION_KEY");
        Optional<String> masterKey = settings.get("LOCALHOST_MASTER_KEY");
        boolean enforced = authLevel.equals("ADMIN") ? masterKey.isPresent() : functionKey.isPresent() || masterKey.isPresent();
        if (!enforced) {
            return true; // as Core Tools: keys are not enforced locally unless configured
        }
        String given = Optional.ofNullable(exchange.getRequestHeaders().getFirst("x-functions-key")).orElse(query.get("code"));
        if (given == null) {
            return false;
        }
        boolean master = masterKey.map(key -> same(key, given)).orElse(false);
        return authLevel.equals("ADMIN") ? master : master || functionKey.map(key -> same(key, given)).orElse(false);
    }

    private static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** The body, or empty when it is over the limit. */
    private Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            if (length != null && Long.parseLong(length.trim()) > maxRequestBytes) {
                discard(in);
                return Optional.empty();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[65_536];
            long total = 0;
            for (int read; (read = in.read(buffer)) >= 0; ) {
                total += read;
                if (total > maxRequestBytes) {
                    discard(in);
                    return Optional.empty();
                }
                out.write(buffer, 0, read);
            }
            return Optional.of(out.toByteArray());
        }
    }

    /**
     * Reads and drops (a bounded amount of) what the client is still sending, so that it gets to read
     * the 413 instead of a reset connection.
     */
    private static void discard(InputStream in) throws IOException {
        byte[] buffer = new byte[65_536];
        long left = DRAIN_LIMIT_BYTES;
        for (int read; left > 0 && (read = in.read(buffer)) >= 0; ) {
            left -= read;
        }
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(name, value);
        }
        return query;
    }

    // ---- admin ------------------------------------------------------------------------------------

    private void admin(HttpExchange exchange, String path) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        if (!authorized("ADMIN", exchange, query)) {
            send(exchange, 401, "application/json", problem(401, "The master key is required (LOCALHOST_MASTER_KEY)"));
            return;
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (path.equals("/status") && method.equals("GET")) {
            Map<String, Object> status = new LinkedHashMap<>();
            for (FunctionDefinition function : functions) {
                Map<String, Object> view = invoker.stats().get(function.name()).view(function.triggerType());
                eventHubs.stats(function.name()).ifPresent(consumer -> {
                    Map<String, Object> hub = JSON.convertValue(consumer, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
                    hub.put("partitions", eventHubs.lag(function.name(), clock.instant()));
                    view.put("eventHub", hub);
                });
                status.put(function.name(), view);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("functions", status);
            body.put("telemetry", TelemetryStatus.view(metrics.points()));
            body.put("process", ProcessStats.view());
            send(exchange, 200, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
            return;
        }
        if (path.equals("/deadletters") && method.equals("GET")) {
            send(exchange, 200, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(deadLetters(query)));
            return;
        }
        if (path.startsWith("/eventhubs/") && method.equals("POST")) {
            publish(exchange, URLDecoder.decode(path.substring("/eventhubs/".length()), StandardCharsets.UTF_8), query);
            return;
        }
        if (path.startsWith("/functions/") && method.equals("POST")) {
            String name = URLDecoder.decode(path.substring("/functions/".length()), StandardCharsets.UTF_8);
            Optional<FunctionDefinition> function = functions.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
            if (function.isEmpty()) {
                send(exchange, 404, "application/json", problem(404, "No function named " + name));
                return;
            }
            readBody(exchange);
            if (function.get().triggerType().equals("httpTrigger")) {
                send(exchange, 400, "application/json", problem(400, name + " is HTTP-triggered: call its route instead"));
                return;
            }
            if (timers.runNow(function.get().name())) {
                send(exchange, 202, null, new byte[0]); // as Core Tools: accepted, the run's outcome is in the log and /admin/status
                return;
            }
            send(exchange, 400, "application/json", problem(400, name + " cannot be invoked by hand yet"));
            return;
        }
        send(exchange, 404, "application/json",
                problem(404, "Admin endpoints: GET /admin/status, GET /admin/deadletters, POST /admin/functions/{name}, POST /admin/eventhubs/{hub}"));
    }

    /** Dead letters scanned at most, newest first by name (names start with the day and the partition). */
    private static final int MAX_DEAD_LETTERS_SCANNED = 5_000;

    /**
     * {@code GET /admin/deadletters?limit=}: what the app dead-lettered, counted by reason, with the
     * newest {@code limit} (default 10, at most 100) in full. Reads the app's dead-letter container
     * ({@code DEADLETTER_CONTAINER} through the {@code DataStorage} connection), as the app wrote it.
     */
    private Map<String, Object> deadLetters(Map<String, String> query) {
        int limit = 10;
        try {
            limit = Math.max(1, Math.min(100, Integer.parseInt(query.getOrDefault("limit", "10"))));
        } catch (NumberFormatException e) {
            // the default
        }
        var container = connections.storage("DataStorage").getBlobContainerClient(settings.get("DEADLETTER_CONTAINER").orElse("telemetry-deadletters"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("container", container.getBlobContainerName());
        if (!container.exists()) {
            answer.put("total", 0);
            answer.put("reasons", Map.of());
            answer.put("latest", List.of());
            return answer;
        }
        List<String> names = new ArrayList<>();
        for (var blob : container.listBlobs()) {
            if (blob.getName().endsWith(".json")) {
                names.add(blob.getName());
            }
        }
        names.sort(Comparator.reverseOrder());
        Map<String, Integer> reasons = new TreeMap<>();
        List<JsonNode> latest = new ArrayList<>();
        for (String name : names.subList(0, Math.min(names.size(), MAX_DEAD_LETTERS_SCANNED))) {
            try {
                JsonNode letter = JSON.readTree(container.getBlobClient(name).downloadContent().toBytes());
                reasons.merge(letter.path("reason").asText("unknown"), 1, Integer::sum);
                if (latest.size() < limit) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) letter).put("name", name);
                    latest.add(letter);
                }
            } catch (IOException | RuntimeException unreadable) {
                reasons.merge("unreadable", 1, Integer::sum);
            }
        }
        answer.put("total", names.size());
        answer.put("scanned", Math.min(names.size(), MAX_DEAD_LETTERS_SCANNED));
        answer.put("reasons", reasons);
        answer.put("latest", latest);
        return answer;
    }

    /**
     * {@code POST /admin/eventhubs/{hub}?partitionKey=}: NDJSON (one event per line), a JSON array of
     * events, or Event Hubs' REST batch ({@code application/vnd.microsoft.servicebus.json}), whose messages
     * may each name their own partition key.
     */
    private void publish(HttpExchange exchange, String hubName, Map<String, String> query) throws IOException {
        Optional<LocalEventHub> hub = eventHubs.hub(hubName);
        if (hub.isEmpty()) {
            send(exchange, 404, "application/json", problem(404, "No function listens to an event hub named " + hubName));
            return;
        }
        List<NdjsonBatch.Message> messages;
        try {
            messages = NdjsonBatch.DEFAULT.readMessages(exchange.getRequestBody(),
                    exchange.getRequestHeaders().getFirst("Content-Type"));
        } catch (InvalidBatchException e) {
            send(exchange, e.httpStatus(), "application/json", problem(e.httpStatus(), e.getMessage()));
            return;
        }
        List<String> bodies = messages.stream().map(NdjsonBatch.Message::body).toList();
        List<String> keys = messages.stream().map(NdjsonBatch.Message::partitionKey).toList();
        List<EventRecord> records;
        try {
            records = hub.get().publishKeyed(bodies, keys, query.get("partitionKey"));
        } catch (java.io.UncheckedIOException e) {
            // Not written to the hub's log, so not accepted: the sender retries.
            log.println("event hub " + hub.get().name() + ": a publish was refused: " + e.getMessage());
            exchange.getResponseHeaders().set("Retry-After", "1");
            send(exchange, 503, "application/json", problem(503, "The event hub could not store the events: " + e.getMessage()));
            return;
        }
        var answer = JSON.createObjectNode().put("hub", hub.get().name()).put("events", records.size());
        Map<String, long[]> byPartition = new TreeMap<>();
        for (var record : records) {
            long[] range = byPartition.computeIfAbsent(record.partitionId(), id -> new long[] {record.sequenceNumber(), 0});
            range[1] = record.sequenceNumber();
        }
        if (byPartition.size() == 1) {
            var only = byPartition.entrySet().iterator().next();
            answer.put("partition", only.getKey()).put("firstSequenceNumber", only.getValue()[0])
                    .put("lastSequenceNumber", only.getValue()[1]);
        } else {
            var partitions = answer.putObject("partitions");
            byPartition.forEach((id, range) -> partitions.putObject(id).put("firstSequenceNumber", range[0])
                    .put("lastSequenceNumber", range[1]));
        }
        send(exchange, 202, "application/json", answer.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] problem(int status, String detail) {
        return JSON.createObjectNode().put("status", status).put("detail", detail).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        // A HEAD answer carries the GET's headers and no body, as Kestrel sends it for the Functions host.
        boolean empty = body.length == 0 || status == 204 || status == 304 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() throws IOException {
        timers.close();
        blobs.close();
        changeFeeds.close();
        eventHubs.close();
        connectedEventHubs.close();
        connections.close();
        server.stop(1);
        requestThreads.shutdownNow();
        appClasses.close();
    }
}
