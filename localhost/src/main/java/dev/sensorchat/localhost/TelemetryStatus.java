package dev.sensorchat.localhost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code telemetry} part of {@code /admin/status}, from the app's metrics: how far behind each
 * partition has been, how many events were rejected and why, and what an event costs in request
 * units. The same questions the README's KQL answers from Application Insights in Azure.
 */
final class TelemetryStatus {

    private TelemetryStatus() {
    }

    static Map<String, Object> view(List<LocalMetrics.Point> points) {
        long accepted = 0;
        long deadLettered = 0;
        Map<String, Long> rejected = new TreeMap<>();
        long alertsOpened = 0;
        long windowsWritten = 0;
        double chargedRu = 0;
        double modelledRu = 0;
        long batches = 0;
        double batchMs = 0;
        double batchMaxMs = 0;
        Map<String, Map<String, Object>> partitions = new TreeMap<>();
        for (LocalMetrics.Point point : points) {
            switch (point.metric()) {
                case "sensorchat.telemetry.events" -> {
                    if ("accepted".equals(point.attributes().get("outcome"))) {
                        accepted += (long) point.sum();
                    } else {
                        deadLettered += (long) point.sum();
                        rejected.merge(point.attributes().getOrDefault("reason", "unknown"), (long) point.sum(), Long::sum);
                    }
                }
                case "sensorchat.telemetry.alerts_opened" -> alertsOpened += (long) point.sum();
                case "sensorchat.telemetry.windows_written" -> windowsWritten += (long) point.sum();
                case "sensorchat.cosmos.request_units" -> {
                    if ("charged".equals(point.attributes().get("source"))) {
                        chargedRu += point.sum();
                    } else {
                        modelledRu += point.sum();
                    }
                }
                case "sensorchat.telemetry.batch.duration" -> {
                    batches += point.count();
                    batchMs += point.sum();
                    batchMaxMs = Math.max(batchMaxMs, point.max());
                }
                case "sensorchat.telemetry.lag" -> {
                    Map<String, Object> partition = new LinkedHashMap<>();
                    partition.put("batches", point.count());
                    partition.put("meanLagMs", point.count() == 0 ? 0 : Math.round(point.sum() / point.count()));
                    partition.put("maxLagMs", Math.round(point.max()));
                    partitions.put(point.attributes().getOrDefault("partition", "?"), partition);
                }
                default -> {
                }
            }
        }
        long received = accepted + deadLettered;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("batches", batches);
        view.put("events", Map.of("received", received, "accepted", accepted, "deadLettered", deadLettered));
        view.put("rejectedByReason", rejected);
        view.put("alertsOpened", alertsOpened);
        view.put("windowsWritten", windowsWritten);
        // The local Cosmos DB server charges a nominal 1 RU a request; the model (Microsoft's published
        // table, by document size) is what Azure would charge, to within its accuracy.
        Map<String, Object> cosmos = new LinkedHashMap<>();
        cosmos.put("chargedRu", round(chargedRu));
        cosmos.put("modelledRu", round(modelledRu));
        cosmos.put("chargedRuPerEvent", received == 0 ? 0 : round(chargedRu / received));
        cosmos.put("modelledRuPerEvent", received == 0 ? 0 : round(modelledRu / received));
        view.put("cosmos", cosmos);
        Map<String, Object> duration = new LinkedHashMap<>();
        duration.put("mean", batches == 0 ? 0 : Math.round(batchMs / batches));
        duration.put("max", Math.round(batchMaxMs));
        duration.put("total", Math.round(batchMs));
        view.put("batchDurationMs", duration);
        view.put("partitions", partitions);
        return view;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
