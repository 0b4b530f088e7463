package dev.sensorchat.telemetry;

import dev.sensorchat.common.Json;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.SqlQuery;
import java.time.Instant;
import java.util.List;

/** Reads a device's aggregates for one metric over a time range, oldest window first. */
public final class AggregateReader {

    /**
     * One window of one metric.
     *
     * @param start window start; the window ends one resolution later
     */
    public record Window(Instant start, long count, double sum, double min, double max, double avg,
                         Instant firstTs, Instant lastTs, double last) {
    }

    private final CosmosStore<WindowDocument> windows;

    public AggregateReader(CosmosStore<WindowDocument> windows) {
        this.windows = windows;
    }

    /** Windows that start in [from, to) and hold the metric. */
    public Page<Window> read(String deviceId, String metric, Resolution resolution, Instant from, Instant to,
                             int limit, String continuation) {
        SqlQuery query = SqlQuery.of("SELECT * FROM c WHERE c.resolution = @resolution AND c.start >= @from AND c.start < @to "
                        + "AND IS_DEFINED(c.metrics[@metric]) ORDER BY c.start")
                .with("@resolution", resolution.label())
                .with("@from", Json.format(from))
                .with("@to", Json.format(to))
                .with("@metric", metric)
                .inPartition(deviceId);
        Page<WindowDocument> page = windows.queryPage(query, limit, continuation);
        List<Window> items = page.items().stream().map(document -> {
            MetricStats stats = document.metrics().get(metric);
            return new Window(document.start(), stats.count(), stats.sum(), stats.min(), stats.max(), stats.average(),
                    stats.firstTs(), stats.lastTs(), stats.last());
        }).toList();
        return new Page<>(items, page.continuation());
    }
}
