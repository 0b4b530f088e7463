package dev.sensorchat.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.common.Json;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.observability.StoreUsage;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.CosmosStreamStore;
import dev.sensorchat.storage.InMemoryStores;
import dev.sensorchat.storage.MeteredContainer;
import dev.sensorchat.storage.RetryPolicy;
import dev.sensorchat.storage.StoreMeter;
import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.TelemetryLimits;
import dev.sensorchat.telemetry.TelemetryParser;
import dev.sensorchat.telemetry.WindowDocument;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The telemetry pipeline's benchmark. P1: events per second on one thread for Jackson's
 * streaming parse alone (the ceiling), the app's parser feeding Esper 9 (the peer), and the app's
 * pipeline core with its store stubbed, all over the same JSON; then a cross-check that the app
 * and Esper compute the same minute windows and open the same alerts. P2: Cosmos DB requests,
 * documents, bytes and modelled request units per 1,000 events, counted at the store boundary on
 * in-memory containers, for the app and for the per-event design, at live load and in catch-up.
 */
@Command(name = "sensorchat-bench", mixinStandardHelpOptions = true, version = "sensorchat-bench 0.1.0",
        description = "Throughput (P1) and Cosmos DB cost (P2) of the telemetry pipeline, against Jackson, Esper and the per-event design.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the cross-check passed", "1:the app and Esper disagree", "2:invalid options"})
public final class Bench implements Callable<Integer> {

    @Option(names = "--devices", description = "P1 fleet size (default: ${DEFAULT-VALUE})")
    int devices = 10_000;

    @Option(names = "--seconds", description = "P1 seconds of readings, one per device per second (default: ${DEFAULT-VALUE})")
    int seconds = 100;

    @Option(names = "--partitions", description = "Event Hubs partitions (default: ${DEFAULT-VALUE})")
    int partitions = 4;

    @Option(names = "--batch", description = "P1 events per batch, as host.json maxEventBatchSize (default: ${DEFAULT-VALUE})")
    int batch = 500;

    @Option(names = "--runs", description = "P1 measured runs of each contender after the warm-ups; the median is reported (default: ${DEFAULT-VALUE})")
    int runs = 5;

    @Option(names = "--warmups", description = "P1 unmeasured runs of each contender first, for the JIT (default: ${DEFAULT-VALUE})")
    int warmups = 3;

    @Option(names = "--live-devices", description = "P2 live fleet, one reading a second each (default: ${DEFAULT-VALUE})")
    int liveDevices = 1_000;

    @Option(names = "--live-seconds", description = "P2 live duration; past an hour and its lateness, so final hourly rollups count (default: ${DEFAULT-VALUE})")
    int liveSeconds = 4_500;

    @Option(names = "--seed", description = "workload seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--only", description = "p1 or p2 (P2 includes the cost model); both when absent")
    String only;

    @Option(names = "--fleet-events-per-second", description = "cost model: the reference load, also shown at 10x (default: ${DEFAULT-VALUE})")
    double fleetRate = 1000;

    @Option(names = "--active-ms-per-event", description = "cost model: function time an event keeps an instance busy; "
            + "measured through the local host (README) (default: ${DEFAULT-VALUE})")
    double activeMsPerEvent = 0.32;

    @Option(names = "--checkpoint-every", description = "cost model: batches per Event Hubs checkpoint, host.json batchCheckpointFrequency (default: ${DEFAULT-VALUE})")
    int checkpointEvery = 10;

    @Option(names = "--instance-memory-gb", description = "cost model: Flex Consumption instance memory, as bicep/ deploys it (default: ${DEFAULT-VALUE})")
    double instanceMemoryGb = 2;

    @Option(names = "--ru-headroom", description = "cost model: provisioned RU/s over the mean need (default: ${DEFAULT-VALUE})")
    double ruHeadroom = 1.5;

    @Option(names = "--price-ru", description = "cost model: Cosmos DB serverless, dollars per million RU (default: ${DEFAULT-VALUE})")
    double priceRu = CostModel.Prices.LIST.cosmosServerlessRu() * 1e6;

