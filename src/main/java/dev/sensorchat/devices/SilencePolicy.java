package dev.sensorchat.devices;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When a device counts as silent: not seen for longer than its reporting interval times a factor.
 * The interval is learned from the device's own readings; until it is known (one reading so far),
 * {@code fallback} applies. The factor is {@code defaultFactor}, unless the device or one of its
 * tags has its own (a device's wins; among tags, the most patient).
 *
 * @param minimum      never silent sooner than this, however fast the device reports
 * @param reportingLag how far the registry may trail a device: its stream writes the device
 *                     document about once a minute, so the deadline allows for that minute
 */
public record SilencePolicy(double defaultFactor, Map<String, Double> deviceFactors, Map<String, Double> tagFactors,
                            Duration fallback, Duration minimum, Duration reportingLag) {

    /** The stream writes a device's document at most once per this (see {@code StreamSettings.flushPeriod}). */
    public static final Duration REPORTING_LAG = Duration.ofMinutes(1);

    public static SilencePolicy defaults() {
        return new SilencePolicy(3, Map.of(), Map.of(), Duration.ofMinutes(15), Duration.ofMinutes(1), REPORTING_LAG);
    }

    /**
     * Overrides as written in the setting: {@code device:boiler-1=10,tag:greenhouse=5}.
     *
     * @throws IllegalArgumentException naming the entry that is not of that form
     */
    public static SilencePolicy of(double defaultFactor, String overrides, Duration fallback) {
        Map<String, Double> devices = new TreeMap<>();
        Map<String, Double> tags = new TreeMap<>();
        if (overrides != null && !overrides.isBlank()) {
            for (String entry : overrides.split(",")) {
                String[] kv = entry.strip().split("=", 2);
                String[] scope = kv[0].split(":", 2);
                double factor = kv.length == 2 ? parseFactor(kv[1]) : Double.NaN;
                if (scope.length != 2 || scope[1].isBlank() || Double.isNaN(factor)) {
                    throw new IllegalArgumentException("'" + entry.strip() + "' is not device:<id>=<factor> or tag:<tag>=<factor>");
                }
                switch (scope[0].strip()) {
                    case "device" -> devices.put(scope[1].strip(), factor);
                    case "tag" -> tags.put(scope[1].strip(), factor);
                    default -> throw new IllegalArgumentException("'" + entry.strip() + "' is not device:<id>=<factor> or tag:<tag>=<factor>");
                }
            }
        }
        if (!(defaultFactor > 0)) {
            throw new IllegalArgumentException("the factor must be positive");
        }
        return new SilencePolicy(defaultFactor, Map.copyOf(devices), Map.copyOf(tags), fallback, Duration.ofMinutes(1), REPORTING_LAG);
    }

    private static double parseFactor(String text) {
        try {
            double factor = Double.parseDouble(text.strip());
            return factor > 0 && Double.isFinite(factor) ? factor : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The same policy for a registry that trails its devices by {@code lag}. */
    public SilencePolicy withReportingLag(Duration lag) {
        return new SilencePolicy(defaultFactor, deviceFactors, tagFactors, fallback, minimum, lag);
    }

    public double factor(String deviceId, List<String> tags) {
        Double own = deviceFactors.get(deviceId);
        if (own != null) {
            return own;
        }
        return tags.stream().map(tagFactors::get).filter(java.util.Objects::nonNull).max(Double::compare).orElse(defaultFactor);
    }

    /** How long the device may stay quiet before it is silent. */
    public Duration allowedQuiet(String deviceId, List<String> tags, Long intervalMs) {
        if (intervalMs == null) {
            return fallback;
        }
        Duration allowed = Duration.ofMillis(Math.round(intervalMs * factor(deviceId, tags)));
        return allowed.compareTo(minimum) < 0 ? minimum : allowed;
    }

    /** The moment the device becomes silent, if nothing arrives after {@code lastSeen}. */
    public Instant silentAfter(String deviceId, List<String> tags, Instant lastSeen, Long intervalMs) {
        return lastSeen == null ? null : lastSeen.plus(allowedQuiet(deviceId, tags, intervalMs)).plus(reportingLag);
    }
}
