package dev.sensorchat.alerts;

import dev.sensorchat.telemetry.AppliedPositions;
import java.util.Map;
import java.util.Objects;

/**
 * Per-device rule state, one document per device in the {@code alerts} container, next to that
 * device's alerts: being in one partition lets state and alerts change in one transaction.
 *
 * @param id      always {@value #ID}
 * @param type    always {@value #TYPE}
 * @param rules   state per rule id
 * @param applied highest applied position per source (see {@link AppliedPositions})
 */
public record RuleStateDocument(String id, String type, String deviceId, Map<String, RuleState> rules,
                                Map<String, Long> applied) {

    public static final String ID = "rule-state";
    public static final String TYPE = "ruleState";

    public static RuleStateDocument empty(String deviceId) {
        return new RuleStateDocument(ID, TYPE, deviceId, Map.of(), Map.of());
    }

    /** Open or acknowledged alerts of this device. */
    public int activeAlerts() {
        return (int) rules.values().stream().map(RuleState::openAlertId).filter(Objects::nonNull).count();
    }
}
