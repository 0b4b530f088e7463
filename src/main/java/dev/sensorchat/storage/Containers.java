package dev.sensorchat.storage;

import java.util.List;

/**
 * Every Cosmos DB container of the app. Partition keys follow the reads: telemetry, devices and
 * alerts are always read for one device; conversations for one conversation; rules, reports and
 * idempotency records by their own id. Bicep creates the same containers in Azure.
 */
public final class Containers {

    private static final int SEVEN_DAYS = 7 * 24 * 3600;

    /** Device registry and last known state, one document per device. */
    public static final ContainerSpec DEVICES = new ContainerSpec("devices", "/deviceId", null, List.of("/latest/*"));

    /**
     * Minute windows (one document per device, hour and source) and hourly rollups per device;
     * each document carries its own ttl. Only id, resolution, start and source are queried.
     */
    public static final ContainerSpec TELEMETRY = new ContainerSpec("telemetry", "/deviceId", -1,
            List.of("/metrics/*", "/minutes/*", "/hour/*", "/masks/*", "/applied/*"));

    /** Alerts per device, open and resolved, and each device's rule state (same partition: one transaction). */
    public static final ContainerSpec ALERTS = new ContainerSpec("alerts", "/deviceId", -1, List.of("/transitions/*"));

    /** Alert rules; few, read all at once. Deleted rules linger briefly with their own ttl. */
    public static final ContainerSpec RULES = new ContainerSpec("rules", "/id", -1, List.of());

    /** Chat conversation state and subscriptions; only the subscriptions are ever queried. */
    public static final ContainerSpec CONVERSATIONS = new ContainerSpec("conversations", "/conversationId", -1,
            List.of("/address/*", "/pending/*", "/lastRange/*", "/budget/*"));

    /** Index of generated reports; the reports themselves are blobs. */
    public static final ContainerSpec REPORTS = new ContainerSpec("reports", "/id", null, List.of());

    /** "Already done" markers for retried deliveries; point reads only, expire after a week. */
    public static final ContainerSpec IDEMPOTENCY = new ContainerSpec("idempotency", "/id", SEVEN_DAYS, List.of("/*"));

    /**
     * The telemetry streams' own state: per Event Hubs partition its log of segments (one per
     * batch, kept two days), its checkpoint and the rule sets it used. Point reads only.
     */
    public static final ContainerSpec STREAMS = new ContainerSpec("streams", "/stream", -1, List.of("/*"));

    /** Change-feed leases of the Cosmos DB trigger. */
    public static final ContainerSpec LEASES = new ContainerSpec("leases", "/id", null, List.of());

    public static final List<ContainerSpec> ALL =
            List.of(DEVICES, TELEMETRY, ALERTS, RULES, CONVERSATIONS, REPORTS, IDEMPOTENCY, STREAMS, LEASES);

    private Containers() {
    }
}
