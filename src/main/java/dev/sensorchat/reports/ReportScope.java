package dev.sensorchat.reports;

/**
 * Which devices a report covers: the whole fleet, one device, or the devices with a tag.
 */
public record ReportScope(Kind kind, String value) {

    public enum Kind { ALL, DEVICE, TAG }

    public static ReportScope all() {
        return new ReportScope(Kind.ALL, null);
    }

    public static ReportScope device(String deviceId) {
        return new ReportScope(Kind.DEVICE, deviceId);
    }

    public static ReportScope tag(String tag) {
        return new ReportScope(Kind.TAG, tag);
    }

    /** As written in reports: {@code all}, {@code device:<id>}, {@code tag:<tag>}. */
    public String label() {
        return switch (kind) {
            case ALL -> "all";
            case DEVICE -> "device:" + value;
            case TAG -> "tag:" + value;
        };
    }
}
