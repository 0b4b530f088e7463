package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.EmptyFunctionApp;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.LocalHostProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * P4, cold start: a fresh host (launcher and worker JVM, as the run command starts it) to the first
 * 200 of {@code /api/health} and then of the chat webhook, for the app and for an empty app with
 * the same two routes ({@link EmptyFunctionApp}) in the same harness, taking turns. Also the
 * classes the worker loaded, which SDK clients exist after the first chat answer, and the size of
 * what is deployed. A benchmark, not a test: {@code -Dsensorchat.benchmarks=true}; see the README.
 */
@ExtendWith(LocalAzureExtension.class)
class ColdStartBenchmarkIT {

    private static final int RUNS = Integer.getInteger("sensorchat.coldStart.runs", 5);
    /** Clients the app builds lazily (the SDKs' and its outbound HTTP client), by the class of the client object. */
    private static final Map<String, String> CLIENTS = Map.of("Cosmos DB", "com.azure.cosmos.CosmosClient",
            "Blob Storage", "com.azure.storage.blob.BlobServiceClient", "Event Hubs", "com.azure.messaging.eventhubs.EventHubProducerClient",
            "outbound HTTP", "jdk.internal.net.http.HttpClientImpl");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Start(String app, double healthSeconds, double chatSeconds, long classes, List<String> clients, String jvmOptions) {
    }

    @Test
    void aFreshHostAnswersHealthAndChatWithinTwiceTheEmptyApp(LocalAzure azure, @TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("sensorchat.benchmarks"), "benchmark: run with -Dsensorchat.benchmarks=true");
        Path empty = EmptyFunctionApp.writeTo(dir.resolve("empty-app"));
        Path app = Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat"));
        Map<String, String> values = LocalHostProcess.settings(azure, ChatDeliveries.settings(null));
        Path settings = new LocalHostProcess(Files.createDirectories(dir.resolve("all")), values, "cold-start-master-key").settingsFile();
        Map<String, String> httpOnly = httpOnly(values, app);
        if (System.getProperty("sensorchat.coldStart.workerOptions") != null) {
            httpOnly.put("JAVA_OPTS", System.getProperty("sensorchat.coldStart.workerOptions")); // e.g. a flight recording, to see where the time goes
        }
        Path httpOnlySettings = new LocalHostProcess(Files.createDirectories(dir.resolve("http")), httpOnly, "cold-start-master-key").settingsFile();
        // The worker runs with Azure's Java worker options (C1 only); this one adds the C2 compiler back, as an app can with JAVA_OPTS.
        Map<String, String> withC2 = new java.util.HashMap<>(httpOnly);
        withC2.merge("JAVA_OPTS", C2_OPTIONS, (given, c2) -> c2 + " " + given);
        Path withC2Settings = new LocalHostProcess(Files.createDirectories(dir.resolve("http-c2")), withC2, "cold-start-master-key").settingsFile();
        // The same app without its background class loading, to show what that takes off.
        Map<String, String> withoutPreload = new java.util.HashMap<>(httpOnly);
        withoutPreload.put("PRELOAD_CLASSES", "false");
        Path withoutPreloadSettings = new LocalHostProcess(Files.createDirectories(dir.resolve("http-no-preload")), withoutPreload,
                "cold-start-master-key").settingsFile();

