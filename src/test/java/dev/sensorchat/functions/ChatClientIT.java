package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sensorchat.AppContext;
import dev.sensorchat.chat.OutboundSender;
import dev.sensorchat.chat.channels.GenericChannel;
import dev.sensorchat.chat.channels.ReplyAddress;
import dev.sensorchat.common.Json;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.storage.ChangeFeedPage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import dev.sensorchat.testing.TestHttpRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulators' chat client, run as a black box ({@code java -jar sensorchat-simulators.jar chat}),
 * against the chat webhook function behind a local HTTP server that calls it as the Functions host
 * would, with the real Cosmos DB server behind it. The client signs on its own; the backend's
 * verifiers decide whether it got that right. Notifications go the other way: the backend's
 * notifier sends them, signed by the backend, to the client's receiver.
 */
@ExtendWith(LocalAzureExtension.class)
class ChatClientIT {

    private static final String SECRET_ENV = "SENSORCHAT_CHAT_SECRET";
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);
    private static final String DEVICE = "kiln-" + ThreadLocalRandom.current().nextInt(10_000, 100_000);
    private static final Pattern RECEIVER_URL = Pattern.compile("receiving notifications at (http://127\\.0\\.0\\.1:\\d+/)");

    private static String jar;
    private static AppContext app;
    private static ChatFunction function;
    private static HttpServer webhook;
    private static ExecutorService webhookThreads;
    private static int receiverPort;
    private static final AtomicLong sequence = new AtomicLong(1);
    /** What the function answered, per delivery, in order. */
    private static final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private record Answer(String channel, int status) {
    }

    private record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void start(LocalAzure azure) throws IOException {
        jar = System.getProperty("sensorchat.simulators.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            fail("sensorchat.simulators.jar must name the built client (mvn -f simulators/pom.xml package); it is " + jar);
        }
        receiverPort = freePort();
        Map<String, String> settings = new HashMap<>(ChatDeliveries.settings(null));
        settings.put(AppContext.GENERIC_CALLBACK_URL, "http://127.0.0.1:" + receiverPort + "/");
        app = azure.newAppContext(settings);
        function = new ChatFunction(app::chat);
        ingest(Instant.now().minus(1, ChronoUnit.MINUTES), 60);

        webhookThreads = Executors.newFixedThreadPool(4);
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/api/chat/", ChatClientIT::callFunction);
        webhook.setExecutor(webhookThreads);
        webhook.start();
    }

    @AfterAll
    static void stop() {
        if (webhook != null) {
            webhook.stop(0);
            webhookThreads.shutdownNow();
        }
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void killChildren() {
        processes.forEach(Process::destroyForcibly);
    }

    /** POST /api/chat/{channel}, handed to the function as the Functions host hands it over. */
    private static void callFunction(HttpExchange exchange) throws IOException {
        try (exchange) {
            String channel = exchange.getRequestURI().getPath().substring("/api/chat/".length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            TestHttpRequest request = TestHttpRequest.post("http://localhost:7071" + exchange.getRequestURI(), body);
            exchange.getRequestHeaders().forEach((name, values) -> request.header(name, String.join(",", values)));

            HttpResponseMessage response = function.run(request, channel, new TestExecutionContext("chat"));

            answers.add(new Answer(channel, response.getStatusCode()));
            byte[] answer = response.getBody() == null ? new byte[0] : response.getBody().toString().getBytes(StandardCharsets.UTF_8);
            if (response.getHeader("Content-Type") != null) {
                exchange.getResponseHeaders().set("Content-Type", response.getHeader("Content-Type"));
            }
            exchange.sendResponseHeaders(response.getStatusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static void ingest(Instant ts, double temperature) {
        String body = "{\"deviceId\":\"" + DEVICE + "\",\"ts\":\"" + ts + "\",\"metrics\":{\"temperature\":" + temperature + "}}";
        app.eventHubBatches().process("telemetry", "0",
                List.of(new EventHubBatchProcessor.Event(body, sequence.getAndIncrement(), ts.plusSeconds(1), "0", DEVICE)));
    }

    private static String webhookBase() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/api/chat";
    }

    /** The secret each channel's platform holds, in the form the platform shows it. */
    private static String secret(String channel) {
        return switch (channel) {
            case "generic" -> ChatDeliveries.GENERIC_SECRET;
            case "telegram" -> ChatDeliveries.TELEGRAM_SECRET;
            case "teams" -> Base64.getEncoder().encodeToString(ChatDeliveries.TEAMS_KEY);
            default -> ChatDeliveries.SLACK_SECRET;
        };
    }

    private static String conversation(String channel) {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        return switch (channel) {
            case "generic" -> "cli-" + unique;
            case "telegram" -> String.valueOf(ThreadLocalRandom.current().nextLong(1, 1_000_000_000L));
            case "teams" -> "19:" + unique + "@thread.skype";
            default -> "C" + unique.toUpperCase();
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"generic", "telegram", "teams", "slack"})
    void eachChannelIsVerifiedAndAnswered(String channel, @TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("smoke.txt"), "# a smoke test\nhelp\n\nstatus " + DEVICE + "\n");
        int before = answers.size();

        Result result = run(Map.of(SECRET_ENV, secret(channel)), "--channel", channel, "--url", webhookBase(),
                "--conversation", conversation(channel), "--user", "ana", "--script", script.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of(new Answer(channel, 200), new Answer(channel, 200)), answers.subList(before, answers.size()),
                "the backend verified both messages and answered them");
        assertTrue(result.out().contains("> help\nbot: I know your devices, their readings and alerts."), result::toString);
        assertTrue(result.out().replace("`", "").contains(DEVICE + " is online"), result::toString);
        if (channel.equals("telegram")) {
            assertFalse(result.out().contains("<code>") || result.out().contains("&lt;"), "HTML shown as text: " + result);
        }
        assertEquals("", result.err(), result::toString);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"generic", "telegram", "teams", "slack"})
    void aWrongSecretIsRefusedAndTheClientExits1(String channel, @TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("one.txt"), "help\n");
        String wrong = channel.equals("teams") ? Base64.getEncoder().encodeToString("not-the-key".getBytes(StandardCharsets.UTF_8)) : "not-the-secret";
        int before = answers.size();

        Result result = run(Map.of(SECRET_ENV, wrong), "--channel", channel, "--url", webhookBase(), "--script", script.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of(new Answer(channel, 401)), answers.subList(before, answers.size()));
        assertTrue(result.err().contains("error: HTTP 401"), result::toString);
        assertFalse(result.out().contains("bot:"), result::toString);
    }

    @Test
    void theReceiverPrintsTheBackendsNotificationsAndRefusesForgedOnes(@TempDir Path dir) throws Exception {
        String conversation = conversation("generic");
        Process client = start(dir, Map.of(SECRET_ENV, ChatDeliveries.GENERIC_SECRET), "--url", webhookBase(),
                "--conversation", conversation, "--receive-port", String.valueOf(receiverPort));
        Matcher ready = RECEIVER_URL.matcher(awaitText(dir.resolve("err"), RECEIVER_URL.asPredicate(), client));
        assertTrue(ready.find());
        String receiverUrl = ready.group(1);

        // Subscribe through the client, then close its stdin: it keeps running, printing notifications.
        try (Writer stdin = client.outputWriter(StandardCharsets.UTF_8)) {
            stdin.write("subscribe " + DEVICE + "\n");
        }
        awaitText(dir.resolve("out"), out -> out.contains("bot: Subscribed"), client);
        awaitText(dir.resolve("err"), err -> err.contains("until Ctrl-C"), client);

        // An alert opens; the notification function sends it, signed, to the callback URL.
        app.rules().create(Json.MAPPER.readTree("""
                {"name": "CLI kiln too hot", "scope": {"kind": "device", "value": "%s"}, "metric": "temperature",
                 "operator": ">", "threshold": 100, "severity": "critical"}""".formatted(DEVICE)));
        CosmosStore<ObjectNode> alerts = app.store(Containers.ALERTS, ObjectNode.class);
        String start = alerts.readChangesFromNow().continuation();
        ingest(Instant.now().minusSeconds(30), 120);
        ChangeFeedPage<ObjectNode> opened = alerts.readChanges(start, 1000);
        new AlertNotifications(app).deliver(opened.changes().stream().map(ObjectNode::toString).toList());

        String out = awaitText(dir.resolve("out"), text -> text.contains("notification [" + conversation + "]"), client);
        assertTrue(out.contains("CLI kiln too hot") && out.contains(DEVICE), out);

        // Someone without the secret gets 401, and nothing is printed.
        GenericChannel forger = new GenericChannel("not-the-secret", receiverUrl);
        assertThrows(OutboundSender.DeliveryFailed.class, () -> new OutboundSender().send(
                forger.outbound(new ReplyAddress("generic", Map.of("conversationId", conversation)), dev.sensorchat.chat.channels.Reply.of("forged alert")).orElseThrow()));
        Thread.sleep(200);
        assertFalse(Files.readString(dir.resolve("out")).contains("forged alert"));
        assertTrue(Files.readString(dir.resolve("err")).contains("refused a notification"));
        assertTrue(client.isAlive(), "still receiving after stdin closed");
    }

    /** Runs the client with stdin closed, to the end. */
    private Result run(Map<String, String> env, String... args) throws Exception {
        Path dir = Files.createTempDirectory("chat-client");
        Process process = start(dir, env, args);
        process.getOutputStream().close();
        if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the client did not finish within " + PROCESS_TIMEOUT + ": " + Files.readString(dir.resolve("err")));
        }
        return new Result(process.exitValue(), readQuietly(dir.resolve("out")), readQuietly(dir.resolve("err")));
    }

    /** Starts {@code java -jar <jar> chat <args>} with stdout and stderr going to {@code dir/out} and {@code dir/err}. */
    private Process start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfile.encoding=UTF-8", "-jar", jar, "chat"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        builder.environment().remove(SECRET_ENV);
        builder.environment().remove("SENSORCHAT_RECEIVE_SECRET");
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Waits until the file's text satisfies {@code condition}, and returns the text. */
    private static String awaitText(Path file, Predicate<String> condition, Process process) throws Exception {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(file);
            if (condition.test(text)) {
                return text;
            }
            if (!process.isAlive()) {
                fail("the client exited with " + process.exitValue() + ": " + text + readQuietly(file.resolveSibling("err")));
            }
            Thread.sleep(50);
        }
        return fail("timed out waiting in " + file + ": " + Files.readString(file));
    }

    /** The file's text with Unix line ends. */
    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
