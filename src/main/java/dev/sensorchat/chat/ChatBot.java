package dev.sensorchat.chat;

import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.RuleService;
import dev.sensorchat.auth.Role;
import dev.sensorchat.chat.bot.AlertHandler;
import dev.sensorchat.chat.bot.Conversation;
import dev.sensorchat.chat.bot.DeviceHandler;
import dev.sensorchat.chat.bot.Handler;
import dev.sensorchat.chat.bot.HelpHandler;
import dev.sensorchat.chat.bot.MetricHandler;
import dev.sensorchat.chat.bot.ReportHandler;
import dev.sensorchat.chat.bot.RuleHandler;
import dev.sensorchat.chat.bot.SubscriptionHandler;
import dev.sensorchat.chat.bot.Turn;
import dev.sensorchat.chat.channels.IncomingMessage;
import dev.sensorchat.chat.channels.Reply;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentParser;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.reports.ReportService;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Stored;
import dev.sensorchat.telemetry.AggregateReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The bot's dispatcher. One conversation step: load the conversation (and its audience), parse the
 * message ({@link IntentParser}), let the first handler that can answer it do so, and save what
 * changed, with one ETag-guarded write per document. Handlers ({@code chat.bot}) never touch the
 * conversations container; their words are in {@link Texts}.
 */
public final class ChatBot {

    private final IntentParser parser = new IntentParser();
    private final ChatDirectory directory;
    private final CosmosStore<ConversationDocument> conversations;
    private final Clock clock;
    private final List<Handler> handlers;

    /**
     * @param canNotify   whether a channel is configured to send notifications
     * @param silentAfter a device not seen for this long is "silent"
     */
    public ChatBot(ChatDirectory directory, AggregateReader aggregates, AlertLedger alerts, RuleService rules,
                   CosmosStore<ConversationDocument> conversations, Predicate<String> canNotify, Clock clock,
                   Duration silentAfter, ReportService reports) {
        this(directory, conversations, clock, List.of(
                new HelpHandler(),
                // before DeviceHandler: after a metric, "what about boiler-2?" asks for that metric
                new MetricHandler(directory, aggregates, clock),
                new DeviceHandler(directory, alerts, clock, silentAfter),
                new AlertHandler(alerts, clock),
                new RuleHandler(rules, clock),
                new SubscriptionHandler(directory, canNotify),
                new ReportHandler(directory, reports, clock)));
    }

    /** A bot whose handlers are asked in this order. */
    public ChatBot(ChatDirectory directory, CosmosStore<ConversationDocument> conversations, Clock clock, List<Handler> handlers) {
        this.directory = directory;
        this.conversations = conversations;
        this.clock = clock;
        this.handlers = List.copyOf(handlers);
    }

    /** Answers one message and records what the conversation (and its audience) now knows. */
    public Reply reply(IncomingMessage message) {
        String key = conversationKey(message);
        String audienceKey = audienceKey(message);
        ConversationDocument state = load(key, message);
        ConversationDocument audience = audienceKey.equals(key) ? state : load(audienceKey, message);
        Conversation conversation = new Conversation(message, key, state, audience);
        Intent intent = parser.parse(message.text(), directory::vocabulary, clock.instant());
        Role needed = needed(intent.type());
        if (message.role() != null && !message.role().includes(needed)) {
            return Reply.of(Texts.notAllowed(message.role().claimValue(), needed.claimValue()));
        }
        Turn turn = handlers.stream().filter(handler -> handler.canHandle(intent, conversation)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no handler answers " + intent.type()))
                .handle(intent, conversation);
        boolean oneDocument = audienceKey.equals(key);
        Instant now = clock.instant();
        save(key, message, now, oneDocument && turn.changesAudience()
                ? document -> turn.audienceUpdate().apply(turn.update().apply(document))
                : turn.update());
        if (!oneDocument && turn.changesAudience()) {
            save(audienceKey, message, now, turn.audienceUpdate());
        }
        return turn.reply();
    }

    /**
     * The role an intent needs from a writer whose role is known (the web chat), as the API's routes
     * need it: acting on alerts and rules is an operator's, a report on demand an admin's; asking is
     * a viewer's. A yes confirms what was already allowed when it was asked.
     */
    static Role needed(IntentType type) {
        return switch (type) {
            case ACK, RESOLVE, CREATE_RULE, DELETE_RULE -> Role.OPERATOR;
            case REPORT -> Role.ADMIN;
            default -> Role.VIEWER;
        };
    }

    private ConversationDocument load(String key, IncomingMessage message) {
        return conversations.find(key, key).map(Stored::value)
                .orElseGet(() -> ConversationDocument.start(key, message.channel(), message.address()));
    }

    private void save(String key, IncomingMessage message, Instant now, UnaryOperator<ConversationDocument> update) {
        conversations.compute(key, key, current -> update
                .apply(current.orElseGet(() -> ConversationDocument.start(key, message.channel(), message.address())))
                .touched(message.address(), now));
    }

    /** Cosmos DB ids cannot hold / \ ? #; platform ids rarely do, but never trust them. */
    static String conversationKey(IncomingMessage message) {
        return documentId(message.channel(), message.conversationKey());
    }

    static String audienceKey(IncomingMessage message) {
        return documentId(message.channel(), message.audienceKey());
    }

    private static String documentId(String channel, String conversationKey) {
        String key = conversationKey.replaceAll("[/\\\\?#]", "_");
        return key.length() <= 200 ? key : channel + ":" + sha256(key).substring(0, 40);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
