package dev.sensorchat;

import com.azure.core.credential.TokenCredential;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.fasterxml.jackson.databind.JsonNode;
import com.azure.cosmos.models.PartitionKey;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleCatalog;
import dev.sensorchat.alerts.RuleService;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.auth.AuthSettings;
import dev.sensorchat.auth.Authenticator;
import dev.sensorchat.auth.TokenVerifier;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.chat.AlertNotifier;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.ChatDirectory;
import dev.sensorchat.chat.ChatService;
import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.DeliveryLedger;
import dev.sensorchat.chat.IdempotencyRecord;
import dev.sensorchat.chat.OutboundSender;
import dev.sensorchat.chat.SubscriptionAdmin;
import dev.sensorchat.chat.channels.ChannelAdapter;
import dev.sensorchat.chat.channels.GenericChannel;
import dev.sensorchat.chat.channels.SlackChannel;
import dev.sensorchat.chat.channels.TeamsChannel;
import dev.sensorchat.chat.channels.TelegramChannel;
import dev.sensorchat.chat.channels.WebChannel;
import dev.sensorchat.common.ClassPreloader;
import dev.sensorchat.common.Lazy;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.config.BlobContainerNames;
import dev.sensorchat.config.CosmosConnection;
import dev.sensorchat.config.IdentitySettings;
import dev.sensorchat.config.SettingException;
import dev.sensorchat.config.StorageConnection;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.devices.SilencePolicy;
import dev.sensorchat.reports.ReportIndexDocument;
import dev.sensorchat.reports.ReportService;
import dev.sensorchat.devices.SilentDeviceCheck;
import dev.sensorchat.health.DependencyCheck;
import dev.sensorchat.health.HealthService;
import dev.sensorchat.ingest.EventHubBatchProcessor;
import dev.sensorchat.ingest.IngestMetrics;
import dev.sensorchat.ingest.UploadProcessor;
import dev.sensorchat.ingest.UploadWriter;
import dev.sensorchat.storage.ContainerSpec;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosProvisioner;
import dev.sensorchat.storage.CosmosDocumentContainer;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.CosmosStreamStore;
import dev.sensorchat.storage.DocumentContainer;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.storage.MeteredContainer;
import dev.sensorchat.storage.StoreMeter;
import dev.sensorchat.storage.RetryPolicy;
import dev.sensorchat.stream.Rules;
import dev.sensorchat.stream.StreamSettings;
import dev.sensorchat.stream.TelemetryStreams;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.TelemetryLimits;
import dev.sensorchat.telemetry.TelemetryParser;
import dev.sensorchat.telemetry.WindowDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: reads app settings and builds each Azure SDK client once per process,
 * on first use. Function classes get what they need from {@link #shared()}; tests build their own
 * context from explicit settings.
 */
public final class AppContext implements AutoCloseable {

    public static final String COSMOS_CONNECTION = "CosmosDb";
    public static final String COSMOS_DATABASE = "COSMOS_DATABASE";
    public static final String COSMOS_CONNECTION_MODE = "COSMOS_CONNECTION_MODE";
    public static final String COSMOS_ENDPOINT_DISCOVERY = "COSMOS_ENDPOINT_DISCOVERY";
    public static final String STORAGE_CONNECTION = "DataStorage";
    public static final String AUTO_CREATE_RESOURCES = "AUTO_CREATE_RESOURCES";
    /** Loads the classes of the first answers on a second processor while the first request runs (see {@link ClassPreloader}). */
    public static final String PRELOAD_CLASSES = "PRELOAD_CLASSES";
    public static final String HEALTH_TIMEOUT_MS = "HEALTH_TIMEOUT_MS";
    public static final String TELEMETRY_ALLOWED_LATENESS_MINUTES = "TELEMETRY_ALLOWED_LATENESS_MINUTES";
    public static final String UPLOAD_MAX_AGE_HOURS = "UPLOAD_MAX_AGE_HOURS";
    public static final String MINUTE_WINDOW_TTL_DAYS = "MINUTE_WINDOW_TTL_DAYS";
    public static final String HOUR_WINDOW_TTL_DAYS = "HOUR_WINDOW_TTL_DAYS";
    public static final String RULES_REFRESH_SECONDS = "RULES_REFRESH_SECONDS";
    public static final String TELEMETRY_WRITE_CONCURRENCY = "TELEMETRY_WRITE_CONCURRENCY";
    public static final String TELEMETRY_IDLE_FLUSH_SECONDS = "TELEMETRY_IDLE_FLUSH_SECONDS";
    public static final String TELEMETRY_FLUSH_SECONDS = "TELEMETRY_FLUSH_SECONDS";
    public static final String DEVICE_SILENT_AFTER_MINUTES = "DEVICE_SILENT_AFTER_MINUTES";
    public static final String DEVICE_SILENT_FACTOR = "DEVICE_SILENT_FACTOR";
    public static final String DEVICE_SILENT_FACTOR_OVERRIDES = "DEVICE_SILENT_FACTOR_OVERRIDES";
    public static final String DEVICE_OFFLINE_SEVERITY = "DEVICE_OFFLINE_SEVERITY";
    public static final String SILENT_DEVICES_MAX_PER_RUN = "SILENT_DEVICES_MAX_PER_RUN";
    public static final String REPORT_CATCH_UP_DAYS = "REPORT_CATCH_UP_DAYS";
    public static final String IDEMPOTENCY_TTL_DAYS = "IDEMPOTENCY_TTL_DAYS";
    public static final String DEADLETTER_TTL_DAYS = "DEADLETTER_TTL_DAYS";
    public static final String GENERIC_WEBHOOK_SECRET = "GENERIC_WEBHOOK_SECRET";
    public static final String GENERIC_CALLBACK_URL = "GENERIC_CALLBACK_URL";
    public static final String TELEGRAM_WEBHOOK_SECRET = "TELEGRAM_WEBHOOK_SECRET";
    public static final String TELEGRAM_BOT_TOKEN = "TELEGRAM_BOT_TOKEN";
    public static final String TELEGRAM_API_BASE_URL = "TELEGRAM_API_BASE_URL";
    public static final String TEAMS_SECURITY_TOKEN = "TEAMS_SECURITY_TOKEN";
    public static final String TEAMS_INCOMING_WEBHOOK_URL = "TEAMS_INCOMING_WEBHOOK_URL";
    public static final String SLACK_SIGNING_SECRET = "SLACK_SIGNING_SECRET";
    public static final String SLACK_INCOMING_WEBHOOK_URL = "SLACK_INCOMING_WEBHOOK_URL";
    public static final String SLACK_BOT_TOKEN = "SLACK_BOT_TOKEN";
    public static final String SLACK_API_BASE_URL = "SLACK_API_BASE_URL";

    private static final Logger LOG = Logger.getLogger(AppContext.class.getName());
    private static final Lazy<AppContext> SHARED = new Lazy<>(AppContext::startShared);
    private static final Lazy<String> VERSION = new Lazy<>(AppContext::readVersion);
    private static final AtomicBoolean PRELOADING = new AtomicBoolean();

    private final AppSettings settings;
    private final Clock clock;
    private final Map<IdentitySettings, TokenCredential> credentials = new ConcurrentHashMap<>();
    private final Map<String, CosmosStore<?>> stores = new ConcurrentHashMap<>();
    private final Map<String, DocumentContainer> containers = new ConcurrentHashMap<>();
    private final StoreMeter storeMeter = new StoreMeter();
    private final Map<String, BlobStore> blobStores = new ConcurrentHashMap<>();
    private final Lazy<CosmosClient> cosmosClient = new Lazy<>(this::buildCosmosClient);
    private final Lazy<CosmosDatabase> cosmosDatabase = new Lazy<>(this::openCosmosDatabase);
    private final Lazy<BlobServiceClient> blobService = new Lazy<>(this::buildBlobServiceClient);
    private final Lazy<BlobContainerNames> blobContainers;
    private final Lazy<RetryPolicy> cosmosRetry;
    private final Lazy<HealthService> health = new Lazy<>(this::buildHealthService);
    private final Lazy<ExecutorService> writeExecutor = new Lazy<>(this::buildWriteExecutor);
    private final Lazy<DeviceRegistry> deviceRegistry =
            new Lazy<>(() -> new DeviceRegistry(store(Containers.DEVICES, DeviceDocument.class), silencePolicy()));
    private final Lazy<RuleCatalog> ruleCatalog = new Lazy<>(() -> new RuleCatalog(store(Containers.RULES, Rule.class),
            clock(), Duration.ofSeconds(settings().positiveInt(RULES_REFRESH_SECONDS, 10))));
    private final Lazy<RuleService> ruleService =
            new Lazy<>(() -> new RuleService(store(Containers.RULES, Rule.class), ruleCatalog(), clock()));
    private final Lazy<AlertLedger> alertLedger = new Lazy<>(() -> new AlertLedger(store(Containers.ALERTS, AlertDocument.class),
            devices(), clock()));
    private final Lazy<SilentDeviceCheck> silentDeviceCheck = new Lazy<>(() -> new SilentDeviceCheck(devices(), alerts(),
            offlineSeverity(), clock(), settings().positiveInt(SILENT_DEVICES_MAX_PER_RUN, SilentDeviceCheck.DEFAULT_BUDGET),
            SilentDeviceCheck.DEFAULT_CONCURRENCY));
    /** Reads for reports, on their own threads so a report never holds up telemetry writes. */
    private final Lazy<ExecutorService> reportReaders = new Lazy<>(() -> java.util.concurrent.Executors.newFixedThreadPool(8, task -> {
        Thread thread = new Thread(task, "report-reader");
        thread.setDaemon(true);
        return thread;
    }));
    private final Lazy<ReportService> reportService = new Lazy<>(() -> new ReportService(aggregates(), devices(),
            store(Containers.ALERTS, AlertDocument.class), store(Containers.REPORTS, ReportIndexDocument.class),
            blobStore(blobContainers().reports()), clock(), settings().positiveInt(REPORT_CATCH_UP_DAYS, 7), reportReaders.get()));
    private final Lazy<CosmosStreamStore> streamStore = new Lazy<>(this::buildStreamStore);
    private final Lazy<TelemetryStreams> telemetryStreams = new Lazy<>(this::buildTelemetryStreams);
    private final Lazy<EventHubBatchProcessor> eventHubBatchProcessor = new Lazy<>(() -> new EventHubBatchProcessor(
            new TelemetryParser(TelemetryLimits.withLateness(allowedLateness())), telemetryStreams(),
            blobStore(blobContainers().deadLetters()), clock()));
    private final Lazy<IngestMetrics> ingestMetrics = new Lazy<>(IngestMetrics::global);
    private final Lazy<UploadProcessor> uploadProcessor = new Lazy<>(() -> new UploadProcessor(
            new TelemetryParser(TelemetryLimits.withLateness(Duration.ofHours(settings().positiveInt(UPLOAD_MAX_AGE_HOURS, 168)))),
            buildUploadWriter(), blobStore(blobContainers().deadLetters()), clock()));

    private final Lazy<Map<String, ChannelAdapter>> chatChannels = new Lazy<>(this::buildChatChannels);
    private final Lazy<Authenticator> authenticator = new Lazy<>(() -> AuthSettings.from(settings())
            .map(auth -> Authenticator.of(auth, TokenVerifier.discovering(auth, clock()))).orElseGet(Authenticator::notConfigured));
    private final Lazy<ChatService> chatService = new Lazy<>(this::buildChatService);
    private final Lazy<SubscriptionAdmin> subscriptionAdmin =
            new Lazy<>(() -> new SubscriptionAdmin(store(Containers.CONVERSATIONS, ConversationDocument.class)));
    private final Lazy<DeliveryLedger> deliveryLedger = new Lazy<>(() -> new DeliveryLedger(
            store(Containers.IDEMPOTENCY, IdempotencyRecord.class), clock(), idempotencyLifetime()));
    /** One HTTP client per process for the chat platforms' APIs. */
    private final Lazy<OutboundSender> outboundSender = new Lazy<>(OutboundSender::new);
    private final Lazy<AlertNotifier> alertNotifier = new Lazy<>(() -> new AlertNotifier(
            store(Containers.CONVERSATIONS, ConversationDocument.class), deliveryLedger.get(),
            devices(), chatChannels(), outboundSender.get(), clock()));

    public AppContext(AppSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock the time API actions are stamped with (tests pass a fixed one) */
    public AppContext(AppSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.blobContainers = new Lazy<>(() -> BlobContainerNames.read(settings));
        this.cosmosRetry = new Lazy<>(CosmosStore::defaultRetryPolicy);
    }

    /**
     * Starts loading the classes of the first answers in the background, once per process, unless
     * {@value #PRELOAD_CLASSES} is false: when the worker loads the functions
     * ({@code functions.FunctionInstances}), and again harmlessly at the first invocation.
     */
    public static void preloadClasses(AppSettings settings) {
        if (settings.flag(PRELOAD_CLASSES, true) && PRELOADING.compareAndSet(false, true)) {
            ClassPreloader.startInBackground(AppContext.class.getClassLoader());
        }
    }

    /** The process-wide context, configured from the environment the Functions host provides. */
    public static AppContext shared() {
        return SHARED.get();
    }

    private static AppContext startShared() {
        AppSettings settings = AppSettings.fromEnvironment();
        preloadClasses(settings);
        AppContext context = new AppContext(settings);
        // The host stops a worker (scale-in, deployment) with SIGTERM: write what the telemetry
        // streams hold before the process goes, rather than leave it to the partition's next owner.
        Runtime.getRuntime().addShutdownHook(new Thread(context::shutdown, "sensorchat-shutdown"));
        return context;
    }

    /**
     * Writes every telemetry stream's pending changes (open minutes, latest values, a checkpoint),
     * then closes. What a failed write leaves behind is in the stream's log: the partition's next
     * owner rebuilds it from there.
     */
    public void shutdown() {
        if (telemetryStreams.isBuilt()) {
            try {
                telemetryStreams.get().flushIdle();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "telemetry streams not flushed at shutdown: " + e.getMessage(), e);
            }
        }
        close();
    }

    public AppSettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    /** Who signed-in callers are (the dashboard's API and the web chat); nothing is fetched before the first token. */
    public Authenticator authenticator() {
        return authenticator.get();
    }

    public DeviceRegistry devices() {
        return deviceRegistry.get();
    }

    /** How long "already handled" records of webhook deliveries and notifications are kept. */
    private Duration idempotencyLifetime() {
        return Duration.ofDays(settings.positiveInt(IDEMPOTENCY_TTL_DAYS, 7));
    }

    /** The dead-letter container. */
    public BlobStore deadLetters() {
        return blobStore(blobContainers().deadLetters());
    }

    /** How long dead letters are kept ({@code DEADLETTER_TTL_DAYS}). */
    public Duration deadLetterLifetime() {
        return Duration.ofDays(settings.positiveInt(DEADLETTER_TTL_DAYS, 30));
    }

    public ReportService reports() {
        return reportService.get();
    }

    public SilentDeviceCheck silentDeviceCheck() {
        return silentDeviceCheck.get();
    }

    private Severity offlineSeverity() {
        try {
            return Severity.fromLabel(settings.get(DEVICE_OFFLINE_SEVERITY, "warning"));
        } catch (IllegalArgumentException e) {
            throw new SettingException(DEVICE_OFFLINE_SEVERITY, "must be info, warning or critical.");
        }
    }

    /** When a device counts as silent; see {@link SilencePolicy}. */
    public SilencePolicy silencePolicy() {
        String factor = settings.get(DEVICE_SILENT_FACTOR, "3");
        double parsed;
        try {
            parsed = Double.parseDouble(factor);
        } catch (NumberFormatException e) {
            throw new SettingException(DEVICE_SILENT_FACTOR, "must be a positive number, such as 3 or 2.5.");
        }
        if (!(parsed > 0) || !Double.isFinite(parsed)) {
            throw new SettingException(DEVICE_SILENT_FACTOR, "must be a positive number, such as 3 or 2.5.");
        }
        try {
            return SilencePolicy.of(parsed, settings.get(DEVICE_SILENT_FACTOR_OVERRIDES, ""),
                    Duration.ofMinutes(settings.positiveInt(DEVICE_SILENT_AFTER_MINUTES, 15)))
                    .withReportingLag(Duration.ofSeconds(settings.positiveInt(TELEMETRY_FLUSH_SECONDS, 60)));
        } catch (IllegalArgumentException e) {
            throw new SettingException(DEVICE_SILENT_FACTOR_OVERRIDES, e.getMessage() + "; write device:<id>=<factor>,tag:<tag>=<factor>.");
        }
    }

    public RuleCatalog ruleCatalog() {
        return ruleCatalog.get();
    }

    public RuleService rules() {
        return ruleService.get();
    }

    public AlertLedger alerts() {
        return alertLedger.get();
    }

    /** The telemetry streams of this instance, one per Event Hubs partition it processes. */
    public TelemetryStreams telemetryStreams() {
        return telemetryStreams.get();
    }

    /** The stream processor's store: its log and checkpoints, the read model, alerts. */
    public CosmosStreamStore streamStore() {
        return streamStore.get();
    }

    public EventHubBatchProcessor eventHubBatches() {
        return eventHubBatchProcessor.get();
    }

    /** The telemetry metrics, on the process's global OpenTelemetry (the agent's in Azure). */
    public IngestMetrics ingestMetrics() {
        return ingestMetrics.get();
    }

    public UploadProcessor uploads() {
        return uploadProcessor.get();
    }

    /** Every conversation's alert subscriptions, as an admin sees and ends them. */
    public SubscriptionAdmin subscriptions() {
        return subscriptionAdmin.get();
    }

    public ChatService chat() {
        return chatService.get();
    }

    public AlertNotifier alertNotifier() {
        return alertNotifier.get();
    }

    /** The chat channels whose secrets are set, by route name. */
    public Map<String, ChannelAdapter> chatChannels() {
        return chatChannels.get();
    }

    /** Aggregates as the query API, chat and reports read them. */
    public AggregateReader aggregates() {
        return new AggregateReader(minuteWindows(), windows());
    }

    /** The minute documents (one per device, hour and source). */
    public CosmosStore<MinuteWindows> minuteWindows() {
        return store(Containers.TELEMETRY, MinuteWindows.class);
    }

    /** The final hourly rollups. */
    public CosmosStore<WindowDocument> windows() {
        return store(Containers.TELEMETRY, WindowDocument.class);
    }

    /** The app's version, from the build. */
    public static String version() {
        return VERSION.get();
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = AppContext.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    public CosmosDatabase cosmosDatabase() {
        return cosmosDatabase.get();
    }

    /** The typed document store for one container; built once per container and type. */
    @SuppressWarnings("unchecked")
    public <T> CosmosStore<T> store(ContainerSpec spec, Class<T> type) {
        return (CosmosStore<T>) stores.computeIfAbsent(spec.name() + "|" + type.getName(),
                key -> new CosmosStore<>(container(spec), spec, type, cosmosRetry.get()));
    }

    /** One metered container per Cosmos DB container, shared by every store on it. */
    private DocumentContainer container(ContainerSpec spec) {
        return containers.computeIfAbsent(spec.name(), name -> new MeteredContainer(
                new CosmosDocumentContainer(cosmosDatabase().getContainer(name)), storeMeter));
    }

    /** Requests, documents, bytes and request units the app sent to Cosmos DB, per container. */
    public StoreMeter storeMeter() {
        return storeMeter;
    }

    public BlobContainerNames blobContainers() {
        return blobContainers.get();
    }

    /** The blobs of one container; locally the container is created on first use. */
    public BlobStore blobStore(String containerName) {
        return blobStores.computeIfAbsent(containerName, name -> {
            BlobContainerClient container = blobService.get().getBlobContainerClient(name);
            if (autoCreate(storageConnection() instanceof StorageConnection.WithConnectionString)) {
                container.createIfNotExists();
            }
            return new BlobStore(container);
        });
    }

    public HealthService health() {
        return health.get();
    }

    @Override
    public void close() {
        if (telemetryStreams.isBuilt()) {
            telemetryStreams.get().close();
        }
        if (reportReaders.isBuilt()) {
            reportReaders.get().shutdown();
        }
        if (writeExecutor.isBuilt()) {
            writeExecutor.get().shutdown();
        }
        if (cosmosClient.isBuilt()) {
            cosmosClient.get().close();
        }
    }

    private Map<String, ChannelAdapter> buildChatChannels() {
        Map<String, ChannelAdapter> channels = new TreeMap<>();
        if (authenticator().configured()) {
            channels.put("web", new WebChannel(authenticator())); // the dashboard's chat: the user's token, no shared secret
        }
        settings.find(GENERIC_WEBHOOK_SECRET).ifPresent(secret -> channels.put("generic",
                new GenericChannel(secret, settings.find(GENERIC_CALLBACK_URL).map(url -> settings.endpoint(GENERIC_CALLBACK_URL, url).toString()).orElse(null))));
        Optional<String> telegramSecret = settings.find(TELEGRAM_WEBHOOK_SECRET);
        if (telegramSecret.isPresent() && !TelegramChannel.isValidSecret(telegramSecret.get())) {
            throw new SettingException(TELEGRAM_WEBHOOK_SECRET, TelegramChannel.SECRET_RULE + ".");
        }
        telegramSecret.ifPresent(secret -> channels.put("telegram", new TelegramChannel(secret,
                settings.endpoint(TELEGRAM_API_BASE_URL, settings.get(TELEGRAM_API_BASE_URL, "https://api.telegram.org")).toString(),
                settings.find(TELEGRAM_BOT_TOKEN).orElse(null))));
        settings.find(TEAMS_SECURITY_TOKEN).ifPresent(token -> {
            try {
                channels.put("teams", new TeamsChannel(token, settings.find(TEAMS_INCOMING_WEBHOOK_URL)
                        .map(url -> settings.endpoint(TEAMS_INCOMING_WEBHOOK_URL, url).toString()).orElse(null)));
            } catch (IllegalArgumentException notBase64) {
                throw new SettingException(TEAMS_SECURITY_TOKEN, "must be the base64 security token Teams showed for the outgoing webhook.");
            }
        });
        settings.find(SLACK_SIGNING_SECRET).ifPresent(secret -> channels.put("slack", new SlackChannel(secret,
                settings.find(SLACK_INCOMING_WEBHOOK_URL).map(url -> settings.endpoint(SLACK_INCOMING_WEBHOOK_URL, url).toString()).orElse(null),
                settings.endpoint(SLACK_API_BASE_URL, settings.get(SLACK_API_BASE_URL, "https://slack.com/api")).toString(),
                settings.find(SLACK_BOT_TOKEN).orElse(null))));
        return Map.copyOf(channels);
    }

    private ChatService buildChatService() {
        Map<String, ChannelAdapter> channels = chatChannels();
        ChatBot bot = new ChatBot(new ChatDirectory(devices(), clock, Duration.ofSeconds(30)), aggregates(),
                alerts(), rules(), store(Containers.CONVERSATIONS, ConversationDocument.class),
                channel -> channels.containsKey(channel) && channels.get(channel).canNotify(), clock,
                Duration.ofMinutes(settings.positiveInt(DEVICE_SILENT_AFTER_MINUTES, 15)), reports());
        return new ChatService(channels, bot, deliveryLedger.get(), outboundSender.get(), clock);
    }

    private ExecutorService buildWriteExecutor() {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newFixedThreadPool(settings.positiveInt(TELEMETRY_WRITE_CONCURRENCY, 8), runnable -> {
            Thread thread = new Thread(runnable, "telemetry-writer-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private Duration allowedLateness() {
        return Duration.ofMinutes(settings.positiveInt(TELEMETRY_ALLOWED_LATENESS_MINUTES, 10));
    }

    private UploadWriter.Retention retention() {
        return new UploadWriter.Retention(Duration.ofDays(settings.positiveInt(MINUTE_WINDOW_TTL_DAYS, 7)),
                Duration.ofDays(settings.positiveInt(HOUR_WINDOW_TTL_DAYS, 400)));
    }

    private CosmosStreamStore buildStreamStore() {
        StreamSettings defaults = streamSettings();
        return CosmosStreamStore.over(this::store, (int) defaults.segmentTtl().toSeconds());
    }

    private StreamSettings streamSettings() {
        UploadWriter.Retention retention = retention();
        return StreamSettings.defaults(allowedLateness(), retention.minute(), retention.hour(), silencePolicy());
    }

    private TelemetryStreams buildTelemetryStreams() {
        RuleCatalog catalog = ruleCatalog();
        // The catalog hands out the same list until it reloads: fingerprint each list once.
        java.util.concurrent.atomic.AtomicReference<Map.Entry<List<Rule>, Rules>> last = new java.util.concurrent.atomic.AtomicReference<>();
        Rules.Source rules = () -> {
            List<Rule> current = catalog.current();
            Map.Entry<List<Rule>, Rules> known = last.get();
            if (known != null && known.getKey() == current) {
                return known.getValue();
            }
            Rules fingerprinted = Rules.of(current);
            last.set(Map.entry(current, fingerprinted));
            return fingerprinted;
        };
        return new TelemetryStreams(streamStore(), rules, streamSettings(), Invocation.propagating(writeExecutor.get()),
                Duration.ofSeconds(settings.positiveInt(TELEMETRY_IDLE_FLUSH_SECONDS, 30)));
    }

    private UploadWriter buildUploadWriter() {
        return new UploadWriter(minuteWindows(), windows(), devices(), streamStore(), ruleCatalog(), retention(), Invocation.propagating(writeExecutor.get()));
    }

    private TokenCredential credential(IdentitySettings identity) {
        return credentials.computeIfAbsent(identity, IdentitySettings::toCredential);
    }

    private CosmosConnection cosmosConnection() {
        return CosmosConnection.read(settings, COSMOS_CONNECTION);
    }

    private StorageConnection storageConnection() {
        return StorageConnection.read(settings, STORAGE_CONNECTION);
    }

    private String databaseName() {
        String name = settings.get(COSMOS_DATABASE, "sensorchat");
        if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new SettingException(COSMOS_DATABASE, "must be a database id of letters, digits, '-' and '_'.");
        }
        return name;
    }

    /** Key-based connections (the local emulators) create what is missing; identities never do. */
    private boolean autoCreate(boolean keyBased) {
        return settings.flag(AUTO_CREATE_RESOURCES, keyBased);
    }

    private CosmosClient buildCosmosClient() {
        CosmosConnection connection = cosmosConnection();
        CosmosClientBuilder builder = new CosmosClientBuilder()
                .endpoint(connection.endpoint().toString())
                .userAgentSuffix("sensorchat/" + version());
        if (connection instanceof CosmosConnection.WithKey withKey) {
            builder.key(withKey.key());
        } else if (connection instanceof CosmosConnection.WithIdentity withIdentity) {
            builder.credential(credential(withIdentity.identity()));
        }
        // Off only behind an emulator or proxy that advertises an address the app cannot reach.
        builder.endpointDiscoveryEnabled(settings.flag(COSMOS_ENDPOINT_DISCOVERY, true));
        String mode = settings.get(COSMOS_CONNECTION_MODE, "gateway").toLowerCase(Locale.ROOT);
        switch (mode) {
            case "gateway" -> builder.gatewayMode();
            case "direct" -> builder.directMode();
            default -> throw new SettingException(COSMOS_CONNECTION_MODE, "must be 'gateway' or 'direct'.");
        }
        return builder.buildClient();
    }

    private CosmosDatabase openCosmosDatabase() {
        String name = databaseName();
        CosmosClient client = cosmosClient.get();
        if (autoCreate(cosmosConnection() instanceof CosmosConnection.WithKey)) {
            return CosmosProvisioner.ensure(client, name, Containers.ALL);
        }
        return client.getDatabase(name);
    }

    private BlobServiceClient buildBlobServiceClient() {
        StorageConnection connection = storageConnection();
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
        if (connection instanceof StorageConnection.WithConnectionString withSecret) {
            builder.connectionString(withSecret.connectionString());
        } else if (connection instanceof StorageConnection.WithIdentity withIdentity) {
            builder.endpoint(withIdentity.blobServiceUri().toString()).credential(credential(withIdentity.identity()));
        }
        return builder.buildClient();
    }

    private HealthService buildHealthService() {
        Duration timeout = settings.millis(HEALTH_TIMEOUT_MS, Duration.ofSeconds(3));
        return new HealthService(version(), List.of(
                new DependencyCheck("cosmosDb", this::probeCosmos),
                new DependencyCheck("blobStorage", this::probeBlobStorage)), timeout);
    }

    /**
     * Reads a document that does not exist (1 RU, answered 404 with no sub-status): that answer
     * needs the account, the key or role, the database, the container and the data plane, which is
     * what the API and chat use, and what an outage can take away alone. One request when healthy;
     * only a read that finds no container (404/1003: the owner resource is missing) reads the
     * database's metadata too, to say whether the database or the container is missing.
     */
    private void probeCosmos() {
        try {
            cosmosDatabase().getContainer(Containers.DEVICES.name()).readItem(HEALTH_PROBE_ID, new PartitionKey(HEALTH_PROBE_ID), JsonNode.class);
            return; // the probe id is not a device id, but a document by that name answers as well
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404 && e.getSubStatusCode() == 0) {
                return; // no such document: the data plane answered
            }
            if (e.getStatusCode() != 404 || e.getSubStatusCode() != OWNER_RESOURCE_NOT_FOUND) {
                throw new IllegalStateException("Cosmos DB answered a document read with " + e.getStatusCode()
                        + (e.getSubStatusCode() == 0 ? "" : "/" + e.getSubStatusCode()));
            }
        }
        try {
            cosmosDatabase().read();
        } catch (CosmosException e) {
            throw new IllegalStateException("Cosmos DB answered " + e.getStatusCode()
                    + (e.getStatusCode() == 404 ? ": database '" + databaseName() + "' does not exist" : ""));
        }
        throw new IllegalStateException("Cosmos DB answered a document read with 404: container '"
                + Containers.DEVICES.name() + "' does not exist");
    }

    /** Cosmos DB's sub-status of a 404 whose database or container is missing, not the document. */
    private static final int OWNER_RESOURCE_NOT_FOUND = 1003;

    /** A document id no device can have (device ids cannot hold '~'). */
    private static final String HEALTH_PROBE_ID = "~health-probe";

    /** Checks that each of the app's containers exists: a cheap call per container. */
    private void probeBlobStorage() {
        for (String name : blobContainers().all()) {
            if (!blobStore(name).exists()) {
                throw new IllegalStateException("blob container '" + name + "' does not exist");
            }
        }
    }
}