    @Option(names = "--price-100rus-hour", description = "cost model: Cosmos DB provisioned, dollars per 100 RU/s an hour (default: ${DEFAULT-VALUE})")
    double price100RusHour = CostModel.Prices.LIST.cosmosProvisioned100RuHour();

    @Option(names = "--price-gb-second", description = "cost model: Functions Flex Consumption on demand, dollars per GB-s (default: ${DEFAULT-VALUE})")
    double priceGbSecond = CostModel.Prices.LIST.functionsGbSecond();

    @Option(names = "--price-executions", description = "cost model: Functions Flex Consumption, dollars per million executions (default: ${DEFAULT-VALUE})")
    double priceExecutions = CostModel.Prices.LIST.functionsExecution() * 1e6;

    @Option(names = "--price-ingress", description = "cost model: Event Hubs Standard, dollars per million ingress events (default: ${DEFAULT-VALUE})")
    double priceIngress = CostModel.Prices.LIST.eventHubsIngressEvent() * 1e6;

    @Option(names = "--price-tu-hour", description = "cost model: Event Hubs Standard, dollars per throughput unit an hour (default: ${DEFAULT-VALUE})")
    double priceTuHour = CostModel.Prices.LIST.eventHubsTuHour();

    @Option(names = "--price-blob-writes", description = "cost model: Blob Storage hot, dollars per 10,000 writes (default: ${DEFAULT-VALUE})")
    double priceBlobWrites = CostModel.Prices.LIST.blobWrite() * 1e4;

