package dev.sensorchat.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code up}: the whole system on one machine, without Docker or Core Tools. Installs and starts the
 * local Azurite and Cosmos DB server (as the tests do), starts the local host over the packaged app
 * on :7071, and a simulated fleet streaming to it, with one scripted overheat. Ctrl-C stops it all.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Runs everything locally: storage, the Cosmos DB server, the app on the local host, and simulated devices.")
public final class UpCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--project", defaultValue = ".", description = "The sensorchat checkout (default: the current folder).")
    Path project;

    @Option(names = "--devices", defaultValue = "10", description = "Simulated devices (default: ${DEFAULT-VALUE}); 0 for none.")
    int devices;

    private final List<Process> processes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path servers = project.resolve("src/test/local-servers");
        Path app = project.resolve("target/azure-functions/sensorchat");
        Path simulators = project.resolve("simulators/target/sensorchat-simulators.jar");
        for (Path needed : List.of(app.resolve("host.json"), simulators)) {
            if (!Files.exists(needed)) {
                System.err.println("missing " + needed + ": build first (mvn -B -Prun package does both)");
                return 1;
            }
        }
        Path settings = project.resolve("local.settings.json");
        if (!Files.exists(settings)) {
            Files.copy(project.resolve("local.settings.json.example"), settings);
            System.out.println("created local.settings.json from local.settings.json.example");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "stop-all"));
        ParentWatch.exitWithParent();

        if (!Files.isDirectory(servers.resolve("node_modules"))) {
            System.out.println("installing Azurite and the Cosmos DB server (npm ci, about a minute the first time)...");
            Process install = new ProcessBuilder(npm(), "ci", "--no-audit", "--no-fund").directory(servers.toFile()).inheritIO().start();
            if (install.waitFor() != 0) {
                System.err.println("npm ci failed in " + servers);
                return 1;
            }
        }
        System.out.println("starting Azurite (10000-10002) and the Cosmos DB server (8081)...");
        Process storage = start(new ProcessBuilder("node", "start.js", "--port-cosmos", "8081", "--port-blob", "10000", "--port-queue", "10001",
                "--port-table", "10002").directory(servers.toFile()));
        awaitLine(storage, "SENSORCHAT_LOCAL_SERVERS", 120);

        JsonNode configured = JSON.readTree(settings.toFile()).path("Values");
        if (configured.path("AUTH_ISSUER").asText("").startsWith(LOCAL_ISSUER)) {
            Path identity = project.resolve("localhost/identity");
            System.out.println("starting the local OpenID provider on " + LOCAL_ISSUER + " (demo users: viewer, operator, admin)...");
            ProcessBuilder provider = new ProcessBuilder(java(), "-cp", Files.readString(identity.resolve("target/classpath.txt")).strip(),
                    "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt");
            provider.environment().put("SERVER_HOSTNAME", "127.0.0.1");
            provider.environment().put("SERVER_PORT", "8090");
            provider.environment().put("JSON_CONFIG_PATH", identity.resolve("config.json").toAbsolutePath().toString());
            Path log = project.resolve("target/openid-provider.log");
            processes.add(provider.redirectErrorStream(true).redirectOutput(log.toFile()).start());
            awaitHttp("http://127.0.0.1:8090/isalive", 60, log);
        } else {
            System.out.println("sign-in: AUTH_ISSUER in " + settings + " is not the local provider; the dashboard signs in there ("
                    + configured.path("AUTH_ISSUER").asText("not set: sign-in is off") + ")");
        }

        System.out.println("starting the local Functions host on http://localhost:7071 ...");
        Process host = start(new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), LocalHostCli.class.getName(),
                "--app", app.toString(), "--settings", settings.toString(), "--state", project.resolve("target/localhost-state").toString())
                .directory(project.toFile()));
        awaitLine(host, "SENSORCHAT_LOCALHOST_READY", 180);
        // The app creates its Cosmos DB database and containers on first use; the health check is that first use.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var health = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:7071/api/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        System.out.println("health: " + health.statusCode() + " " + health.body());

        // A rule, so thermostat-2's overheat shows up as an alert (409 on later runs: it is already there).
        var rule = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:7071/api/rules")).header("Content-Type", "application/json")
                .header("x-functions-key", configured.path("LOCALHOST_FUNCTION_KEY").asText(""))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"id": "demo-overheat", "name": "Thermostat too hot", "scope": {"kind": "device", "value": "thermostat-2"},
                         "metric": "temperature", "operator": ">", "threshold": 35, "clear": {"operator": "<", "threshold": 30},
                         "severity": "critical"}""")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        System.out.println("rule demo-overheat (thermostat-2 temperature > 35): " + (rule.statusCode() == 201 ? "created" : "HTTP " + rule.statusCode()));
        if (devices > 0) {
            processes.add(new ProcessBuilder(java(), "-jar", simulators.toString(), "devices", "--devices", Integer.toString(devices),
                    "--interval", "10s", "--fault", "thermostat-2 overheats at +2m for 5m", "--with-meta", "--progress", "never",
                    "--target", "http", "--url", "http://127.0.0.1:7071/admin/eventhubs/" + configured.path("TELEMETRY_HUB").asText("telemetry"))
                    .inheritIO().start());
        }
        System.out.println("""

                sensorchat is running. Ctrl-C stops everything.
                  health      curl http://localhost:7071/api/health
                  devices     curl http://localhost:7071/api/devices
                  alerts      curl http://localhost:7071/api/alerts       (thermostat-2 overheats from about 2 minutes on)
                  dashboard   http://localhost:7071/   (so far: backend health and the sign-in settings)
                  status      curl http://localhost:7071/admin/status
                  rejected    curl http://localhost:7071/admin/deadletters   (counted by reason, the newest in full)
                  chat        SENSORCHAT_CHAT_SECRET=<GENERIC_WEBHOOK_SECRET from local.settings.json> \\
                                java -jar simulators/target/sensorchat-simulators.jar chat --url http://localhost:7071/api/chat
                              then: devices, status thermostat-2, alerts, subscribe all, report today
                """);
        new CountDownLatch(1).await(); // until Ctrl-C
        return 0;
    }

    /** Where the local OpenID provider issues tokens; {@code localhost/identity/config.json} holds its users. */
    static final String LOCAL_ISSUER = "http://127.0.0.1:8090/sensorchat";

    private static void awaitHttp(String url, int seconds, Path log) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " not ready after " + seconds + " s (see " + log + ")");
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    /** Echoes the process's output, and waits for the line that says it is ready. */
    private static void awaitLine(Process process, String marker, int seconds) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CountDownLatch ready = new CountDownLatch(1);
        Thread echo = new Thread(() -> out.lines().forEach(line -> {
            if (line.startsWith(marker)) {
                ready.countDown();
            } else if (!line.startsWith("SENSORCHAT_")) {
                System.out.println("  " + line);
            }
        }));
        echo.setDaemon(true);
        echo.start();
        if (!ready.await(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not ready after " + seconds + " s (see the output above)");
        }
    }

    /**
     * Stops the processes in the reverse order of their start, each with its children (the host's
     * worker JVM) before the next: the host writes what its streams hold while the Cosmos DB server
     * still answers. Whatever is still running after the host's own close time is killed.
     */
    private void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
            family.add(process.toHandle());
            family.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LocalHostCli.CLOSE_SECONDS + 5);
            for (ProcessHandle member : family) {
                try {
                    member.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    member.destroyForcibly();
                }
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String npm() {
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }
}
