package dev.sensorchat.simulators.devices;

import java.util.List;
import java.util.Locale;

/** What a simulated device measures, and the physical bounds its values never leave. */
public enum DeviceKind {
    THERMOSTAT("thermostat", List.of(new Metric("temperature", -10, 45), new Metric("humidity", 0, 100))),
    AIR_QUALITY("air", List.of(new Metric("co2", 350, 5000), new Metric("pm2_5", 0, 500))),
    MACHINE("machine", List.of(new Metric("vibration", 0, 50), new Metric("temperature", 10, 120)));

    /** A metric and its physical range. */
    public record Metric(String name, double min, double max) {
        double clamp(double value) {
            return Math.max(min, Math.min(max, value));
        }
    }

    private final String defaultPrefix;
    private final List<Metric> metrics;

    DeviceKind(String defaultPrefix, List<Metric> metrics) {
        this.defaultPrefix = defaultPrefix;
        this.metrics = metrics;
    }

    public String defaultPrefix() {
        return defaultPrefix;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** thermostat, air-quality (or air), machine. */
    public static DeviceKind parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "thermostat", "thermostats" -> THERMOSTAT;
            case "air-quality", "air", "airquality" -> AIR_QUALITY;
            case "machine", "machines" -> MACHINE;
            default -> throw new IllegalArgumentException("unknown device kind '" + name + "': thermostat, air-quality or machine");
        };
    }

    public String label() {
        return this == AIR_QUALITY ? "air-quality" : name().toLowerCase(Locale.ROOT);
    }
}
