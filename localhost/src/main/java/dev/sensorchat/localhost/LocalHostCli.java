package dev.sensorchat.localhost;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -cp ... dev.sensorchat.localhost.LocalHostCli}: runs the packaged app locally. Like the
 * Functions host, which starts the Java worker with the app settings as its environment, it starts a
 * second JVM whose environment holds {@code local.settings.json}'s Values (the app reads its
 * settings from the environment, which a running JVM cannot change).
 */
@Command(name = "sensorchat-localhost", mixinStandardHelpOptions = true, version = "sensorchat-localhost 0.1.0",
        description = "Serves the packaged Functions app locally: HTTP triggers on /api, timers, Event Hub, blob and Cosmos DB "
                + "triggers, and the admin endpoints. 'up' runs the whole system.",
        subcommands = UpCommand.class,
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:stopped", "1:the app could not start", "2:invalid options"})
public final class LocalHostCli implements Callable<Integer> {

    static final String WORKER = "SENSORCHAT_LOCALHOST_WORKER";

    @Option(names = "--app", defaultValue = "target/azure-functions/sensorchat",
            description = "The packaged app: the folder with host.json and one folder per function (default: ${DEFAULT-VALUE}).")
    Path app;

    @Option(names = "--settings", defaultValue = "local.settings.json",
            description = "local.settings.json; its Values become the app's environment (the environment wins) (default: ${DEFAULT-VALUE}).")
    Path settings;

    @Option(names = "--state", defaultValue = "target/localhost-state",
            description = "Where the host keeps timer status and checkpoints between runs (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--port", description = "HTTP port (default: Host.LocalHttpPort in local.settings.json, else 7071; 0 = any free port).")
    Integer port;

    public static void main(String[] args) {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // see LocalHost: before any HttpServer exists
        System.exit(new CommandLine(new LocalHostCli()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        HostSettings loaded = HostSettings.load(settings, System.getenv());
        if (System.getenv(WORKER) == null) {
            return runWorker(loaded);
        }
        HostSettings effective = port == null ? loaded : new HostSettings(loaded.all(), port);
        CountDownLatch closed = new CountDownLatch(1);
        try (LocalHost host = LocalHost.start(app, effective, state, Clock.systemUTC(), System.out)) {
            System.out.println("SENSORCHAT_LOCALHOST_READY port=" + host.port());
            System.out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            // On SIGTERM or Ctrl-C: stop, and let the host close (running batches finish and are checkpointed,
            // the logs are closed) before the JVM ends, for at most CLOSE_SECONDS.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopped.countDown();
                try {
                    closed.await(CLOSE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-host"));
            stopped.await();
        } catch (IllegalStateException e) {
            System.err.println("sensorchat-localhost: " + e.getMessage());
            return 1;
        } finally {
            closed.countDown();
        }
        return 0;
    }

    /**
     * The JVM options Azure's Java worker starts with, from its {@code worker.config.json}
     * (azure-functions-java-worker): C1 only, no bytecode verification, IPv4. They favour a short
     * cold start over peak speed.
     */
    static final List<String> AZURE_WORKER_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-noverify",
            "-Djava.net.preferIPv4Stack=true");

    /**
     * The worker JVM's options as the Functions host composes them: Azure's defaults, then the
     * {@code JAVA_OPTS} app setting, split at whitespace; a later option wins, so
     * {@code JAVA_OPTS=-XX:TieredStopAtLevel=4} brings back the C2 compiler.
     */
    static List<String> workerJvmOptions(HostSettings settings) {
        List<String> options = new ArrayList<>(AZURE_WORKER_JVM_OPTIONS);
        settings.get("JAVA_OPTS").map(String::strip).filter(value -> !value.isEmpty())
                .ifPresent(value -> options.addAll(List.of(value.split("\\s+"))));
        return options;
    }

    /** How long a stop signal waits for the host to close; what was acknowledged is on disk anyway. */
    static final int CLOSE_SECONDS = 40;

    /** Starts this command again in a JVM whose environment carries the settings, and waits for it. */
    private int runWorker(HostSettings loaded) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(workerJvmOptions(loaded));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalHostCli.class.getName(),
                "--app", app.toString(), "--settings", settings.toString(), "--state", state.toString()));
        if (port != null) {
            command.addAll(List.of("--port", port.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> environment = builder.environment();
        loaded.all().forEach(environment::putIfAbsent);
        environment.put(WORKER, "1");
        Process worker = builder.start();
        Thread stop = new Thread(() -> {
            worker.destroy();
            try {
                worker.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(stop);
        int exit = worker.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook stops the worker
        }
        return exit;
    }
}
