package dev.sensorchat.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** open → acknowledged → resolved; an open alert may also resolve directly. */
public enum AlertState {
    OPEN, ACKNOWLEDGED, RESOLVED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AlertState fromLabel(String label) {
        for (AlertState state : values()) {
            if (state.label().equalsIgnoreCase(label)) {
                return state;
            }
        }
        throw new IllegalArgumentException("state is open, acknowledged or resolved");
    }
}
