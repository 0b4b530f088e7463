package dev.sensorchat.simulators;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.simulators.devices.FleetSimulation;
import dev.sensorchat.simulators.devices.GroundTruth;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** The end-of-run summary, for people (stderr) and for scripts (JSON). */
final class SummaryReport {

    private SummaryReport() {
    }

    static void print(Runner.Summary summary, FleetSimulation simulation, PrintStream out, Path groundTruth, GroundTruth truth) {
        StringBuilder text = new StringBuilder();
        String outcome = summary.interrupted() ? "interrupted" : summary.succeeded() ? "done" : "FAILED";
        text.append(String.format(Locale.ROOT, "%s: %d devices, %.1f s%n", outcome, simulation.devices().size(), summary.seconds()));
        text.append(String.format(Locale.ROOT, "  sent          %,d events (%,d malformed on purpose)%n", summary.sent(), summary.malformed()));
        text.append(String.format(Locale.ROOT, "  acknowledged  %,d%n", summary.acknowledged()));
        text.append(String.format(Locale.ROOT, "  failed        %,d%n", summary.failed()));
        summary.failureReasons().forEach((reason, count) ->
                text.append(String.format(Locale.ROOT, "    %,d: %s%n", count, reason)));
        if (summary.unanswered() > 0) {
            text.append(String.format(Locale.ROOT, "  unanswered    %,d (given up on at the stop while waiting for the target: it may have them)%n",
                    summary.unanswered()));
        }
        if (summary.unsent() > 0) {
            text.append(String.format(Locale.ROOT, "  not sent      %,d (generated, still queued when the run stopped)%n", summary.unsent()));
        }
        text.append(String.format(Locale.ROOT, "  rate          %,.0f events/s%n", summary.eventsPerSecond()));
        text.append(String.format(Locale.ROOT, "  send latency  p50 %.2f ms, p99 %.2f ms%n", summary.p50Millis(), summary.p99Millis()));
        double cpu = cpuSeconds();
        if (!Double.isNaN(cpu)) {
            text.append(String.format(Locale.ROOT, "  CPU           %.1f s (%.3f ms an event sent)%n", cpu,
                    summary.sent() == 0 ? 0 : cpu * 1000 / summary.sent()));
        }
        if (summary.error() != null) {
            text.append("  error         ").append(summary.error()).append(System.lineSeparator());
        }
        if (groundTruth != null) {
            text.append("  ground truth  ").append(groundTruth)
                    .append(truth == null ? "" : String.format(Locale.ROOT, " (%,d valid events acknowledged)", truth.validEvents()))
                    .append(System.lineSeparator());
        }
        out.print(text);
        out.flush();
    }

    static void writeJson(Runner.Summary summary, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = json.createObjectNode()
                .put("succeeded", summary.succeeded())
                .put("interrupted", summary.interrupted())
                .put("sent", summary.sent())
                .put("malformed", summary.malformed())
                .put("acknowledged", summary.acknowledged())
                .put("failed", summary.failed())
                .put("unanswered", summary.unanswered())
                .put("unsent", summary.unsent())
                .put("seconds", summary.seconds())
                .put("eventsPerSecond", summary.eventsPerSecond())
                .put("latencyP50Millis", summary.p50Millis())
                .put("latencyP99Millis", summary.p99Millis())
                .put("error", summary.error());
        double cpu = cpuSeconds();
        if (!Double.isNaN(cpu)) {
            node.put("cpuSeconds", cpu);
        }
        ObjectNode reasons = node.putObject("failureReasons");
        summary.failureReasons().forEach(reasons::put);
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
    }

    /**
     * The CPU this process used so far, all threads (the generator, the senders, the ground truth), or
     * NaN where the platform does not tell: on a machine the target shares, the load's own cost.
     */
    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }
}
