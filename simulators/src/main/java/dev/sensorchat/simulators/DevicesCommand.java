package dev.sensorchat.simulators;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.sensorchat.simulators.devices.DeviceKind;
import dev.sensorchat.simulators.devices.DeviceProfile;
import dev.sensorchat.simulators.devices.Durations;
import dev.sensorchat.simulators.devices.Fault;
import dev.sensorchat.simulators.devices.Fleet;
import dev.sensorchat.simulators.devices.FleetSimulation;
import dev.sensorchat.simulators.devices.GroundTruth;
import dev.sensorchat.simulators.devices.Scenario;
import dev.sensorchat.simulators.sinks.BlobSink;
import dev.sensorchat.simulators.sinks.EventHubsSink;
import dev.sensorchat.simulators.sinks.FileSink;
import dev.sensorchat.simulators.sinks.HttpSink;
import dev.sensorchat.simulators.sinks.Outcomes;
import dev.sensorchat.simulators.sinks.Sink;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code devices}: runs a simulated fleet and sends its telemetry to a target. */
@Command(name = "devices", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110, abbreviateSynopsis = true,
        description = {"Simulates a fleet of devices and sends their telemetry (the sensorchat telemetry contract) to a target.",
                "The same options and seed always give the same events, byte for byte."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  devices --devices 20 --duration 2m --speed 0                         NDJSON to stdout, as fast as possible",
                "  devices --devices 500 --target eventhubs --namespace myns.servicebus.windows.net",
                "  devices --start now-7d --duration 7d --speed 0 --target blob --blob-connection-string UseDevelopmentStorage=true",
                "  devices --fault 'thermostat-3 overheats at +60s for 3m' --fault 'machine-2 goes silent at +2m' --target http \\",
                "          --url http://localhost:7071/admin/eventhubs/telemetry",
                "",
                "Stopping: Ctrl-C (SIGINT) or SIGTERM stops generating; what is already queued is sent for up to --stop-timeout",
                "(5 s), requests still waiting for an answer get 2 s more; then the summary is printed and the ground truth of what",
                "was acknowledged written. At most about 7 s with the defaults.",
                "",
                "Exit codes: 0 every event acknowledged; 1 events failed or the target failed; 2 invalid options;",
                "130 stopped by Ctrl-C (SIGINT); 143 stopped by SIGTERM."})
public final class DevicesCommand implements Callable<Integer> {

    enum Target { STDOUT, FILE, HTTP, BLOB, EVENTHUBS }

    @Spec
    CommandSpec spec;

    // ---- the fleet -------------------------------------------------------------------------------
    @Option(names = {"-n", "--devices"}, defaultValue = "10", description = "Number of devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--mix", defaultValue = "thermostat=50,air-quality=30,machine=20",
            description = "Share of each kind: thermostat, air-quality, machine (default: ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--prefix", paramLabel = "KIND=PREFIX", split = ",",
            description = "Device id prefix per kind; ids are <prefix>-<n> (defaults: thermostat, air, machine).")
    Map<String, String> prefixes = Map.of();

    @Option(names = "--tag", paramLabel = "KIND=TAG",
            description = "A tag for every device of a kind (or all=TAG); repeatable. Each device is also tagged with its kind.")
    List<String> tags = List.of();

    @Option(names = "--locations", split = ",", description = "Locations, handed out to the devices in turn.")
    List<String> locations = List.of();

    @Option(names = "--interval", defaultValue = "10s", description = "How often each device reports (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--jitter", defaultValue = "0.1", description = "Variation of each interval, as a fraction (default: ${DEFAULT-VALUE}).")
    double jitter;

    // ---- time -------------------------------------------------------------------------------------
    @Option(names = "--duration", description = "Simulated time to run for, e.g. 10m, 7d. Without it or --events: until Ctrl-C.")
    String duration;

    @Option(names = "--events", description = "Stop after this many events.")
    Long events;

