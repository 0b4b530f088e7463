package dev.sensorchat.simulators.devices;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted fault: "boiler-3 overheats at +60s for 3m", "sensor-7 goes silent at +2m".
 * Offsets count from the start of the run, in simulated time; without "for", it lasts to the end.
 */
public record Fault(String deviceId, Type type, long startOffsetMs, long durationMs) {

    public enum Type { OVERHEAT, SILENT }

    private static final Pattern SYNTAX = Pattern.compile(
            "^\\s*(\\S+)\\s+(overheats?|goes\\s+silent|silent)\\s+at\\s+\\+?(\\d+\\s*(?:ms|s|m|h|d))(?:\\s+for\\s+(\\d+\\s*(?:ms|s|m|h|d)))?\\s*$",
            Pattern.CASE_INSENSITIVE);

    public static Fault parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("fault '" + text + "': write '<device> overheats at +60s for 3m' or '<device> goes silent at +2m'");
        }
        Type type = m.group(2).toLowerCase(Locale.ROOT).startsWith("overheat") ? Type.OVERHEAT : Type.SILENT;
        long duration = m.group(4) == null ? Long.MAX_VALUE / 4 : Durations.parse(m.group(4));
        return new Fault(m.group(1), type, Durations.parse(m.group(3)), duration);
    }

    boolean activeAt(long offsetMs) {
        return offsetMs >= startOffsetMs && offsetMs < startOffsetMs + durationMs;
    }
}
