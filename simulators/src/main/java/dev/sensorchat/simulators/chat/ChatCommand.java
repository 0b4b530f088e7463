package dev.sensorchat.simulators.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code chat}: talk to the backend's chat webhook as one of its platforms. */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "A chat client for the webhook: sends each message as the chosen platform would, signed the way "
                        + "that platform signs it, and prints the bot's replies.",
                "Messages come from stdin, one per line ('/quit' ends), or from --script. With --receive-port it also "
                        + "prints the notifications the backend sends to the generic channel's callback URL."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every message was answered",
                "1:a message failed (an answer other than 2xx, or the webhook unreachable)",
                "2:invalid options",
                "130:interrupted (Ctrl-C)"},
        footerHeading = "%nExamples:%n",
        footer = {
                "  export SENSORCHAT_CHAT_SECRET=...         # GENERIC_WEBHOOK_SECRET",
                "  java -jar sensorchat-simulators.jar chat  # then type; /quit ends",
                "  ... chat --channel slack --script smoke.txt   # secret: SLACK_SIGNING_SECRET",
                "  ... chat --receive-port 7199   # GENERIC_CALLBACK_URL=http://127.0.0.1:7199/"})
public final class ChatCommand implements Callable<Integer> {

    static final String SECRET_ENV = "SENSORCHAT_CHAT_SECRET";
    static final String RECEIVE_SECRET_ENV = "SENSORCHAT_RECEIVE_SECRET";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://localhost:7071/api/chat",
            description = "The webhook: its base, to which /<channel> is appended, or the full URL ending in the "
                    + "channel's name. Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "generic",
            description = "The platform to act as: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Channel channel;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "The channel's secret as the backend has it: GENERIC_WEBHOOK_SECRET, TELEGRAM_WEBHOOK_SECRET, "
                    + "TEAMS_SECURITY_TOKEN (base64) or SLACK_SIGNING_SECRET. Default: the environment variable "
                    + SECRET_ENV + ", which keeps it out of the process list and the shell history.")
    String secret;

    @Option(names = "--conversation", paramLabel = "ID",
            description = "The conversation: the generic conversationId, a Telegram chat id (a number), a Teams "
                    + "conversation id or a Slack channel id. Default: cli, a private Telegram chat with --user, "
                    + "19:cli@thread.skype, C0CLI.")
    String conversation;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "cli-user",
            description = "Who is talking: the user id and name on the platform. Default: ${DEFAULT-VALUE}.")
    String user;

    @Option(names = "--script", paramLabel = "FILE",
            description = "Send the messages in FILE instead of reading stdin: one per line, blank lines and "
                    + "# comments skipped, /quit stops. Each message is echoed after '> '.")
    Path script;

    @Option(names = "--receive-port", paramLabel = "PORT",
            description = "Also print the notifications POSTed to this port, on 127.0.0.1 only (0: any free port). "
                    + "Its URL, printed on stderr, is the backend's GENERIC_CALLBACK_URL. Without --script this keeps "
                    + "running after stdin closes, until Ctrl-C; without a secret it only receives.")
    Integer receivePort;

    @Option(names = "--receive-secret", paramLabel = "SECRET",
            description = "The secret notifications are signed with (the backend's GENERIC_WEBHOOK_SECRET); a "
                    + "notification with a bad signature gets 401 and is not printed. Default: the environment "
                    + "variable " + RECEIVE_SECRET_ENV + ", else the chat secret when --channel is generic; "
                    + "without any, notifications are printed unverified.")
    String receiveSecret;

    // Seams for tests.
    Map<String, String> env = System.getenv();
    InputStream stdin = System.in;
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> chatSecret = firstGiven(secret, env.get(SECRET_ENV));
        if (chatSecret.isEmpty() && (receivePort == null || script != null)) {
            throw invalid("no secret for the " + channel + " channel: set " + SECRET_ENV + " or give --secret");
        }
        if (script != null && !Files.isReadable(script)) {
            throw invalid("cannot read the script " + script);
        }
        if (receivePort != null && (receivePort < 0 || receivePort > 65_535)) {
            throw invalid("--receive-port must be 0 to 65535");
        }
        ChatSession session = chatSecret.isEmpty() ? null : new ChatSession(webhookUrl(), client(chatSecret.get()), clock, out, err);
        Optional<String> notificationSecret = firstGiven(receiveSecret, env.get(RECEIVE_SECRET_ENV),
                channel == Channel.GENERIC ? chatSecret.orElse(null) : null);

        try (NotificationReceiver receiver = receivePort == null ? null
                : NotificationReceiver.start(receivePort, notificationSecret.orElse(null), clock, out, err)) {
            if (receiver != null) {
                err.println("receiving notifications at " + receiver.url()
                        + (notificationSecret.isPresent() ? "" : " (unverified: no secret to check signatures with)"));
                err.flush();
            }
            boolean quit = false;
            if (script != null) {
                for (String message : MessageLines.script(script)) {
                    echo(out, message);
                    session.say(message);
                }
            } else if (session != null) {
                quit = converse(session, out);
            }
            if (receiver != null && script == null && !quit) {
                err.println("printing notifications until Ctrl-C");
                err.flush();
                new CountDownLatch(1).await(); // the JVM's Ctrl-C handling ends the process, with 130
            }
            return session != null && session.failures() > 0 ? 1 : 0;
        }
    }

    /** Reads messages from stdin until it closes (false) or says /quit (true). */
    private boolean converse(ChatSession session, PrintWriter out) throws IOException {
        // Prompt only at a terminal; piped input gets each message echoed instead, for a readable transcript.
        boolean terminal = System.console() != null;
        BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, Charset.defaultCharset()));
        while (true) {
            if (terminal) {
                out.print("> ");
                out.flush();
            }
            String line = lines.readLine();
            if (line == null) {
                return false;
            }
            if (MessageLines.isQuit(line)) {
                return true;
            }
            Optional<String> message = MessageLines.message(line);
            if (message.isPresent()) {
                if (!terminal) {
                    echo(out, message.get());
                }
                session.say(message.get());
            }
        }
    }

    private static void echo(PrintWriter out, String message) {
        out.println("> " + message);
        out.flush();
    }

    private ChannelClient client(String chatSecret) {
        try {
            return ChannelClient.of(channel, chatSecret, conversation, user);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private URI webhookUrl() {
        try {
            return webhookUrl(url, channel);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** The base URL with /channel appended, or the full URL as it is when it already ends in that channel. */
    static URI webhookUrl(String url, Channel channel) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url is not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http or https URL, not '" + url + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (last.equals(channel.label())) {
            return uri;
        }
        if (Arrays.stream(Channel.values()).anyMatch(other -> other.label().equals(last))) {
            throw new IllegalArgumentException("--url ends in /" + last + " but --channel is " + channel);
        }
        try {
            return new URI(uri.getScheme(), uri.getRawAuthority(), path + "/" + channel.label(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url is not a URL: " + e.getMessage());
        }
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static Optional<String> firstGiven(String... values) {
        return Stream.of(values).filter(value -> value != null && !value.isBlank()).findFirst();
    }
}