    @Option(names = "--contenders", split = ",", description = "P1 contenders to run (default: ${DEFAULT-VALUE}); fewer for profiling")
    List<String> contenders = List.of("jackson", "parser", "esper", "pipeline");

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() {
        if (devices < 1 || seconds < 1 || partitions < 1 || batch < 1 || runs < 1 || liveDevices < 1 || liveSeconds < 1
                || (only != null && !only.equals("p1") && !only.equals("p2"))) {
            throw new CommandLine.ParameterException(new CommandLine(this), "sizes are positive; --only is p1 or p2");
        }
        Runtime runtime = Runtime.getRuntime();
        out.printf(Locale.ROOT, "sensorchat-bench: JDK %s, %d cores, max heap %d MB, %s %s%n", Runtime.version(),
                runtime.availableProcessors(), runtime.maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.arch"));
        boolean agreed = true;
        if (!"p2".equals(only)) {
            agreed = p1();
        }
        if (!"p1".equals(only)) {
            p2();
        }
        return agreed ? 0 : 1;
    }

    // ------------------------------------------------------------------------------------------ P1

    private boolean p1() {
        Workload workload = Workload.generate(devices, seconds, partitions, seed);
        long events = workload.events();
        List<ProjectPipeline.Batch> batches = ProjectPipeline.batches(workload, batch);
        out.printf(Locale.ROOT, "%nP1 throughput on one thread: %,d devices x 3 metrics x %d s = %,d events (%d partitions, batches of %d), seed %d%n",
                devices, seconds, events, partitions, batch, seed);

        Map<String, List<Measure>> results = new HashMap<>();
        // With fewer contenders (profiling), each run is printed and no table is drawn.
        boolean table = contenders.containsAll(List.of("jackson", "parser", "esper", "pipeline"));
        for (int run = 0; run < warmups + runs; run++) {
            for (String contender : contenders) {
                Measure measure = measure(contender, workload, batches);
                if (!table) {
                    out.printf(Locale.ROOT, "  %s run %d: %,.0f events/s (%,.0f per CPU second)%n", contender, run,
                            events / (measure.nanos() / 1e9), events / (measure.cpuNanos() / 1e9));
                } else if (run >= warmups) {
                    results.computeIfAbsent(contender, k -> new ArrayList<>()).add(measure);
                }
            }
        }
        if (!table) {
            return true;
        }
        double jackson = rate(results.get("jackson"), events);
        double parser = rate(results.get("parser"), events);
        double esper = rate(results.get("esper"), events);
        double pipeline = rate(results.get("pipeline"), events);
        out.printf(Locale.ROOT, "  %-44s %10s %14s%n", "", "events/s", "bytes/event");
        out.printf(Locale.ROOT, "  %-44s %,10.0f %,14.0f%n", "Jackson streaming parse alone (the ceiling)", jackson, allocated(results.get("jackson"), events));
        out.printf(Locale.ROOT, "  %-44s %,10.0f %,14.0f%n", "the app's parse and validation alone", parser, allocated(results.get("parser"), events));
        out.printf(Locale.ROOT, "  %-44s %,10.0f %,14.0f%n", "parse + Esper 9.0 (windows, 2 alert statements)", esper, allocated(results.get("esper"), events));
        out.printf(Locale.ROOT, "  %-44s %,10.0f %,14.0f%n", "sensorchat pipeline core, store stubbed", pipeline, allocated(results.get("pipeline"), events));
        out.printf(Locale.ROOT, "  pipeline / Esper   %5.2fx   (target >= 3x)     %s%n", pipeline / esper, met(pipeline / esper >= 3));
        out.printf(Locale.ROOT, "  pipeline / ceiling %5.0f%%   (target >= 75%%)    %s%n", 100 * pipeline / jackson, met(pipeline / jackson >= 0.75));
        // The core parses every event as the parser line does and then folds it into state, so it cannot beat that line.
        out.printf(Locale.ROOT, "  parse alone / ceiling %2.0f%%   (the most the core can reach: it is this parse and then the state)%n",
                100 * parser / jackson);
        out.printf(Locale.ROOT, "  pipeline           %,5.2f M events/s (target >= 2 M/s)  %s%n", pipeline / 1e6, met(pipeline >= 2e6));
        out.printf("  (median of %d runs after %d warm-ups; bytes/event: allocated on the measuring thread)%n", runs, warmups);
        return crossCheck(workload);
    }

    private Measure measure(String contender, Workload workload, List<ProjectPipeline.Batch> batches) {
        System.gc(); // each contender starts on a collected heap, not on the previous one's garbage
        return switch (contender) {
            case "jackson" -> measure(() -> ceiling(workload));
            case "parser" -> measure(() -> appParse(workload));
            case "esper" -> {
                EsperPipeline esper = new EsperPipeline(partitions, false);
                Measure m = measure(() -> {
                    for (int p = 0; p < partitions; p++) {
                        esper.run(p, workload.partitions.get(p));
                    }
                    esper.finish();
                    return esper.outputs;
                });
                esper.close();
                yield m;
            }
            case "pipeline" -> {
                StubStreamStore stub = new StubStreamStore();
                ProjectPipeline pipeline = new ProjectPipeline(stub);
                Measure m = measure(() -> {
                    pipeline.run(batches);
                    pipeline.settle();
                    return stub.writes();
                });
                pipeline.close();
                yield m;
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown contender " + contender
                    + " (jackson, parser, esper, pipeline)");
        };
    }

    private record Measure(long nanos, long cpuNanos, long allocatedBytes) {
    }

    private static Measure measure(Supplier<Long> work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(id);
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long sink = work.get();
        long nanos = System.nanoTime() - start;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuBefore;
        long allocated = threads.getThreadAllocatedBytes(id) - allocatedBefore;
        if (sink == Long.MIN_VALUE) {
            System.out.print(""); // keeps the result alive
        }
        return new Measure(nanos, cpuNanos, allocated);
    }

    private static double rate(List<Measure> measures, long events) {
        long[] nanos = measures.stream().mapToLong(Measure::nanos).sorted().toArray();
        return events / (nanos[nanos.length / 2] / 1e9);
    }

    private static double allocated(List<Measure> measures, long events) {
        long[] bytes = measures.stream().mapToLong(Measure::allocatedBytes).sorted().toArray();
        return (double) bytes[bytes.length / 2] / events;
    }

    /** Every token of every event, nothing else: what any JSON pipeline on Jackson must pay at least. */
    private static long ceiling(Workload workload) {
        JsonFactory json = TelemetryParser.jsonFactory(); // the app's parser settings
        if (json.isEnabled(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature()) == false) {
            throw new IllegalStateException("the app's JSON settings changed");
        }
        long tokens = 0;
        try {
            for (List<Workload.Event> partition : workload.partitions) {
                for (Workload.Event event : partition) {
                    try (JsonParser parser = json.createParser(event.body())) {
                        while (parser.nextToken() != null) {
                            tokens++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tokens;
    }

    /** The app's parser over every event, results dropped: where the pipeline's parse alone stands against the ceiling. */
    private static long appParse(Workload workload) {
        TelemetryParser parser = new TelemetryParser(TelemetryLimits.withLateness(Duration.ofMinutes(10)));
        long accepted = 0;
        for (List<Workload.Event> partition : workload.partitions) {
            for (Workload.Event event : partition) {
                if (parser.parse(event.body(), event.enqueuedMs()) instanceof TelemetryParser.Accepted) {
                    accepted++;
                }
            }
        }
        return accepted;
    }

    /** The app (its real storage code, in memory) and Esper over the same workload must agree. */
    private boolean crossCheck(Workload workload) {
        InMemoryStores stores = new InMemoryStores(new StoreMeter());
        ProjectPipeline pipeline = new ProjectPipeline(stores.streamStore(Duration.ofDays(2)));
        pipeline.run(ProjectPipeline.batches(workload, batch));
        pipeline.settle();
        pipeline.close();
        EsperPipeline esper = new EsperPipeline(partitions, true);
        for (int p = 0; p < partitions; p++) {
            esper.run(p, workload.partitions.get(p));
        }
        esper.finish();
        esper.close();
        List<String> problems = new ArrayList<>();
        int windows = compareMinutes(stores, esper.minutes, problems);
        Set<EsperPipeline.Opening> appOpenings = new HashSet<>();
        for (int d = 0; d < workload.devices; d++) {
            for (ObjectNode json : stores.container(Containers.ALERTS).partition(Workload.deviceId(d))) {
                AlertDocument alert = convert(json, AlertDocument.class);
                appOpenings.add(new EsperPipeline.Opening(alert.ruleId(), alert.deviceId(), alert.openedAt().toEpochMilli()));
            }
        }
        Set<EsperPipeline.Opening> esperOpenings = new HashSet<>(esper.openings);
        if (!appOpenings.equals(esperOpenings)) {
            Set<EsperPipeline.Opening> onlyApp = new HashSet<>(appOpenings);
            onlyApp.removeAll(esperOpenings);
            Set<EsperPipeline.Opening> onlyEsper = new HashSet<>(esperOpenings);
            onlyEsper.removeAll(appOpenings);
            problems.add("alert openings differ: only the app " + first(onlyApp) + ", only Esper " + first(onlyEsper));
        }
        if (problems.isEmpty()) {
            out.printf(Locale.ROOT, "  cross-check: %,d minute windows x 3 metrics (count, sum to 1e-12, min, max, first and last time, "
                    + "last value) and %,d alert openings are the same in the app and in Esper%n", windows, appOpenings.size());
            return true;
        }
        out.println("  cross-check FAILED:");
        problems.stream().limit(10).forEach(problem -> out.println("    " + problem));
        return false;
    }

    private int compareMinutes(InMemoryStores stores, List<EsperPipeline.Minute> esperMinutes, List<String> problems) {
        Map<String, Map<Long, Map<String, MetricStats.Accumulator>>> app = new HashMap<>();
        for (EsperPipeline.Minute minute : esperMinutes) {
            app.computeIfAbsent(minute.deviceId(), id -> {
                Map<Long, Map<String, MetricStats.Accumulator>> byMinute = new HashMap<>();
                for (ObjectNode json : stores.container(Containers.TELEMETRY).partition(id)) {
                    if (json.path("id").asText().startsWith("m:")) {
                        MinuteWindows doc = convert(json, MinuteWindows.class);
                        doc.minutes().forEach((key, metrics) -> {
                            long start = doc.startMs() + Integer.parseInt(key) * 60_000L;
                            Map<String, MetricStats.Accumulator> stats = new HashMap<>();
                            metrics.forEach((metric, compact) -> stats.put(metric, MinuteWindows.expand(compact, start)));
                            byMinute.put(start, stats);
                        });
                    }
                }
                return byMinute;
            });
        }
        int compared = 0;
        String[] names = {"temperature", "humidity", "co2"};
        for (EsperPipeline.Minute minute : esperMinutes) {
            long start = Math.floorDiv(minute.firstTs(), 60_000L) * 60_000L;
            Map<String, MetricStats.Accumulator> stats = app.get(minute.deviceId()).get(start);
            if (stats == null) {
                problems.add("the app has no minute " + start + " of " + minute.deviceId());
                continue;
            }
            for (int m = 0; m < names.length; m++) {
                MetricStats.Accumulator a = stats.get(names[m]);
                double[] e = minute.metrics()[m];
                // Esper keeps a batch window's sum by subtracting what leaves it, so its last bits drift
                // from batch to batch; the app adds each window's values in arrival order. Sums are
                // compared to 1e-12 relative, everything else exactly.
                boolean same = a != null && a.count() == (long) e[0] && Math.abs(a.sum() - e[1]) <= 1e-12 * Math.abs(e[1])
                        && a.min() == e[2] && a.max() == e[3]
                        && a.last() == e[4] && a.firstTs() == minute.firstTs() && a.lastTs() == minute.lastTs();
                if (!same) {
                    problems.add(minute.deviceId() + " minute " + start + " " + names[m] + ": app " + (a == null ? "none" : a.toStats())
                            + ", Esper " + Arrays.toString(e) + " " + minute.firstTs() + ".." + minute.lastTs());
                }
            }
            compared++;
        }
        long appWindows = app.values().stream().mapToLong(Map::size).sum();
        if (appWindows != esperMinutes.size()) {
            problems.add("the app has " + appWindows + " minute windows of these devices, Esper " + esperMinutes.size());
        }
        return compared;
    }

    private static String first(Set<EsperPipeline.Opening> openings) {
        return openings.isEmpty() ? "none" : openings.size() + " such as " + openings.iterator().next();
    }

    // ------------------------------------------------------------------------------------------ P2

    private void p2() {
        out.printf(Locale.ROOT, "%nP2 Cosmos DB cost per 1,000 events, counted at the store boundary (in-memory containers, metered as Cosmos DB would be),%n"
                + "RU modelled from document sizes with Microsoft's published table (learn.microsoft.com/azure/cosmos-db/understand-request-unit-consumption)%n");
        out.printf(Locale.ROOT, "  live: %,d devices x 1 reading/s x 3 metrics, %d partitions, %d s (%,d events); "
                + "catch-up: 10 devices x 100 s in one batch per partition%n", liveDevices, partitions, liveSeconds, (long) liveDevices * liveSeconds);
        out.printf(Locale.ROOT, "  %-26s %-10s %9s %9s %9s %11s %11s%n", "workload", "design", "writes", "reads", "requests", "bytes/event", "RU");
        Workload live = Workload.describe(liveDevices, liveSeconds, partitions, seed);
        String liveName = "live";
        StoreUsage.Counts naive = perEvent(live);
        long liveEvents = live.devices * (long) live.seconds;
        StoreUsage.Counts reference = null;
        for (int liveBatch : new int[] {100, 500}) {
            StoreUsage.Counts counts = project(live, liveBatch);
            reference = reference == null ? counts : reference;
            row(liveName + ", batches of " + liveBatch, "sensorchat", counts, liveEvents, naive);
        }
        row(liveName, "per-event", naive, live.devices * (long) live.seconds, naive);
        Workload catchUp = Workload.describe(10, 100, partitions, seed);
        StoreUsage.Counts catchUpNaive = perEvent(catchUp);
        row("catch-up", "sensorchat", project(catchUp, Integer.MAX_VALUE), 1000, catchUpNaive);
        row("catch-up", "per-event", catchUpNaive, 1000, catchUpNaive);
        out.println("  per 1,000 events; writes and reads: documents; requests: calls (a failed one counts); bytes/event: request bodies sent");

        CostModel.Prices prices = new CostModel.Prices(priceExecutions / 1e6, priceGbSecond, priceRu / 1e6, price100RusHour,
                priceIngress / 1e6, priceTuHour, priceBlobWrites / 1e4);
        double activeSeconds = activeMsPerEvent / 1000;
        CostModel.print(out, new CostModel.Usage("sensorchat", reference.modelledRu() / liveEvents, 100, activeSeconds, checkpointEvery),
                new CostModel.Usage("per-event", naive.modelledRu() / liveEvents, 100, activeSeconds, checkpointEvery),
                fleetRate, Workload.meanEventBytes(seed), instanceMemoryGb, ruHeadroom, prices);
    }

    private void row(String workload, String design, StoreUsage.Counts counts, long events, StoreUsage.Counts naive) {
        double k = 1000.0 / events;
        String vs = design.equals("per-event") ? "" : String.format(Locale.ROOT, "  (%.0fx fewer writes, %.0fx fewer RU than per-event)",
                (double) naive.writes() / counts.writes(), naive.modelledRu() / counts.modelledRu());
        out.printf(Locale.ROOT, "  %-26s %-10s %9.1f %9.1f %9.1f %11.1f %11.1f%s%n", workload, design, counts.writes() * k, counts.reads() * k,
                counts.requests() * k, (double) counts.writeBytes() / events, counts.modelledRu() * k, vs);
    }

    /** The app over its real storage code; segments and checkpoints are counted but not kept (P2 never recovers). */
    private StoreUsage.Counts project(Workload workload, int batchSize) {
        StoreMeter meter = new StoreMeter();
        InMemoryStores stores = new InMemoryStores(meter);
        RetryPolicy once = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, error -> Optional.empty());
        MeteredContainer streams = new MeteredContainer(new DiscardingContainer(Containers.STREAMS.name()), meter);
        CosmosStreamStore store = new CosmosStreamStore(new CosmosStore<>(streams, Containers.STREAMS, CosmosStreamStore.SegmentDocument.class, once),
                new CosmosStore<>(streams, Containers.STREAMS, CosmosStreamStore.CheckpointDocument.class, once),
                new CosmosStore<>(streams, Containers.STREAMS, CosmosStreamStore.RuleSetDocument.class, once),
                stores.store(Containers.DEVICES, DeviceDocument.class), stores.store(Containers.TELEMETRY, MinuteWindows.class),
                stores.store(Containers.TELEMETRY, WindowDocument.class), stores.store(Containers.ALERTS, AlertDocument.class),
                (int) Duration.ofDays(2).toSeconds());
        ProjectPipeline pipeline = new ProjectPipeline(store);
        for (int from = 0; from < workload.seconds; from += 300) {
            pipeline.run(ProjectPipeline.batches(workload.slice(from, Math.min(workload.seconds, from + 300)), batchSize));
        }
        pipeline.settle();
        pipeline.close();
        return meter.total();
    }

    private StoreUsage.Counts perEvent(Workload workload) {
        StoreMeter meter = new StoreMeter();
        RetryPolicy once = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, error -> Optional.empty());
        PerEventDesign design = new PerEventDesign(new CosmosStore<>(new MeteredContainer(new DiscardingContainer("telemetry"), meter),
                Containers.TELEMETRY, PerEventDesign.EventDocument.class, once));
        for (int from = 0; from < workload.seconds; from += 300) {
            design.run(workload.slice(from, Math.min(workload.seconds, from + 300)));
        }
        return meter.total();
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static <T> T convert(ObjectNode json, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