    @Option(names = "--start", defaultValue = "now",
            description = "Simulated start: an ISO-8601 instant, 'now', or 'now-7d' (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--speed", defaultValue = "1",
            description = "Simulated seconds per real second; 0 runs as fast as the target takes events (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    // ---- scenarios --------------------------------------------------------------------------------
    @Option(names = "--anomaly-rate", defaultValue = "0", description = "Chance per reading of a spike far off the pattern.")
    double anomalyRate;

    @Option(names = "--fault", paramLabel = "FAULT",
            description = "A scripted fault, repeatable: '<device> overheats at +60s for 3m', '<device> goes silent at +2m'.")
    List<String> faults = List.of();

    @Option(names = "--faults-file", description = "A file of faults, one per line (# starts a comment).")
    Path faultsFile;

    @Option(names = "--duplicate-rate", defaultValue = "0", description = "Chance per event of being sent twice.")
    double duplicateRate;

    @Option(names = "--out-of-order-rate", defaultValue = "0", description = "Chance per event of being sent after the device's next one.")
    double outOfOrderRate;

    @Option(names = "--late-rate", defaultValue = "0", description = "Chance per event of a timestamp 2 to 8 minutes older than its sending.")
    double lateRate;

    @Option(names = "--malformed-rate", defaultValue = "0",
            description = "Chance per event of being malformed instead (bad JSON, NaN, bad device id, no timestamp).")
    double malformedRate;

    @Option(names = "--with-meta", description = "Add meta (kind, tags, location) to every event.")
    boolean withMeta;

    // ---- target -----------------------------------------------------------------------------------
    @Option(names = "--target", defaultValue = "stdout",
            description = "Where events go: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Target target;

    @Option(names = "--file", description = "file target: the NDJSON file (gzipped when it ends in .gz).")
    Path file;

    @Option(names = "--url", description = "http target: the local host's Event Hubs endpoint (or any URL) to POST events to.")
    URI url;

    @Option(names = "--http-format", defaultValue = "ndjson",
            description = "http target: ndjson (each device's events in their own request, ?partitionKey=<device> added) or batch "
                    + "(Event Hubs' REST batch, application/vnd.microsoft.servicebus.json: many devices' events a request, "
                    + "each with its device as partition key, up to 1 MB) (default: ${DEFAULT-VALUE}).")
    HttpSink.Format httpFormat;

    @Option(names = "--http-streams", defaultValue = "" + HttpSink.DEFAULT_STREAMS,
            description = "http target: concurrent senders; a device's events always go in order through one (default: ${DEFAULT-VALUE}).")
    int httpStreams;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    BlobAccount blobAccount;

    static final class BlobAccount {
        @Option(names = "--blob-connection-string", paramLabel = "CONNECTION",
                description = "blob target: a Storage connection string (or set SENSORCHAT_BLOB_CONNECTION_STRING).")
        String connectionString;

        @Option(names = "--blob-endpoint", paramLabel = "URL",
                description = "blob target: https://<account>.blob.core.windows.net, signed in with DefaultAzureCredential.")
        String endpoint;
    }

    @Option(names = "--container", defaultValue = "telemetry-uploads", description = "blob target: the container (default: ${DEFAULT-VALUE}).")
    String container;

    @Option(names = "--blob-format", defaultValue = "ndjson", description = "blob target: ndjson or csv (default: ${DEFAULT-VALUE}).")
    BlobSink.Format blobFormat;

    @Option(names = "--gateways", defaultValue = "4", description = "blob target: gateways the devices are spread over (default: ${DEFAULT-VALUE}).")
    int gateways;

    @Option(names = "--events-per-file", defaultValue = "5000", description = "blob target: events per uploaded file (default: ${DEFAULT-VALUE}).")
    int eventsPerFile;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    EventHubsAccount eventHubsAccount;

    static final class EventHubsAccount {
        @Option(names = "--eventhubs-connection-string", paramLabel = "CONNECTION",
                description = "eventhubs target: a connection string (or set SENSORCHAT_EVENTHUBS_CONNECTION_STRING).")
        String connectionString;

        @Option(names = "--namespace", paramLabel = "FQDN",
                description = "eventhubs target: <namespace>.servicebus.windows.net, signed in with DefaultAzureCredential.")
        String namespace;
    }

    @Option(names = "--event-hub", defaultValue = "telemetry", description = "eventhubs target: the event hub (default: ${DEFAULT-VALUE}).")
    String eventHub;

    @Option(names = "--client-id", description = "With DefaultAzureCredential: the client id of a user-assigned managed identity.")
    String clientId;

    @Option(names = "--max-in-flight", defaultValue = "32", description = "eventhubs target: batches awaiting the service at most (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--retries", defaultValue = "6",
            description = "eventhubs target: retries per send on throttling (ServerBusy) and transient errors, with exponential backoff (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--try-timeout", defaultValue = "60s", description = "eventhubs target: how long one try may take (default: ${DEFAULT-VALUE}).")
    String tryTimeout;

    // ---- the run ----------------------------------------------------------------------------------
    @Option(names = "--batch-size", defaultValue = "500", description = "Events per send at most (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--ground-truth",
            description = "Write the exact per-device, per-minute aggregates of the valid events the target acknowledged to this JSON file.")
    Path groundTruth;

    @Option(names = "--stop-timeout", defaultValue = "5s",
            description = "On Ctrl-C or SIGTERM: how long to go on sending what is already queued; requests still unanswered then get "
                    + "2 s more, before the summary and ground truth are written (default: ${DEFAULT-VALUE}).")
    String stopTimeout;

    @Option(names = "--summary-json", description = "Also write the summary to this JSON file.")
    Path summaryJson;

    @Option(names = "--progress", defaultValue = "auto",
            description = "Live progress line on stderr: auto (when stderr is a terminal), always, never (default: ${DEFAULT-VALUE}).")
    Progress.Mode progress;

    @Override
    public Integer call() throws Exception {
        FleetSimulation simulation = simulation();
        long stopMs = stopTimeoutMs();
        GroundTruth truth = groundTruth == null ? null : new GroundTruth();
        // The ground truth is what the target acknowledged: with a stop or a failure, that is less than was generated.
        Outcomes outcomes = truth == null ? new Outcomes() : new Outcomes(events -> events.forEach(truth::add));
        Sink sink = openSink(outcomes);
        Runner runner = new Runner(simulation, sink, outcomes, new Runner.Settings(speed, batchSize, 200, 16));

        AtomicBoolean reported = new AtomicBoolean();
        CountDownLatch reportWritten = new CountDownLatch(1);
        Thread onStop = new Thread(() -> {
            System.err.printf(Locale.ROOT, "%nstopping: sending what is queued for up to %.1f s...%n", stopMs / 1000.0);
            runner.stop(stopMs);
            // The main thread reports once run() returns; should it not return in time, report what is known from here.
            if (!awaitQuietly(reportWritten, stopMs + Runner.ABANDON_AFTER_MS + 5_000)) {
                outcomes.close(); // frozen, so the summary and the ground truth agree
                report(runner.summary("the target did not let go in time"), simulation, truth, reported);
            }
            awaitQuietly(reportWritten, 5_000);
        }, "stop");
        Runtime.getRuntime().addShutdownHook(onStop);
        Runner.Summary summary;
        try (Progress display = Progress.start(progress, runner, System.err)) {
            summary = runner.run();
        }
        report(summary, simulation, truth, reported);
        reportWritten.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(onStop);
        } catch (IllegalStateException shuttingDown) {
            return 130; // the JVM exits with the signal's code: 130 for SIGINT, 143 for SIGTERM
        }
        return summary.interrupted() ? 130 : summary.succeeded() ? 0 : 1;
    }

    /** The summary on stderr, the ground truth and the summary file: once, from whichever thread gets there first. */
    private void report(Runner.Summary summary, FleetSimulation simulation, GroundTruth truth, AtomicBoolean reported) {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        try {
            if (truth != null) {
                truth.write(groundTruth);
            }
            SummaryReport.print(summary, simulation, System.err, groundTruth, truth);
            if (summaryJson != null) {
                SummaryReport.writeJson(summary, summaryJson);
            }
        } catch (IOException e) {
            System.err.println("devices: cannot write the report: " + e.getMessage());
        }
    }

    private long stopTimeoutMs() {
        try {
            return Durations.parse(stopTimeout);
        } catch (IllegalArgumentException e) {
            throw invalid("--stop-timeout: " + e.getMessage());
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch, long ms) {
        try {
            return latch.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    FleetSimulation simulation() throws IOException {
        if (devices < 1) {
            throw invalid("--devices must be at least 1");
        }
        if (batchSize < 1 || gateways < 1 || eventsPerFile < 1 || maxInFlight < 1) {
            throw invalid("--batch-size, --gateways, --events-per-file and --max-in-flight must be at least 1");
        }
        if (speed < 0 || jitter < 0 || jitter >= 1) {
            throw invalid("--speed must not be negative, and --jitter must be in [0, 1)");
        }
        for (double rate : new double[] {anomalyRate, duplicateRate, outOfOrderRate, lateRate, malformedRate}) {
            if (rate < 0 || rate > 1) {
                throw invalid("rates are probabilities between 0 and 1");
            }
        }
        try {
            long intervalMs = Durations.parse(interval);
            long startMs = parseStart(start, System.currentTimeMillis());
            long endMs = duration == null ? Long.MAX_VALUE : startMs + Durations.parse(duration);
            Fleet fleet = new Fleet(devices, Fleet.parseMix(mix), kindMap(prefixes), kindTags(tags), locations, intervalMs, jitter);
            List<DeviceProfile> profiles = fleet.profiles(seed);
            Scenario scenario = new Scenario(anomalyRate, faults(), duplicateRate, outOfOrderRate, lateRate, malformedRate);
            return new FleetSimulation(profiles, seed, startMs, endMs, events == null ? Long.MAX_VALUE : events, scenario, withMeta);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static final Pattern RELATIVE_START = Pattern.compile("^now(?:-(.+))?$");

    /** 'now', 'now-7d' or an ISO-8601 instant, in epoch milliseconds. */
    static long parseStart(String text, long nowMs) {
        Matcher relative = RELATIVE_START.matcher(text.strip());
        if (relative.matches()) {
            return relative.group(1) == null ? nowMs : nowMs - Durations.parse(relative.group(1));
        }
        try {
            return Instant.parse(text.strip()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--start '" + text + "' is not 'now', 'now-<duration>' or an ISO-8601 instant");
        }
    }

    private List<Fault> faults() throws IOException {
        List<String> lines = new ArrayList<>(faults);
        if (faultsFile != null) {
            for (String line : Files.readAllLines(faultsFile)) {
                String text = line.replaceFirst("#.*$", "").strip();
                if (!text.isEmpty()) {
                    lines.add(text);
                }
            }
        }
        return lines.stream().map(Fault::parse).toList();
    }

    private static Map<DeviceKind, String> kindMap(Map<String, String> byName) {
        Map<DeviceKind, String> map = new EnumMap<>(DeviceKind.class);
        byName.forEach((kind, value) -> map.put(DeviceKind.parse(kind), value));
        return map;
    }

    private static Map<DeviceKind, List<String>> kindTags(List<String> entries) {
        Map<DeviceKind, List<String>> map = new EnumMap<>(DeviceKind.class);
        for (String entry : entries) {
            String[] kv = entry.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new IllegalArgumentException("--tag is KIND=TAG or all=TAG, e.g. thermostat=greenhouse");
            }
            List<DeviceKind> kinds = kv[0].strip().equalsIgnoreCase("all") ? List.of(DeviceKind.values()) : List.of(DeviceKind.parse(kv[0]));
            kinds.forEach(kind -> map.computeIfAbsent(kind, k -> new ArrayList<>()).add(kv[1].strip()));
        }
        return map;
    }

    Sink openSink(Outcomes outcomes) throws IOException {
        return switch (target) {
            case STDOUT -> FileSink.toStdout(outcomes);
            case FILE -> {
                if (file == null) {
                    throw invalid("--target file needs --file");
                }
                yield FileSink.toFile(file, outcomes);
            }
            case HTTP -> {
                if (url == null) {
                    throw invalid("--target http needs --url");
                }
                if (httpStreams < 1 || httpStreams > 256) {
                    throw invalid("--http-streams must be 1 to 256");
                }
                yield new HttpSink(url, outcomes, httpStreams, httpFormat);
            }
            case BLOB -> new BlobSink(blobContainer(), blobFormat, gateways, eventsPerFile, outcomes);
            case EVENTHUBS -> eventHubsSink(outcomes);
        };
    }

    private BlobContainerClient blobContainer() {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
        String connectionString = blobAccount == null ? null : blobAccount.connectionString;
        if (blobAccount != null && blobAccount.endpoint != null) {
            builder.endpoint(blobAccount.endpoint).credential(credential());
        } else {
            connectionString = connectionString != null ? connectionString : System.getenv("SENSORCHAT_BLOB_CONNECTION_STRING");
            if (connectionString == null || connectionString.isBlank()) {
                throw invalid("--target blob needs --blob-connection-string (or SENSORCHAT_BLOB_CONNECTION_STRING) or --blob-endpoint");
            }
            builder.connectionString(connectionString);
        }
        return builder.buildClient().getBlobContainerClient(container);
    }

    private Sink eventHubsSink(Outcomes outcomes) {
        EventHubsSink.Settings settings;
        try {
            settings = new EventHubsSink.Settings(maxInFlight, retries, java.time.Duration.ofMillis(Durations.parse(tryTimeout)));
        } catch (IllegalArgumentException e) {
            throw invalid("--try-timeout: " + e.getMessage());
        }
        if (retries < 0) {
            throw invalid("--retries must not be negative");
        }
        if (eventHubsAccount != null && eventHubsAccount.namespace != null) {
            return EventHubsSink.withCredential(eventHubsAccount.namespace, eventHub, credential(), outcomes, settings);
        }
        String connectionString = eventHubsAccount != null ? eventHubsAccount.connectionString : System.getenv("SENSORCHAT_EVENTHUBS_CONNECTION_STRING");
        if (connectionString == null || connectionString.isBlank()) {
            throw invalid("--target eventhubs needs --namespace, or --eventhubs-connection-string (or SENSORCHAT_EVENTHUBS_CONNECTION_STRING)");
        }
        // A connection string that names its entity (EntityPath=...) is used as is.
        String hub = connectionString.contains("EntityPath=") ? null : eventHub;
        return EventHubsSink.withConnectionString(connectionString, hub, outcomes, settings);
    }

    private com.azure.core.credential.TokenCredential credential() {
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        if (clientId != null) {
            builder.managedIdentityClientId(clientId);
        }
        return builder.build();
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
