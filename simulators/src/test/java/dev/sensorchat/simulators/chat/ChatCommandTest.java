package dev.sensorchat.simulators.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sensorchat.simulators.SimulatorsCli;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command against a stand-in webhook that checks the Telegram secret token and answers as the backend does. */
class ChatCommandTest {

    private static final String SECRET = "tg-secret";

    private HttpServer webhook;
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startWebhook() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/api/chat/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            boolean authentic = SECRET.equals(exchange.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"));
            byte[] body = (authentic
                    ? "{\"chat_id\":1,\"text\":\"<b>2 devices</b>\\n• <code>boiler-1</code> online\",\"parse_mode\":\"HTML\",\"method\":\"sendMessage\"}"
                    : "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"secret token does not match\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authentic ? 200 : 401, body.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(body);
            }
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    private int run(Map<String, String> env, String stdin, String... args) {
        CommandLine cli = SimulatorsCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        ChatCommand chat = cli.getSubcommands().get("chat").getCommand();
        chat.env = env;
        chat.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return cli.execute(args);
    }

    private String base() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/api/chat";
    }

    @Test
    void scriptRunsEachMessageAndPrintsPlainReplies(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("s.txt"), "# smoke\nhelp\n\ndevices\n");

        int exit = run(Map.of(ChatCommand.SECRET_ENV, SECRET), "", "chat", "--channel", "telegram", "--url", base(), "--script", script.toString());

        assertEquals(0, exit, err::toString);
        assertEquals(List.of("/api/chat/telegram", "/api/chat/telegram"), paths);
        String nl = System.lineSeparator();
        assertEquals("> help" + nl + "bot: 2 devices" + nl + "     • boiler-1 online" + nl
                + "> devices" + nl + "bot: 2 devices" + nl + "     • boiler-1 online" + nl, out.toString());
    }

    @Test
    void aRefusedMessageExitsWith1AndSaysWhy() {
        int exit = run(Map.of(), "help\n", "chat", "--channel", "TELEGRAM", "--url", base() + "/telegram", "--secret", "wrong");

        assertEquals(1, exit);
        assertTrue(err.toString().contains("HTTP 401: secret token does not match"), err.toString());
    }

    @Test
    void stdinStopsAtQuit() {
        int exit = run(Map.of(ChatCommand.SECRET_ENV, SECRET), "help\n/quit\ndevices\n", "chat", "--channel", "telegram", "--url", base());

        assertEquals(0, exit, err::toString);
        assertEquals(1, paths.size());
    }

    @Test
    void anUnreachableWebhookIsAFailure() {
        int exit = run(Map.of(ChatCommand.SECRET_ENV, "s"), "help\n", "chat", "--url", "http://127.0.0.1:1/api/chat");

        assertEquals(1, exit);
        assertTrue(err.toString().contains("could not reach http://127.0.0.1:1/api/chat/generic"), err.toString());
    }

    @Test
    void badOptionsExitWith2() {
        assertEquals(2, run(Map.of(), "", "chat", "--url", base()), "no secret");
        assertEquals(2, run(Map.of(ChatCommand.SECRET_ENV, "s"), "", "chat", "--channel", "irc"));
        assertEquals(2, run(Map.of(ChatCommand.SECRET_ENV, "s"), "", "chat", "--channel", "telegram", "--conversation", "ops"));
        assertEquals(2, run(Map.of(ChatCommand.SECRET_ENV, "s"), "", "chat", "--script", "/no/such/file"));
        assertEquals(2, run(Map.of(ChatCommand.SECRET_ENV, "s"), "", "chat", "--receive-port", "70000"));
        assertTrue(paths.isEmpty());
    }

    @Test
    void theUrlIsABaseOrTheFullUrlOfTheChannel() {
        assertEquals(URI.create("http://localhost:7071/api/chat/slack"), ChatCommand.webhookUrl("http://localhost:7071/api/chat", Channel.SLACK));
        assertEquals(URI.create("https://app.example/api/chat/teams?code=k"), ChatCommand.webhookUrl("https://app.example/api/chat/?code=k", Channel.TEAMS));
        assertEquals(URI.create("https://app.example/api/chat/generic"), ChatCommand.webhookUrl("https://app.example/api/chat/generic", Channel.GENERIC));
        assertThrows(IllegalArgumentException.class, () -> ChatCommand.webhookUrl("https://app.example/api/chat/slack", Channel.GENERIC));
        assertThrows(IllegalArgumentException.class, () -> ChatCommand.webhookUrl("localhost:7071", Channel.GENERIC));
    }
}
