package dev.sensorchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Azurite and the Cosmos DB compatibility layer from npm, run by {@code src/test/local-servers/start.js}
 * on free ports of 127.0.0.1.
 *
 * <p>Installs the pinned packages with {@code npm ci} from the lock file when they are missing or
 * stale. The Node process exits when its stdin closes, so it goes away with this JVM however the
 * JVM ends; a shutdown hook stops it gracefully on a normal exit.
 */
public final class NpmServers implements LocalAzureServers {

    private static final Logger LOG = Logger.getLogger(NpmServers.class.getName());
    private static final String READY_MARKER = "SENSORCHAT_LOCAL_SERVERS ";
    private static final int MIN_NODE_MAJOR = 20;
    private static final long INSTALL_TIMEOUT_MINUTES = 10;
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final String AZURITE_ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final LocalAzure endpoints;
    private final Thread shutdownHook;

    private NpmServers(Process process, LocalAzure endpoints) {
        this.process = process;
        this.endpoints = endpoints;
        this.shutdownHook = new Thread(this::stop, "local-servers-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static NpmServers start() {
        Path dir = serversDirectory();
        Path logDir = Path.of("target", "local-servers");
        try {
            Files.createDirectories(logDir);
            requireNode();
            ensureInstalled(dir, logDir.resolve("npm-ci.log"));
            return launch(dir, logDir.resolve("servers.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the local servers", e);
        }
    }

    @Override
    public LocalAzure endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing to undo
        }
    }

    /** Closing stdin asks start.js to stop its servers; force only if it does not. */
    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path serversDirectory() {
        Path dir = Path.of(System.getProperty("sensorchat.localServers.dir", "src/test/local-servers"));
        if (!Files.isRegularFile(dir.resolve("start.js"))) {
            throw new IllegalStateException("No local servers at " + dir.toAbsolutePath()
                    + " (set -Dsensorchat.localServers.dir to the folder holding start.js)");
        }
        return dir;
    }

    private static void requireNode() throws IOException, InterruptedException {
        String version;
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            node.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("Node.js " + MIN_NODE_MAJOR + "+ is needed to run Azurite and the Cosmos DB "
                    + "server for the tests, and 'node' is not on the PATH. Install Node.js " + MIN_NODE_MAJOR
                    + " (or run with Docker).", e);
        }
        int major = Integer.parseInt(version.replaceFirst("^v(\\d+).*", "$1"));
        if (major < MIN_NODE_MAJOR) {
            throw new IllegalStateException("Node.js " + MIN_NODE_MAJOR + "+ is needed; found " + version);
        }
    }

    /**
     * {@code npm ci} when node_modules is missing or was installed from another lock file. A file
     * lock keeps two test JVMs from installing at once.
     */
    @SuppressWarnings("try") // the lock is held for the block, never referenced
    public static void ensureInstalled(Path dir, Path log) throws IOException, InterruptedException {
        String lockHash = sha256(Files.readAllBytes(dir.resolve("package-lock.json")));
        Path marker = dir.resolve("node_modules").resolve(".sensorchat-lock-sha256");
        try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock installing = channel.lock()) {
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(lockHash)) {
                return;
            }
            LOG.info(() -> "Installing Azurite and the Cosmos DB server from npm (npm ci, about a minute)...");
            String npm = System.getProperty("os.name").startsWith("Windows") ? "npm.cmd" : "npm";
            Process install = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!install.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                install.destroyForcibly();
                throw new IllegalStateException("npm ci took longer than " + INSTALL_TIMEOUT_MINUTES + " minutes; see " + log);
            }
            if (install.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed (exit " + install.exitValue() + "):\n" + tail(log));
            }
            Files.writeString(marker, lockHash);
        }
    }

    private static NpmServers launch(Path dir, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("node", "start.js")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(process, logWriter, ready), "local-servers-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String json = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            NpmServers servers = new NpmServers(process, endpointsFrom(Json.MAPPER.readTree(json), process));
            LOG.info(() -> "Local servers ready: " + servers.endpoints);
            return servers;
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException("The local servers did not start; see " + log.toAbsolutePath() + ":\n" + tail(log), e);
        }
    }

    /** Copies the servers' output to the log, completing {@code ready} with the endpoints line. */
    private static void pump(Process process, Writer log, CompletableFuture<String> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             log) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(READY_MARKER)) {
                    ready.complete(line.substring(READY_MARKER.length()));
                    log.write("servers ready\n");
                } else {
                    log.write(line + "\n");
                }
                log.flush();
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("start.js exited before it was ready"));
    }

    private static LocalAzure endpointsFrom(JsonNode ready, Process supervisor) {
        String storage = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AZURITE_ACCOUNT_KEY + ";"
                + "BlobEndpoint=" + ready.get("blobEndpoint").asText() + ";"
                + "QueueEndpoint=" + ready.get("queueEndpoint").asText() + ";"
                + "TableEndpoint=" + ready.get("tableEndpoint").asText() + ";";
        return new LocalAzure(storage, ready.get("cosmosEndpoint").asText(), ready.get("cosmosKey").asText(), Map.of(),
                cosmosFaults(ready, supervisor));
    }

    /** The fault switch, and the Cosmos DB server's process: a child of start.js, never another process. */
    private static CosmosFaults cosmosFaults(JsonNode ready, Process supervisor) {
        if (!ready.hasNonNull("cosmosFaultsEndpoint") || !ready.hasNonNull("cosmosPid")) {
            return CosmosFaults.unsupported("start.js did not report a fault switch and a Cosmos DB server process");
        }
        long pid = ready.get("cosmosPid").asLong();
        ProcessHandle server = supervisor.children().filter(child -> child.pid() == pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("The Cosmos DB server (pid " + pid + ") is not a child of start.js"));
        return CosmosFaults.of(URI.create(ready.get("cosmosFaultsEndpoint").asText()), server);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
