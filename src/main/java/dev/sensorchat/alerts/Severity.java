package dev.sensorchat.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sensorchat.common.Labels;

public enum Severity {
    INFO, WARNING, CRITICAL;

    @JsonValue
    public String label() {
        return Labels.of(this);
    }

    @JsonCreator
    public static Severity fromLabel(String label) {
        return Labels.parse(Severity.class, label, "severity is info, warning or critical");
    }
}
