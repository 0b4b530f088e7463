package dev.sensorchat.devices;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.storage.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds devices that stopped reporting and opens one {@code offline} alert for each; the alert
 * follows the usual lifecycle (acknowledge, resolve, notifications) and the device's next reading
 * resolves it. Running twice, or on two instances at once, opens nothing twice.
 */
public final class SilentDeviceCheck {

    private static final int PAGE = 200;

    /** What one run found: devices past their silence deadline, and the offline alerts it opened. */
    public record Result(int silent, List<AlertDocument> opened) {
    }

    private final DeviceRegistry devices;
    private final AlertLedger alerts;
    private final Severity severity;
    private final Clock clock;

    public SilentDeviceCheck(DeviceRegistry devices, AlertLedger alerts, Severity severity, Clock clock) {
        this.devices = devices;
        this.alerts = alerts;
        this.severity = severity;
        this.clock = clock;
    }

    public Result run() {
        Instant now = clock.instant();
        int silent = 0;
        List<AlertDocument> opened = new ArrayList<>();
        String continuation = null;
        do {
            Page<DeviceDocument> page = devices.silentSince(now, PAGE, continuation);
            for (DeviceDocument device : page.items()) {
                // The stored deadline was computed at the last reading; the policy may have changed since.
                Instant deadline = devices.silence().silentAfter(device.deviceId(), device.tags(), device.lastSeen(), device.intervalMs());
                if (deadline == null || !deadline.isBefore(now)) {
                    continue;
                }
                silent++;
                alerts.openOffline(device.deviceId(), device.lastSeen(), severity).ifPresent(opened::add);
            }
            continuation = page.continuation();
        } while (continuation != null);
        return new Result(silent, List.copyOf(opened));
    }
}
