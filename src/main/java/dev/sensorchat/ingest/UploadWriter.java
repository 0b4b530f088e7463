package dev.sensorchat.ingest;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleCatalog;
import dev.sensorchat.alerts.RuleEvaluator;
import dev.sensorchat.alerts.RuleState;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.stream.AlertWrites;
import dev.sensorchat.stream.StreamStore;
import dev.sensorchat.telemetry.DeviceBatch;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.SourcedReading;
import dev.sensorchat.telemetry.WindowDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Writes uploaded files (devices catching up) into the same read model the live streams write:
 * per chunk and device, each hour's minute document and hourly rollup read, folded and written
 * once (catch-up data is dense, so a chunk holds many readings per document). Every document
 * records the highest line it has applied, so a retried run or a re-uploaded file applies no
 * line twice. Rules run over the file in order, with state that lasts the run; their alerts have
 * ids derived from what opened them, so a rerun opens nothing twice.
 */
public final class UploadWriter {

    private static final long HOUR = 3_600_000L;

    /**
     * @param minute how long minute windows are kept after their last write
     * @param hour   how long hourly rollups are kept after their last write
     */
    public record Retention(Duration minute, Duration hour) {
    }

    private final CosmosStore<MinuteWindows> minutes;
    private final CosmosStore<WindowDocument> hours;
    private final DeviceRegistry devices;
    private final StreamStore alerts;
    private final RuleCatalog rules;
    private final Retention retention;
    private final Executor executor;

    public UploadWriter(CosmosStore<MinuteWindows> minutes, CosmosStore<WindowDocument> hours, DeviceRegistry devices,
                        StreamStore alerts, RuleCatalog rules, Retention retention, Executor executor) {
        this.minutes = minutes;
        this.hours = hours;
        this.devices = devices;
        this.alerts = alerts;
        this.rules = rules;
        this.retention = retention;
        this.executor = executor;
    }

    /** One pass over one upload: rule states live as long as it does. */
    public Run start(String source) {
        return new Run(source);
    }

    /** The writes of one upload run. */
    public final class Run {
        private final String source;
        private final Map<String, Map<String, RuleState>> ruleStates = new ConcurrentHashMap<>();

        private Run(String source) {
            this.source = source;
        }

        /** Writes every device of the chunk; throws if any could not be written (the run is retried whole). */
        public void write(Map<String, DeviceBatch> chunk) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (DeviceBatch device : chunk.values()) {
                writes.add(CompletableFuture.runAsync(() -> writeDevice(device), executor));
            }
            try {
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }

        private void writeDevice(DeviceBatch batch) {
            String deviceId = batch.deviceId();
            DeviceDocument known = devices.find(deviceId).orElse(null);
            List<String> tags = known == null ? List.of() : known.tags();
            List<AlertWrites.Effect> effects = evaluate(deviceId, batch.readings(), rules.applicableTo(deviceId, tags));
            Map<Long, List<SourcedReading>> byHour = new TreeMap<>();
            for (SourcedReading reading : batch.readings()) {
                byHour.computeIfAbsent(Math.floorDiv(reading.reading().timestampMs(), HOUR) * HOUR, h -> new ArrayList<>()).add(reading);
            }
            int minuteTtl = (int) retention.minute().toSeconds();
            int hourTtl = (int) retention.hour().toSeconds();
            byHour.forEach((hour, readings) -> {
                minutes.compute(deviceId, MinuteWindows.id(hour, source), current -> current
                        .orElseGet(() -> MinuteWindows.empty(deviceId, hour, source, minuteTtl)).apply(readings));
                hours.compute(deviceId, MinuteWindows.hourId(hour, source), current -> current
                        .orElseGet(() -> WindowDocument.emptyHour(deviceId, hour, source, hourTtl)).apply(source, readings));
            });
            int activeChange = AlertWrites.write(alerts, effects);
            devices.applyTelemetry(source, batch, current -> Math.max(0, current + activeChange));
        }

        /** The device's rules over its readings in line order; an alert opened and resolved in one chunk is written once. */
        private List<AlertWrites.Effect> evaluate(String deviceId, List<SourcedReading> readings, List<Rule> applicable) {
            List<AlertWrites.Effect> effects = new ArrayList<>();
            if (applicable.isEmpty()) {
                return effects;
            }
            Map<String, RuleState> states = ruleStates.computeIfAbsent(deviceId, id -> new HashMap<>());
            Map<String, Integer> openedHere = new HashMap<>();
            for (SourcedReading sourced : readings) {
                Reading reading = sourced.reading();
                for (Rule rule : applicable) {
                    double value = reading.valueOf(rule.metric());
                    if (Double.isNaN(value)) {
                        continue;
                    }
                    RuleEvaluator.Step step = RuleEvaluator.step(rule, deviceId, states.getOrDefault(rule.id(), RuleState.INITIAL),
                            reading.timestampMs(), value);
                    if (step == null) {
                        continue;
                    }
                    states.put(rule.id(), step.next());
                    if (step.opened() != null) {
                        openedHere.put(step.opened().id(), effects.size());
                        effects.add(new AlertWrites.Open(step.opened()));
                    }
                    if (step.resolved() != null) {
                        Integer index = openedHere.remove(step.resolved());
                        if (index != null) {
                            AlertDocument opened = ((AlertWrites.Open) effects.get(index)).alert();
                            effects.set(index, new AlertWrites.Open(opened.resolvedByRule(reading.timestampMs(), value)));
                        } else {
                            effects.add(new AlertWrites.Resolve(deviceId, step.resolved(), reading.timestampMs(), value));
                        }
                    }
                }
            }
            return effects;
        }
    }
}
