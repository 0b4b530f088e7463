package dev.sensorchat.bench;

import dev.sensorchat.storage.CosmosStore;
import java.util.List;
import java.util.Map;

/**
 * The naive design, as the official Java sample and the C# reference implementation write
 * telemetry: one document per event, partitioned by device.
 */
final class PerEventDesign {

    /** One event's document. */
    record EventDocument(String id, String deviceId, String ts, long seq, Map<String, Double> metrics) {
    }

    private final CosmosStore<EventDocument> store;

    PerEventDesign(CosmosStore<EventDocument> store) {
        this.store = store;
    }

    void run(List<List<Workload.Event>> partitions) {
        for (List<Workload.Event> events : partitions) {
            for (Workload.Event e : events) {
                store.upsert(new EventDocument(e.deviceId() + "-" + e.sequenceNumber(), e.deviceId(),
                        java.time.Instant.ofEpochMilli(e.ts()).toString(), e.sequenceNumber(),
                        Map.of("temperature", e.temperature(), "humidity", e.humidity(), "co2", e.co2())));
            }
        }
    }
}
