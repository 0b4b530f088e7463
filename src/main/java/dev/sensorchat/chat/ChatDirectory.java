package dev.sensorchat.chat;

import dev.sensorchat.chat.language.Fuzzy;
import dev.sensorchat.chat.language.Vocabulary;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.storage.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fleet as the bot knows it: every device (for lists and for recognising names in messages),
 * cached briefly so a conversation does not list the devices container on every message.
 */
public final class ChatDirectory {

    private static final int PAGE = 200;

    private final DeviceRegistry registry;
    private final Clock clock;
    private final Duration ttl;
    private List<DeviceDocument> devices;
    private Vocabulary vocabulary;
    private Instant loadedAt;

    public ChatDirectory(DeviceRegistry registry, Clock clock, Duration ttl) {
        this.registry = registry;
        this.clock = clock;
        this.ttl = ttl;
    }

    public DeviceRegistry registry() {
        return registry;
    }

    public synchronized List<DeviceDocument> devices() {
        if (devices == null || !clock.instant().isBefore(loadedAt.plus(ttl))) {
            List<DeviceDocument> all = new ArrayList<>();
            String continuation = null;
            do {
                Page<DeviceDocument> page = registry.list(null, PAGE, continuation);
                all.addAll(page.items());
                continuation = page.continuation();
            } while (continuation != null);
            Vocabulary.Builder builder = Vocabulary.builder();
            all.forEach(device -> builder.device(device.deviceId(), device.name(), device.tags(), device.latest().keySet()));
            devices = List.copyOf(all);
            vocabulary = builder.build();
            loadedAt = clock.instant();
        }
        return devices;
    }

    public synchronized Vocabulary vocabulary() {
        devices();
        return vocabulary;
    }

    /** The known device id nearest to an unknown one, which is likely what was meant. */
    public Optional<String> closest(String deviceId) {
        return Fuzzy.closest(deviceId.toLowerCase(Locale.ROOT),
                devices().stream().map(device -> device.deviceId().toLowerCase(Locale.ROOT)).toList());
    }
}
