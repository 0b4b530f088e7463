package dev.sensorchat.reports;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.common.Json;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.Stored;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.WindowDocument;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Builds fleet reports from the hourly rollups and keeps them: the daily report for each UTC day
 * (once per day, however often or late the timer fires), and reports on demand for any range.
 */
public final class ReportService {

    /** The three forms of a report. */
    public enum Format {
        JSON("fleet.json", "application/json"),
        CSV("fleet.csv", "text/csv; charset=utf-8"),
        HTML("fleet.html", "text/html; charset=utf-8");

        private final String fileName;
        private final String contentType;

        Format(String fileName, String contentType) {
            this.fileName = fileName;
            this.contentType = contentType;
        }

        public String fileName() {
            return fileName;
        }

        public String contentType() {
            return contentType;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What one run of the daily timer did.
     *
     * @param built   days it built a report for (the last is normally yesterday)
     * @param present days that already had theirs (a timer that fired twice finds yesterday here)
     */
    public record DailyRun(List<LocalDate> built, List<LocalDate> present) {
    }

    /** A stored report and a link to its HTML form. */
    public record StoredReport(ReportIndexDocument index, FleetReport report, String htmlLink) {
    }

    private static final int PAGE = 500;
    private static final int READ_PARALLELISM = 8;
    private static final Duration LINK_LIFETIME = Duration.ofHours(1);

    private final AggregateReader aggregates;
    private final DeviceRegistry devices;
    private final CosmosStore<AlertDocument> alerts;
    private final CosmosStore<ReportIndexDocument> index;
    private final BlobStore blobs;
    private final Clock clock;
    private final int catchUpDays;
    private final Executor readers;

    /**
     * @param catchUpDays how many past days the daily run checks for a missing report
     * @param readers     runs the per-device reads ({@value #READ_PARALLELISM} or more threads)
     */
    public ReportService(AggregateReader aggregates, DeviceRegistry devices, CosmosStore<AlertDocument> alerts,
                         CosmosStore<ReportIndexDocument> index, BlobStore blobs, Clock clock, int catchUpDays, Executor readers) {
        this.readers = readers;
        this.aggregates = aggregates;
        this.devices = devices;
        this.alerts = alerts;
        this.index = index;
        this.blobs = blobs;
        this.clock = clock;
        this.catchUpDays = catchUpDays;
    }

    /**
     * Builds a report from the hourly rollups, alerts and devices in scope. The rollups are read
     * with one query per device, inside its partition, a few devices at a time: each query touches
     * only that device's documents, where one query across the fleet would fan out to every
     * partition and be paged through as a whole.
     */
    public FleetReport build(ReportPeriod period, RuleScope scope) {
        ReportBuilder builder = new ReportBuilder(period, scopeLabel(scope), clock.instant());
        List<DeviceDocument> inScope = devicesIn(scope);
        inScope.forEach(builder::device);
        int chunk = READ_PARALLELISM * 4; // bounds the rollups held in memory at once
        for (int first = 0; first < inScope.size(); first += chunk) {
            List<CompletableFuture<List<WindowDocument>>> reads = inScope.subList(first, Math.min(inScope.size(), first + chunk)).stream()
                    .map(device -> CompletableFuture.supplyAsync(() -> hourlyRollups(device.deviceId(), period), readers))
                    .toList();
            for (CompletableFuture<List<WindowDocument>> read : reads) {
                try {
                    read.join().forEach(builder::hour);
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        SqlQuery opened = SqlQuery.of("SELECT * FROM c WHERE c.type = @type AND c.openedAt < @to")
                .with("@type", AlertDocument.TYPE).with("@to", Json.format(period.to()));
        if (scope.kind() == RuleScope.Kind.DEVICE) {
            opened.inPartition(scope.value());
        }
        forEachPage(alerts, opened, builder::alert);
        return builder.build();
    }

    private List<WindowDocument> hourlyRollups(String deviceId, ReportPeriod period) {
        return aggregates.hourlyRollups(deviceId, period.from(), period.to());
    }

    private List<DeviceDocument> devicesIn(RuleScope scope) {
        if (scope.kind() == RuleScope.Kind.DEVICE) {
            return devices.find(scope.value()).map(List::of).orElse(List.of());
        }
        List<DeviceDocument> found = new ArrayList<>();
        String continuation = null;
        do {
            Page<DeviceDocument> page = devices.list(scope.kind() == RuleScope.Kind.TAG ? scope.value() : null, PAGE, continuation);
            found.addAll(page.items());
            continuation = page.continuation();
        } while (continuation != null);
        return found;
    }

    private static <T> void forEachPage(CosmosStore<T> store, SqlQuery query, java.util.function.Consumer<T> each) {
        String continuation = null;
        do {
            Page<T> page = store.queryPage(query, PAGE, continuation);
            page.items().forEach(each);
            continuation = page.continuation();
        } while (continuation != null);
    }

    /**
     * The daily timer: builds yesterday's report, and any of the {@code catchUpDays} before it that
     * is missing (the app was stopped, or the timer did not fire). A day that has its report is left
     * alone, so firing twice builds nothing twice. Reports built late ({@code pastDue}, or for an
     * earlier day) are recorded as caught up.
     */
    public DailyRun runDaily(boolean pastDue) {
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        List<LocalDate> built = new ArrayList<>();
        List<LocalDate> present = new ArrayList<>();
        for (LocalDate day = yesterday.minusDays(catchUpDays - 1L); !day.isAfter(yesterday); day = day.plusDays(1)) {
            if (index.find(dailyId(day), dailyId(day)).isPresent()) {
                present.add(day);
                continue;
            }
            boolean late = pastDue || day.isBefore(yesterday);
            if (storeDaily(day, late ? "timer-catch-up" : "timer", late)) {
                built.add(day);
            } else {
                present.add(day); // another instance was faster
            }
        }
        return new DailyRun(List.copyOf(built), List.copyOf(present));
    }

    /** Builds and stores one day's report; false when another run recorded it first. */
    boolean storeDaily(LocalDate day, String trigger, boolean caughtUp) {
        FleetReport report = build(ReportPeriod.day(day), RuleScope.all());
        String folder = String.format("%04d/%02d/%02d/", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
        Map<String, String> names = write(folder, report);
        try {
            index.create(new ReportIndexDocument(dailyId(day), ReportIndexDocument.DAILY, report.from(), report.to(), report.scope(),
                    names, report.generatedAt(), trigger, caughtUp, report.fleet()));
            return true;
        } catch (StoreException.Conflict alreadyRecorded) {
            return false;
        }
    }

    /** Stores a report built on demand (for a chat link) and records it; the same scope and period share one name. */
    public StoredReport storeOnDemand(FleetReport report) {
        String id = "adhoc-" + hash(report.scope() + "|" + report.from() + "|" + report.to());
        Map<String, String> names = write("adhoc/" + id.substring("adhoc-".length()) + "/", report);
        ReportIndexDocument record = new ReportIndexDocument(id, ReportIndexDocument.ON_DEMAND, report.from(), report.to(),
                report.scope(), names, report.generatedAt(), ReportIndexDocument.ON_DEMAND, false, report.fleet());
        index.upsert(record);
        return new StoredReport(record, report, blobs.readLink(names.get(Format.HTML.key()), LINK_LIFETIME));
    }

    private Map<String, String> write(String folder, FleetReport report) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Format format : Format.values()) {
            String name = folder + format.fileName();
            blobs.put(name, render(report, format), format.contentType(), Map.of());
            names.put(format.key(), name);
        }
        return names;
    }

    public static byte[] render(FleetReport report, Format format) {
        return switch (format) {
            case JSON -> {
                try {
                    yield Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case CSV -> ReportCsv.render(report).getBytes(StandardCharsets.UTF_8);
            case HTML -> ReportHtml.render(report).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A stored daily report in one of its forms, if that day has one. */
    public Optional<byte[]> daily(LocalDate day, Format format) {
        return dailyRecord(day).flatMap(record -> blobs.get(record.blobs().get(format.key())));
    }

    public Optional<ReportIndexDocument> dailyRecord(LocalDate day) {
        return index.find(dailyId(day), dailyId(day)).map(Stored::value);
    }

    /** Recorded reports, newest period first. */
    public Page<ReportIndexDocument> list(int limit, String continuation) {
        return index.queryPage(SqlQuery.of("SELECT * FROM c ORDER BY c[\"from\"] DESC"), limit, continuation);
    }

    /** How a report names its devices: {@code all}, {@code device:<id>} or {@code tag:<tag>}. */
    static String scopeLabel(RuleScope scope) {
        return switch (scope.kind()) {
            case ALL -> "all";
            case DEVICE -> "device:" + scope.value();
            case TAG -> "tag:" + scope.value();
        };
    }

    static String dailyId(LocalDate day) {
        return "daily-" + day;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
