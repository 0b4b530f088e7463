package dev.sensorchat.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sensorchat.common.Labels;
import java.util.List;

/**
 * Which devices a rule watches.
 *
 * @param kind  {@code device} (value = device id), {@code tag} (value = tag) or {@code all}
 * @param value the device id or tag; null for {@code all}
 */
public record RuleScope(Kind kind, String value) {

    public enum Kind {
        DEVICE, TAG, ALL;

        @JsonValue
        public String label() {
            return Labels.of(this);
        }

        @JsonCreator
        public static Kind fromLabel(String label) {
            return Labels.parse(Kind.class, label, "scope kind is device, tag or all");
        }
    }

    public static RuleScope all() {
        return new RuleScope(Kind.ALL, null);
    }

    public static RuleScope device(String deviceId) {
        return new RuleScope(Kind.DEVICE, deviceId);
    }

    public static RuleScope tag(String tag) {
        return new RuleScope(Kind.TAG, tag);
    }

    public boolean appliesTo(String deviceId, List<String> tags) {
        return switch (kind) {
            case ALL -> true;
            case DEVICE -> value.equals(deviceId);
            case TAG -> tags != null && tags.contains(value);
        };
    }
}
