package dev.sensorchat.chat.bot;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.chat.ChatDirectory;
import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * "devices" (by tag or location) and "status boiler-1". Also "what about boiler-2?" when the
 * conversation was not about a metric: that asks for the other device's status.
 */
public final class DeviceHandler implements Handler {

    private static final Set<IntentType> ANSWERS = EnumSet.of(IntentType.DEVICES, IntentType.STATUS, IntentType.OTHER_DEVICE);
    private static final int MAX_RECENT_ALERTS = 5;

    private final ChatDirectory directory;
    private final AlertLedger alerts;
    private final Clock clock;
    private final Duration silentAfter;

    /** @param silentAfter a device not seen for this long is "silent" (unless it has a deadline of its own) */
    public DeviceHandler(ChatDirectory directory, AlertLedger alerts, Clock clock, Duration silentAfter) {
        this.directory = directory;
        this.alerts = alerts;
        this.clock = clock;
        this.silentAfter = silentAfter;
    }

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        return ANSWERS.contains(intent.type());
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        if (intent.type() == IntentType.DEVICES) {
            return devices(intent);
        }
        String deviceId = intent.device();
        return status(deviceId == null && intent.type() == IntentType.STATUS ? conversation.state().lastDevice() : deviceId);
    }

    private Turn devices(Intent intent) {
        List<DeviceDocument> matching = directory.devices().stream()
                .filter(device -> intent.tag() == null || device.tags().stream().anyMatch(tag -> tag.equalsIgnoreCase(intent.tag())))
                .filter(device -> intent.location() == null || (device.location() != null
                        && device.location().toLowerCase(Locale.ROOT).contains(intent.location())))
                .toList();
        Instant now = clock.instant();
        return Turn.say(Texts.devices(matching, Texts.deviceFilter(intent.tag(), intent.location()), device -> online(device, now)));
    }

    private Turn status(String deviceId) {
        if (deviceId == null) {
            return Turn.say(Texts.WHICH_DEVICE);
        }
        Optional<DeviceDocument> found = directory.registry().find(deviceId);
        if (found.isEmpty()) {
            return Turn.say(Texts.unknownDevice(deviceId, directory.closest(deviceId)));
        }
        DeviceDocument device = found.get();
        Instant now = clock.instant();
        List<AlertDocument> resolved = alerts.list(AlertState.RESOLVED, device.deviceId(), null, MAX_RECENT_ALERTS, null).items().stream()
                .filter(alert -> alert.resolvedAt() != null && alert.resolvedAt().isAfter(now.minus(Duration.ofDays(1)))).toList();
        String text = Texts.status(device, online(device, now), OpenAlerts.of(alerts, device.deviceId(), null), resolved, now);
        String id = device.deviceId();
        return Turn.remembering(text, s -> s.withContext(IntentType.STATUS, id, s.lastMetric(), s.lastRange()));
    }

    private boolean online(DeviceDocument device, Instant now) {
        return DeviceStatus.of(device, now, silentAfter) == DeviceStatus.ONLINE;
    }
}
