package dev.sensorchat.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Dollars per million events, and per month for a fleet, from what P2 measured per event and
 * published list prices. Every input is a parameter, so a reader redoes it for their own fleet
 * and region. Free monthly grants are left out (they matter only for small fleets), and so is
 * storage at rest (the same order for both designs once their retention is alike).
 *
 * <pre>
 * per million events (E = 10^6), at r events/s:
 *   Functions   E/batch x $exec  +  E x activeSecondsPerEvent x memoryGB x $GBs
 *   Cosmos DB   serverless: E x RU/event x $RU
 *               provisioned: max(400, RU/event x r x headroom) RU/s, in 100s, x $per100RUsHour / (r x 3600 / E)
 *   Event Hubs  E x $ingress  +  TUs x $TUhour / (r x 3600 / E),  TUs = ceil(max(r / 1000, r x bytes / 1 MB))
 *   Blob        E/batch/checkpointEvery checkpoint writes x $write
 * </pre>
 */
final class CostModel {

    /** Prices: pay-as-you-go list prices, US East, in dollars. */
    record Prices(double functionsExecution, double functionsGbSecond, double cosmosServerlessRu, double cosmosProvisioned100RuHour,
                  double eventHubsIngressEvent, double eventHubsTuHour, double blobWrite) {

        /** As published on the Azure pricing pages (read 2026-12; this machine cannot reach them to re-check). */
        static final Prices LIST = new Prices(0.40 / 1e6, 0.000026, 0.25 / 1e6, 0.008, 0.028 / 1e6, 0.03, 0.065 / 1e4);
    }

    /** What one design does per event, measured. */
    record Usage(String design, double ruPerEvent, double eventsPerExecution, double activeSecondsPerEvent, int batchesPerCheckpoint) {
    }

    /** The fleet and the app's shape. */
    record Fleet(double eventsPerSecond, double eventBytes, double memoryGb, double headroom) {
    }

    /** Dollars per million events, by service. */
    record PerMillion(double functions, double cosmosServerless, double cosmosProvisioned, double eventHubs, double blob) {

        double totalServerless() {
            return functions + cosmosServerless + eventHubs + blob;
        }

        double totalProvisioned() {
            return functions + cosmosProvisioned + eventHubs + blob;
        }
    }

    private static final double E = 1e6;

    private CostModel() {
    }

    static PerMillion perMillion(Usage usage, Fleet fleet, Prices prices) {
        double millionsPerHour = fleet.eventsPerSecond() * 3600 / E;
        double functions = E / usage.eventsPerExecution() * prices.functionsExecution()
                + E * usage.activeSecondsPerEvent() * fleet.memoryGb() * prices.functionsGbSecond();
        double cosmosServerless = E * usage.ruPerEvent() * prices.cosmosServerlessRu();
        double provisionedRus = Math.ceil(Math.max(400, usage.ruPerEvent() * fleet.eventsPerSecond() * fleet.headroom()) / 100) * 100;
        double cosmosProvisioned = provisionedRus / 100 * prices.cosmosProvisioned100RuHour() / millionsPerHour;
        double throughputUnits = Math.ceil(Math.max(fleet.eventsPerSecond() / 1000, fleet.eventsPerSecond() * fleet.eventBytes() / (1024 * 1024)));
        double eventHubs = E * prices.eventHubsIngressEvent() + throughputUnits * prices.eventHubsTuHour() / millionsPerHour;
        double blob = E / usage.eventsPerExecution() / usage.batchesPerCheckpoint() * prices.blobWrite();
        return new PerMillion(functions, cosmosServerless, cosmosProvisioned, eventHubs, blob);
    }

    static void print(PrintStream out, Usage project, Usage perEvent, double baseRate, double eventBytes, double memoryGb, double headroom,
                      Prices prices) {
        out.printf(Locale.ROOT, "%nCost model: dollars per million events, and per 30-day month (list prices, US East, pay-as-you-go; no free grants)%n");
        out.printf(Locale.ROOT, "  prices: Functions Flex $%.2f/M executions, $%.6f/GB-s; Cosmos DB serverless $%.2f/M RU, provisioned $%.3f per 100 RU/s-hour;%n"
                        + "          Event Hubs Standard $%.3f/M ingress events, $%.3f/TU-hour; Blob hot write $%.4f/10k%n",
                prices.functionsExecution() * E, prices.functionsGbSecond(), prices.cosmosServerlessRu() * E, prices.cosmosProvisioned100RuHour(),
                prices.eventHubsIngressEvent() * E, prices.eventHubsTuHour(), prices.blobWrite() * 1e4);
        out.printf(Locale.ROOT, "  inputs: %s %.3f RU/event, per-event %.3f RU/event (P2, live, batches of %.0f); %.0f events an execution,%n"
                        + "          a checkpoint every %d batches; %.2f ms active an event x %.1f GB instances; %.0f bytes an event;%n"
                        + "          provisioned RU/s = %.1fx the mean, at least 400%n",
                project.design(), project.ruPerEvent(), perEvent.ruPerEvent(), project.eventsPerExecution(), project.eventsPerExecution(),
                project.batchesPerCheckpoint(), project.activeSecondsPerEvent() * 1000, memoryGb, eventBytes, headroom);
        out.printf(Locale.ROOT, "  %-12s %-10s %10s %11s %11s %10s %8s %12s %12s %14s%n", "load", "design", "Functions", "Cosmos(sl)", "Cosmos(pr)",
                "EventHubs", "Blob", "total(sl)", "total(pr)", "month(best)");
        for (double scale : new double[] {1, 10}) {
            Fleet fleet = new Fleet(baseRate * scale, eventBytes, memoryGb, headroom);
            PerMillion ours = perMillion(project, fleet, prices);
            PerMillion theirs = perMillion(perEvent, fleet, prices);
            String load = String.format(Locale.ROOT, "%,.0f ev/s", fleet.eventsPerSecond());
            row(out, load, project.design(), ours, fleet);
            row(out, load, perEvent.design(), theirs, fleet);
            out.printf(Locale.ROOT, "  %-12s %-10s %s%n", "", "", String.format(Locale.ROOT, "per-event / %s: %.1fx the dollars (each at its cheaper Cosmos DB mode)",
                    project.design(), best(theirs) / best(ours)));
        }
        out.println("  per-event: the same Functions, Event Hubs and Blob figures as sensorchat, a lower bound (one Cosmos DB request an event takes more compute)");
    }

    private static double best(PerMillion costs) {
        return Math.min(costs.totalServerless(), costs.totalProvisioned());
    }

    private static void row(PrintStream out, String load, String design, PerMillion costs, Fleet fleet) {
        double monthlyMillions = fleet.eventsPerSecond() * 30 * 24 * 3600 / E;
        out.printf(Locale.ROOT, "  %-12s %-10s %10.4f %11.4f %11.4f %10.4f %8.4f %12.4f %12.4f %,14.0f%n", load, design, costs.functions(),
                costs.cosmosServerless(), costs.cosmosProvisioned(), costs.eventHubs(), costs.blob(), costs.totalServerless(),
                costs.totalProvisioned(), best(costs) * monthlyMillions);
    }
}
