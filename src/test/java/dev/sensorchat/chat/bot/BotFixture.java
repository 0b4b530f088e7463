package dev.sensorchat.chat.bot;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleCatalog;
import dev.sensorchat.alerts.RuleService;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.ChatDirectory;
import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.channels.IncomingMessage;
import dev.sensorchat.chat.channels.Reply;
import dev.sensorchat.chat.channels.ReplyAddress;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.devices.SilencePolicy;
import dev.sensorchat.reports.ReportIndexDocument;
import dev.sensorchat.reports.ReportService;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.QueryableMemoryStores;
import dev.sensorchat.stream.Rules;
import dev.sensorchat.stream.StreamEvent;
import dev.sensorchat.stream.StreamProcessor;
import dev.sensorchat.stream.StreamSettings;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.TelemetryEvent;
import dev.sensorchat.telemetry.WindowDocument;
import dev.sensorchat.testing.TestClock;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bot's services as the app wires them, over in-memory containers that answer queries, with
 * telemetry written by the real stream processor: what a handler reads is what production reads.
 * Blob writes (report files) go to an endpoint that accepts them.
 */
final class BotFixture {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final Duration SILENT_AFTER = Duration.ofMinutes(15);

    final TestClock clock = new TestClock(NOW);
    final QueryableMemoryStores stores = new QueryableMemoryStores();
    final DeviceRegistry devices = new DeviceRegistry(stores.store(Containers.DEVICES, DeviceDocument.class), SilencePolicy.defaults());
    final RuleCatalog catalog = new RuleCatalog(stores.store(Containers.RULES, Rule.class), clock, Duration.ofSeconds(10));
    final RuleService rules = new RuleService(stores.store(Containers.RULES, Rule.class), catalog, clock);
    final AlertLedger alerts = new AlertLedger(stores.store(Containers.ALERTS, AlertDocument.class), devices, clock);
    final AggregateReader aggregates = new AggregateReader(stores.store(Containers.TELEMETRY, MinuteWindows.class),
            stores.store(Containers.TELEMETRY, WindowDocument.class));
    final ReportService reports = new ReportService(aggregates, devices, stores.store(Containers.ALERTS, AlertDocument.class),
            stores.store(Containers.REPORTS, ReportIndexDocument.class), acceptingBlobs(), clock, 7, Runnable::run);
    final CosmosStore<ConversationDocument> conversations = stores.store(Containers.CONVERSATIONS, ConversationDocument.class);
    final ChatDirectory directory = new ChatDirectory(devices, clock, Duration.ZERO);
    private final StreamProcessor stream = new StreamProcessor("eh:0", stores.streamStore(Duration.ofDays(2)),
            () -> Rules.of(catalog.current()), StreamSettings.defaults(Duration.ofMinutes(10), Duration.ofDays(7), Duration.ofDays(400),
            SilencePolicy.defaults()), Runnable::run);
    private final AtomicLong position = new AtomicLong(1000);
    private final AtomicLong messages = new AtomicLong();

    ChatBot bot() {
        return new ChatBot(directory, aggregates, alerts, rules, conversations, "generic"::equals, clock, SILENT_AFTER, reports);
    }

    /**
     * boiler-1 ("Boiler One", plant 2, tag boilers): ten readings, 5 minutes apart, temperature
     * 60, 62, … 78 and humidity 40 … 49, the last 5 minutes ago; gh-1 (tag greenhouse): humidity
     * 55, 56, 57, the last 10 minutes ago; boiler-2: temperature 70, 40 minutes ago (silent).
     */
    BotFixture withFleet() {
        for (int i = 0; i < 10; i++) {
            ingest("boiler-1", 50 - i * 5L, Map.of("temperature", 60.0 + 2 * i, "humidity", 40.0 + i));
        }
        for (int i = 0; i < 3; i++) {
            ingest("gh-1", 30 - i * 10L, Map.of("humidity", 55.0 + i));
        }
        ingest("boiler-2", 40, Map.of("temperature", 70.0));
        devices.updateProfile("boiler-1", "Boiler One", "Plant 2 / boiler room", List.of("boilers"));
        devices.updateProfile("gh-1", null, null, List.of("greenhouse"));
        return this;
    }

    /** One reading of {@code device}, {@code minutesAgo} before now, through the stream processor. */
    void ingest(String device, long minutesAgo, Map<String, Double> metrics) {
        long ts = clock.instant().minus(Duration.ofMinutes(minutesAgo)).toEpochMilli();
        String[] names = metrics.keySet().toArray(String[]::new);
        double[] values = metrics.values().stream().mapToDouble(Double::doubleValue).toArray();
        long at = position.getAndIncrement();
        List<StreamEvent> batch = List.of(new StreamEvent(at, ts + 500, new TelemetryEvent(device, null, List.of(new Reading(ts, names, values)))));
        stream.process(batch, at);
        stream.flushIdle();
    }

    /** A message in the generic channel's conversation {@code room}. */
    IncomingMessage message(String room, String text) {
        return new IncomingMessage("generic", "m-" + messages.incrementAndGet(), room, "u-1", "Ada", text, address("generic", room), 0);
    }

    /** A message in a Teams thread of {@code channel}: dialogue in the thread, subscriptions on the channel. */
    IncomingMessage teamsThread(String channel, String thread, String text) {
        return new IncomingMessage("teams", "t-" + messages.incrementAndGet(), channel + ";messageid=" + thread, "u-2", "Grace", text,
                address("teams", channel), 0, channel);
    }

    /** A message from a signed-in user of the web chat, whose role the bot applies. */
    IncomingMessage web(String user, dev.sensorchat.auth.Role role, String text) {
        return new IncomingMessage("web", "w-" + messages.incrementAndGet(), "user-" + user, user, user, text,
                new ReplyAddress("web", Map.of("userId", user)), 0, "user-" + user, role);
    }

    Reply say(ChatBot bot, String room, String text) {
        return bot.reply(message(room, text));
    }

    ConversationDocument conversation(String key) {
        return conversations.find(key, key).orElseThrow().value();
    }

    private static ReplyAddress address(String channel, String conversation) {
        return new ReplyAddress(channel, Map.of("conversationId", conversation));
    }

    /** Blob storage that accepts every write, so report files can be "stored" and linked without a server. */
    private static BlobStore acceptingBlobs() {
        HttpClient accepting = request -> Mono.just(new Accepted(request));
        return new BlobStore(new BlobContainerClientBuilder().endpoint("http://127.0.0.1:9/devstoreaccount1/reports")
                .credential(new StorageSharedKeyCredential("devstoreaccount1", "Zm9v")).httpClient(accepting).buildClient());
    }

    private static final class Accepted extends HttpResponse {
        Accepted(HttpRequest request) {
            super(request);
        }

        @Override
        public int getStatusCode() {
            return 201;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return null;
        }

        @Override
        public HttpHeaders getHeaders() {
            return new HttpHeaders();
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(new byte[0]);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just("");
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return getBodyAsString();
        }
    }
}