        Map<String, List<Start>> starts = new LinkedHashMap<>();
        record Contender(String name, Path app, Path settings) {
        }
        // The app with its triggers first: in run 0 it creates the database the HTTP-only app expects.
        List<Contender> contenders = List.of(new Contender("empty app", empty, settings), new Contender(WITH_TRIGGERS, app, settings),
                new Contender(HTTP_ONLY, app, httpOnlySettings), new Contender(HTTP_ONLY_NO_PRELOAD, app, withoutPreloadSettings),
                new Contender(HTTP_ONLY_C2, app, withC2Settings));
        for (int run = 0; run <= RUNS; run++) { // run 0 warms the file cache for each, and is not counted
            for (Contender contender : contenders) {
                Start start = coldStart(contender.name(), contender.app(), contender.settings(), dir.resolve("state-" + run + "-" + contenders.indexOf(contender)));
                if (run > 0) {
                    starts.computeIfAbsent(contender.name(), name -> new ArrayList<>()).add(start);
                }
            }
        }
        Start ours = median(starts.get(HTTP_ONLY));
        Start withTriggers = median(starts.get(WITH_TRIGGERS));
        Start peer = median(starts.get("empty app"));
        Start ourWithC2 = median(starts.get(HTTP_ONLY_C2));
        Start ourWithoutPreload = median(starts.get(HTTP_ONLY_NO_PRELOAD));
        double ratio = ours.chatSeconds() / peer.chatSeconds();
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "P4 cold start: a fresh host (launcher + worker JVM) to the first 200, median of %d starts each, taking turns%n", RUNS));
        report.append(String.format(Locale.ROOT, "  the worker JVM's options, as Azure's Java worker starts it: %s%n", ours.jvmOptions()));
        report.append(String.format(Locale.ROOT, "  %-52s %12s %16s %16s %s%n", "app", "health 200", "then chat 200", "classes loaded", "SDK clients after the chat"));
        for (Start start : List.of(peer, ours, ourWithoutPreload, withTriggers, ourWithC2)) {
            report.append(String.format(Locale.ROOT, "  %-52s %10.2f s %14.2f s %,16d %s%n", start.app(), start.healthSeconds(), start.chatSeconds(),
                    start.classes(), start.clients().isEmpty() ? "none" : String.join(", ", start.clients())));
        }
        report.append(String.format(Locale.ROOT, "  sensorchat (HTTP functions) / empty app, to the first chat answer: %.2fx (target <= 2x)  %s; "
                + "without preloading: %.2fx; with the local triggers: %.2fx; with C2: %.2fx%n", ratio, ratio <= 2 ? "met" : "NOT met",
                ourWithoutPreload.chatSeconds() / peer.chatSeconds(), withTriggers.chatSeconds() / peer.chatSeconds(),
                ourWithC2.chatSeconds() / peer.chatSeconds()));
        starts.forEach((contender, each) -> report.append(String.format(Locale.ROOT, "  %-52s chat 200 in each start: %s%n", contender,
                String.join(" ", each.stream().map(start -> String.format(Locale.ROOT, "%.2f", start.chatSeconds())).toList()))));
        report.append(String.format(Locale.ROOT, "  deployed: the app's jar %.2f MB + lib/ %.1f MB in %d jars; the empty app's jar %.3f MB%n",
                mb(size(app.resolve("sensorchat-functions-0.1.0-SNAPSHOT.jar"))), mb(size(app.resolve("lib"))), jars(app.resolve("lib")),
                mb(size(empty.resolve("empty-app.jar")))));
        System.out.print(report);
        Files.writeString(Path.of("target", "cold-start.txt"), report);
        assertTrue(!ours.clients().contains("Event Hubs") && !ours.clients().contains("outbound HTTP"),
                "the app builds no Event Hubs client, nor its outbound HTTP client, for health and a chat answered in the response: " + ours.clients());
    }

    private static final String HTTP_ONLY = "sensorchat, HTTP functions";
    private static final String WITH_TRIGGERS = "sensorchat, and the host's triggers";
    private static final String C2_OPTIONS = "-XX:TieredStopAtLevel=4";
    private static final String HTTP_ONLY_C2 = "sensorchat, HTTP, JAVA_OPTS=" + C2_OPTIONS;
    private static final String HTTP_ONLY_NO_PRELOAD = "sensorchat, HTTP, PRELOAD_CLASSES=false";

    /**
     * In Azure the triggers' listeners run in the Functions host, not in the Java worker; this host
     * runs its stand-ins for them in the worker's JVM. Without them, and without creating the
     * database at start (the run command's convenience), the worker does what Azure's does.
     */
    private static Map<String, String> httpOnly(Map<String, String> values, Path app) throws IOException {
        Map<String, String> httpOnly = new java.util.HashMap<>(values);
        nonHttpFunctions(app).forEach(function -> httpOnly.put("AzureWebJobs." + function + ".Disabled", "true"));
        httpOnly.put("AUTO_CREATE_RESOURCES", "false"); // as bicep/ deploys it: the database and containers exist (a first start made them)
        return httpOnly;
    }

    /**
     * Writes the list of classes {@link dev.sensorchat.common.ClassPreloader} loads: those a fresh
     * worker, without preloading, loads from its first request to its first chat answer, in order,
     * that the app or the JDK provides (the local host's own are left out). Run after a change of
     * dependencies: {@code -Dsensorchat.coldStart.classList=src/main/resources/dev/sensorchat/preload-classes.txt}.
     */
    @Test
    void writesTheClassListTheAppPreloads(LocalAzure azure, @TempDir Path dir) throws Exception {
        String target = System.getProperty("sensorchat.coldStart.classList");
        assumeTrue(target != null, "writes the preload list: -Dsensorchat.coldStart.classList=<file>");
        Path app = Path.of(System.getProperty("sensorchat.functionApp.dir", "target/azure-functions/sensorchat"));
        Map<String, String> values = LocalHostProcess.settings(azure, ChatDeliveries.settings(null));
        Path settings = new LocalHostProcess(Files.createDirectories(dir.resolve("all")), values, "cold-start-master-key").settingsFile();
        coldStart("creates the database", app, settings, dir.resolve("state-0"));
        Path classLog = dir.resolve("class-load.log");
        Map<String, String> logged = httpOnly(values, app);
        logged.put("PRELOAD_CLASSES", "false");
        logged.put("JAVA_OPTS", "-Xlog:class+load:file=" + classLog);
        List<String> untilTheAnswer = new ArrayList<>();
        coldStart("class list", app, new LocalHostProcess(Files.createDirectories(dir.resolve("logged")), logged, "cold-start-master-key").settingsFile(),
                dir.resolve("state-1"), () -> untilTheAnswer.addAll(Files.readAllLines(classLog))); // not what inspecting the worker loads
        List<String> names = firstAnswerClasses(untilTheAnswer, app);
        assertTrue(names.size() > 1_000, "the first answers load the SDKs' classes: " + names.size());
        List<String> lines = new ArrayList<>(List.of(
                "# Classes a fresh worker loads from its first request to its first chat answer, in that order, that the app or the JDK provides.",
                "# ClassPreloader loads them (without initialising them) on a second processor while the first request runs.",
                "# Written by ColdStartBenchmarkIT (README, Benchmarks, P4); write it again when the dependencies change."));
        lines.addAll(names);
        Files.write(Path.of(target), lines);
        System.out.println("wrote " + names.size() + " class names to " + target);
    }

    /**
     * From a {@code -Xlog:class+load} log: the classes loaded from the first health request on (its
     * {@code HealthService}; the app's context now loads earlier, with the functions), that the app's jars or the JDK hold.
     */
    static List<String> firstAnswerClasses(List<String> log, Path app) throws IOException {
        List<java.net.URL> jars = new ArrayList<>(List.of(app.resolve("sensorchat-functions-0.1.0-SNAPSHOT.jar").toUri().toURL()));
        try (Stream<Path> lib = Files.list(app.resolve("lib"))) {
            for (Path jar : lib.filter(file -> file.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("\\[class,load\\] (\\S+) source: (.*)$");
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        boolean started = false;
        try (java.net.URLClassLoader appLoader = new java.net.URLClassLoader(jars.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (String entry : log) {
                java.util.regex.Matcher m = line.matcher(entry);
                if (!m.find()) {
                    continue;
                }
                String name = m.group(1);
                String source = m.group(2);
                started |= name.equals("dev.sensorchat.health.HealthService");
                boolean hidden = name.contains("$$Lambda") || name.contains("/0x") || !(source.startsWith("file:") || source.startsWith("jrt:")
                        || source.startsWith("shared objects file"));
                boolean localHost = name.startsWith("dev.sensorchat.localhost.") || name.startsWith("sun.net.httpserver.")
                        || name.startsWith("com.sun.net.httpserver.");
                if (started && !hidden && !localHost
                        && appLoader.getResource(name.replace('.', '/') + ".class") != null) {
                    names.add(name);
                }
            }
        }
        return List.copyOf(names);
    }

    /** The functions of the packaged app that are not HTTP-triggered, from their function.json. */
    private static List<String> nonHttpFunctions(Path app) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(app)) {
            for (Path function : dirs.filter(d -> Files.isRegularFile(d.resolve("function.json"))).sorted().toList()) {
                if (!Files.readString(function.resolve("function.json")).contains("\"httpTrigger\"")) {
                    names.add(function.getFileName().toString());
                }
            }
        }
        return names;
    }

    private Start coldStart(String name, Path app, Path settings, Path state) throws Exception {
        return coldStart(name, app, settings, state, () -> { });
    }

    /** Something to do the moment the chat is answered, before the worker is inspected. */
    interface AfterChat {
        void run() throws IOException;
    }

    private Start coldStart(String name, Path app, Path settings, Path state, AfterChat afterChat) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = state.resolveSibling(state.getFileName() + ".log");
        long started = System.nanoTime();
        Process host = new ProcessBuilder(LocalHostProcess.command(app, settings, state, port)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitOk(HttpRequest.newBuilder(URI.create(base + "/api/health")).GET().build(), host, log);
            double health = (System.nanoTime() - started) / 1e9;
            ChatDeliveries.Delivery delivery = ChatDeliveries.generic(UUID.randomUUID().toString(), "cold-" + UUID.randomUUID(), "help",
                    ChatDeliveries.Signing.VALID, Instant.now());
            HttpRequest.Builder chat = HttpRequest.newBuilder(URI.create(base + "/api/chat/generic")).POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
            delivery.headers().forEach(chat::header);
            awaitOk(chat.build(), host, log);
            double chatted = (System.nanoTime() - started) / 1e9;
            afterChat.run();
            ProcessHandle worker = host.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst()
                    .orElseThrow(() -> new AssertionError("the host's worker runs"));
            Start start = new Start(name, health, chatted, loadedClasses(worker), clients(worker), jvmOptions(worker));
            if (System.getProperty("sensorchat.coldStart.workerOptions") != null) {
                Thread.sleep(5_000); // a recording with a duration ends, and is written, before the host is stopped
            }
            return start;
        } finally {
            host.descendants().forEach(ProcessHandle::destroyForcibly);
            host.destroyForcibly();
            host.waitFor(30, TimeUnit.SECONDS);
            // The last start of each app's log, to see where its time went (the invocations' durations)
            Path logs = Files.createDirectories(Path.of("target", "cold-start-logs"));
            Files.copy(log, logs.resolve(name.replaceAll("[^A-Za-z]+", "-") + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Polls until the request is answered 200; a refused connection means the host is not serving yet. */
    private void awaitOk(HttpRequest request, Process host, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            assertTrue(host.isAlive() && System.nanoTime() < deadline, () -> "the host answered " + request.uri() + ": " + read(log));
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                assertEquals(404, response.statusCode(), response.body()); // 404: the host serves, the function is not routed yet
            } catch (IOException notServingYet) {
                // connection refused: the worker has not opened its port
            }
            Thread.sleep(5);
        }
    }

    /**
     * The worker's command line up to its classpath: the JVM options it runs with. From /proc, as
     * {@code ProcessHandle.Info} gives no arguments for a command line this long.
     */
    private static String jvmOptions(ProcessHandle worker) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(worker.pid()), "cmdline");
        if (!Files.isReadable(cmdline)) {
            return "(not known on this OS)";
        }
        List<String> arguments = List.of(Files.readString(cmdline).split("\0"));
        int classpath = arguments.indexOf("-cp");
        return String.join(" ", classpath < 0 ? arguments : arguments.subList(1, classpath));
    }

    private static long loadedClasses(ProcessHandle worker) throws Exception {
        for (String line : jcmd(worker, "PerfCounter.print")) {
            if (line.startsWith("java.cls.loadedClasses=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1).strip());
            }
        }
        throw new AssertionError("no java.cls.loadedClasses counter");
    }

    private static List<String> clients(ProcessHandle worker) throws Exception {
        List<String> histogram = jcmd(worker, "GC.class_histogram");
        List<String> built = new ArrayList<>();
        CLIENTS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(client -> {
            if (histogram.stream().anyMatch(line -> line.endsWith(" " + client.getValue()) || line.contains(" " + client.getValue() + " "))) {
                built.add(client.getKey());
            }
        });
        return built;
    }

    private static List<String> jcmd(ProcessHandle worker, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(worker.pid()), command)
                .redirectErrorStream(true).start();
        List<String> lines = new String(jcmd.getInputStream().readAllBytes()).lines().toList();
        assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS) && jcmd.exitValue() == 0, "jcmd " + command + ": " + lines);
        return lines;
    }

    private static Start median(List<Start> starts) {
        List<Start> byChat = starts.stream().sorted(Comparator.comparingDouble(Start::chatSeconds)).toList();
        List<Double> health = starts.stream().map(Start::healthSeconds).sorted().toList();
        Start middle = byChat.get(byChat.size() / 2);
        return new Start(middle.app(), health.get(health.size() / 2), middle.chatSeconds(), middle.classes(), middle.clients(), middle.jvmOptions());
    }

    private static long size(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return Files.size(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static long jars(Path lib) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(file -> file.toString().endsWith(".jar")).count();
        }
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
