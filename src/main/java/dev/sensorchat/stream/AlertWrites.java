package dev.sensorchat.stream;

import dev.sensorchat.alerts.AlertDocument;
import java.util.List;
import java.util.Optional;

/**
 * Alert writes that rules decided: idempotent, so a replay that decides them again changes
 * nothing. An alert's id comes from what opened it, so opening it twice finds it there; resolving
 * an alert that is resolved already (by hand, or by an earlier attempt) is a no-op.
 */
public final class AlertWrites {

    private static final int MAX_ATTEMPTS = 10;

    /** An alert write. */
    public sealed interface Effect permits Open, Resolve {
        String deviceId();

        String alertId();
    }

    /** Create the alert (it may already be resolved again, when both happened in one batch). */
    public record Open(AlertDocument alert) implements Effect {
        public String deviceId() {
            return alert.deviceId();
        }

        public String alertId() {
            return alert.id();
        }
    }

    /** @param value the resolving reading's value; null for an offline alert (the device came back) */
    public record Resolve(String deviceId, String alertId, long readingTs, Double value) implements Effect {
    }

    private AlertWrites() {
    }

    /** Change in the number of active alerts these writes made (a replay makes none). */
    public static int write(StreamStore store, List<? extends Effect> effects) {
        int change = 0;
        for (Effect effect : effects) {
            if (write(store, effect)) {
                change += effect instanceof Open open ? (open.alert().isActive() ? 1 : 0) : -1;
            }
        }
        return change;
    }

    /** True when the write changed something: false when a replay finds it done. */
    public static boolean write(StreamStore store, Effect effect) {
        if (effect instanceof Open open) {
            return store.createAlert(open.alert());
        }
        Resolve resolve = (Resolve) effect;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<StreamStore.Versioned<AlertDocument>> found = store.alert(resolve.deviceId(), resolve.alertId());
            if (found.isEmpty() || !found.get().value().isActive()) {
                return false;
            }
            try {
                store.replaceAlert(found.get().value().resolvedByRule(resolve.readingTs(), resolve.value()), found.get().etag());
                return true;
            } catch (StreamStore.Conflict changed) {
                // acknowledged meanwhile: resolve that version
            }
        }
        throw new StreamStore.Conflict("alert " + resolve.alertId() + " kept changing");
    }
}
