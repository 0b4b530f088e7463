package dev.sensorchat.telemetry;

import dev.sensorchat.common.Labels;
import java.time.Instant;

/** The window sizes aggregates are kept at: tumbling, aligned to the epoch (UTC). */
public enum Resolution {
    MINUTE("m", 60_000L),
    HOUR("h", 3_600_000L);

    private final String idPrefix;
    private final long millis;

    Resolution(String idPrefix, long millis) {
        this.idPrefix = idPrefix;
        this.millis = millis;
    }

    public long millis() {
        return millis;
    }

    /** Start of the window holding {@code timestampMs}. */
    public long windowStart(long timestampMs) {
        return Math.floorDiv(timestampMs, millis) * millis;
    }

    /** Document id of a window, unique within its device's partition, e.g. {@code m:2026-11-22T10:05:00Z}. */
    public String documentId(long windowStartMs) {
        return idPrefix + ":" + Instant.ofEpochMilli(windowStartMs);
    }

    /** The name stored in documents and used by the API: {@code minute} or {@code hour}. */
    public String label() {
        return Labels.of(this);
    }

    public static Resolution fromLabel(String label) {
        return Labels.parse(Resolution.class, label, "resolution is 'minute' or 'hour'");
    }
}
