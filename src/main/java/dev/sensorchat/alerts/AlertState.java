package dev.sensorchat.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sensorchat.common.Labels;

/** open → acknowledged → resolved; an open alert may also resolve directly. */
public enum AlertState {
    OPEN, ACKNOWLEDGED, RESOLVED;

    @JsonValue
    public String label() {
        return Labels.of(this);
    }

    @JsonCreator
    public static AlertState fromLabel(String label) {
        return Labels.parse(AlertState.class, label, "state is open, acknowledged or resolved");
    }
}
