package dev.sensorchat.stream;

import dev.sensorchat.alerts.AlertDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alert writes decided by committed batches and not done yet, in the order they were decided.
 * Alerts opened since the last drain are found by id, so a reading that clears one in the same
 * batch folds the resolution into the one write without scanning the batch's other alerts.
 */
final class PendingAlerts {

    private final List<AlertWrites.Effect> effects = new ArrayList<>();
    /** Open effects by alert id: their index in {@link #effects}. */
    private final Map<String, Integer> opens = new HashMap<>();

    boolean isEmpty() {
        return effects.isEmpty();
    }

    int size() {
        return effects.size();
    }

    void open(AlertDocument alert) {
        opens.put(alert.id(), effects.size());
        effects.add(new AlertWrites.Open(alert));
    }

    void resolve(String deviceId, String alertId, long readingTs, Double value) {
        effects.add(new AlertWrites.Resolve(deviceId, alertId, readingTs, value));
    }

    /**
     * Resolves an alert that is still to be created: true when one with this id is pending (it
     * will then be created resolved), false when it was written before and needs its own update.
     */
    boolean resolveBeforeWritten(String alertId, long readingTs, double value) {
        Integer index = opens.get(alertId);
        if (index == null) {
            return false;
        }
        AlertWrites.Open open = (AlertWrites.Open) effects.get(index);
        effects.set(index, new AlertWrites.Open(open.alert().resolvedByRule(readingTs, value)));
        return true;
    }

    /** Takes the first {@code done} writes off: they were carried out. */
    void removeFirst(int done) {
        if (done == 0) {
            return;
        }
        effects.subList(0, done).clear();
        opens.clear();
        for (int i = 0; i < effects.size(); i++) {
            if (effects.get(i) instanceof AlertWrites.Open open) {
                opens.put(open.alertId(), i);
            }
        }
    }

    /** The writes in order; read-only to callers, who take done ones off with {@link #removeFirst}. */
    List<AlertWrites.Effect> effects() {
        return java.util.Collections.unmodifiableList(effects);
    }
}
