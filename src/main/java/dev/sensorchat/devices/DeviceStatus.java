package dev.sensorchat.devices;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sensorchat.common.Labels;
import java.time.Duration;
import java.time.Instant;

/** What a device is doing, as the API, the dashboard and the chat say it. */
public enum DeviceStatus {
    ONLINE, SILENT, OFFLINE;

    @JsonValue
    public String label() {
        return Labels.of(this);
    }

    /**
     * {@code offline} while an offline alert is open; {@code silent} once past its silence deadline
     * (its learned reporting interval; a device without a deadline yet: quiet for longer than
     * {@code quietWithoutDeadline}) but before the silent-device check opened one; else {@code online}.
     */
    public static DeviceStatus of(DeviceDocument device, Instant now, Duration quietWithoutDeadline) {
        if (device.offline() != null) {
            return OFFLINE;
        }
        boolean quiet = device.silentAfter() != null
                ? now.isAfter(device.silentAfter())
                : device.lastSeen() == null || Duration.between(device.lastSeen(), now).compareTo(quietWithoutDeadline) > 0;
        return quiet ? SILENT : ONLINE;
    }
}
