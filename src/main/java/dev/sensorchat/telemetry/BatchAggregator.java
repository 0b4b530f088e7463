package dev.sensorchat.telemetry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Groups a batch's valid events by device and window; nothing is written per event. */
public final class BatchAggregator {

    private BatchAggregator() {
    }

    /** Events must come in position order, as a batch delivers them. */
    public static Map<String, DeviceBatch> group(List<PositionedEvent> events) {
        Map<String, DeviceBatch> devices = new LinkedHashMap<>();
        for (PositionedEvent positioned : events) {
            String deviceId = positioned.event().deviceId();
            devices.computeIfAbsent(deviceId, DeviceBatch::new).add(positioned.position(), positioned.event());
        }
        return devices;
    }
}
