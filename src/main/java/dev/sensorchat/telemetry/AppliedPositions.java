package dev.sensorchat.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exactly-once bookkeeping kept in every document that telemetry updates: for each source
 * (an Event Hubs partition, or one upload), the highest position already applied. A reading at or
 * below it was applied before and is skipped, so a redelivered batch changes nothing.
 */
public final class AppliedPositions {

    /** Event Hubs partitions are few and permanent; uploads come and go, so only the latest are kept. */
    static final int MAX_UPLOAD_SOURCES = 32;
    static final String UPLOAD_PREFIX = "upload:";

    private AppliedPositions() {
    }

    public static String eventHubSource(String partitionId) {
        return "eh:" + partitionId;
    }

    /**
     * An upload is identified by its blob name: uploading the same name again applies only lines
     * beyond those already applied (a gateway appending to its buffer file), never a line twice.
     */
    public static String uploadSource(String blobName) {
        return UPLOAD_PREFIX + blobName;
    }

    /** The highest applied position of {@code source}, or -1 when nothing from it was applied. */
    public static long applied(Map<String, Long> positions, String source) {
        Long position = positions == null ? null : positions.get(source);
        return position == null ? -1 : position;
    }

    /** A copy with {@code source} advanced to {@code position}, keeping the newest upload sources. */
    public static Map<String, Long> advance(Map<String, Long> positions, String source, long position) {
        Map<String, Long> next = new LinkedHashMap<>(positions == null ? Map.of() : positions);
        next.remove(source); // re-inserted last: insertion order is recency
        next.put(source, position);
        long uploads = next.keySet().stream().filter(key -> key.startsWith(UPLOAD_PREFIX)).count();
        var keys = next.keySet().iterator();
        while (uploads > MAX_UPLOAD_SOURCES && keys.hasNext()) {
            if (keys.next().startsWith(UPLOAD_PREFIX)) {
                keys.remove();
                uploads--;
            }
        }
        return next;
    }
}
