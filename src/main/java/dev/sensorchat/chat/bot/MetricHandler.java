package dev.sensorchat.chat.bot;

import dev.sensorchat.chat.ChatDirectory;
import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.chat.language.TimeRange;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.storage.Page;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.MetricStats;
import dev.sensorchat.telemetry.Resolution;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * "temperature of boiler-1 last hour", and its follow-ups: "and humidity?" (same device and
 * range), "what about boiler-2?" (same metric and range). The device, metric and range asked
 * about are remembered for the next follow-up.
 */
public final class MetricHandler implements Handler {

    private static final Duration MINUTE_RESOLUTION_UP_TO = Duration.ofHours(6);
    private static final int MAX_WINDOWS = 2_000;
    private static final int PAGE = 500;

    private final ChatDirectory directory;
    private final AggregateReader aggregates;
    private final Clock clock;

    public MetricHandler(ChatDirectory directory, AggregateReader aggregates, Clock clock) {
        this.directory = directory;
        this.aggregates = aggregates;
        this.clock = clock;
    }

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        ConversationDocument state = conversation.state();
        return intent.type() == IntentType.METRIC || (intent.type() == IntentType.OTHER_DEVICE
                && state.lastIntent() == IntentType.METRIC && state.lastMetric() != null);
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        ConversationDocument state = conversation.state();
        if (intent.type() == IntentType.OTHER_DEVICE) {
            return metric(intent.withMetric(state.lastMetric()).withRange(intent.range() != null ? intent.range() : state.lastRange()), state);
        }
        return metric(intent, state);
    }

    private Turn metric(Intent intent, ConversationDocument state) {
        boolean followUp = intent.device() == null || intent.metric() == null;
        String deviceId = intent.device() != null ? intent.device() : state.lastDevice();
        String metric = intent.metric() != null ? intent.metric() : state.lastMetric();
        TimeRange range = intent.range() != null ? intent.range() : followUp && state.lastRange() != null ? state.lastRange() : null;
        if (deviceId == null) {
            return Turn.say(Texts.whichDeviceFor(metric));
        }
        if (metric == null) {
            return Turn.say(Texts.whichMetricOf(deviceId));
        }
        Optional<DeviceDocument> device = directory.registry().find(deviceId);
        if (device.isEmpty()) {
            return Turn.say(Texts.unknownDevice(deviceId, directory.closest(deviceId)));
        }
        Instant now = clock.instant();
        TimeRange window = range != null ? range : new TimeRange(now.minus(Duration.ofHours(1)), now, "last hour");
        List<AggregateReader.Window> windows = read(device.get().deviceId(), metric, window);
        String id = device.get().deviceId();
        UnaryOperator<ConversationDocument> remember = s -> s.withContext(IntentType.METRIC, id, metric, window);
        if (windows.isEmpty()) {
            return Turn.remembering(Texts.noReadings(metric, device.get(), window.label()), remember);
        }
        List<Double> averages = windows.stream().map(AggregateReader.Window::avg).toList();
        return Turn.remembering(Texts.metric(metric, device.get(), window.label(), total(windows), averages, now), remember);
    }

    /** Minute windows for short ranges, hourly ones beyond {@link #MINUTE_RESOLUTION_UP_TO}. */
    private List<AggregateReader.Window> read(String deviceId, String metric, TimeRange window) {
        Resolution resolution = window.length().compareTo(MINUTE_RESOLUTION_UP_TO) <= 0 ? Resolution.MINUTE : Resolution.HOUR;
        List<AggregateReader.Window> windows = new ArrayList<>();
        String continuation = null;
        do {
            Page<AggregateReader.Window> page = aggregates.read(deviceId, metric, resolution, window.from(), window.to(), PAGE, continuation);
            windows.addAll(page.items());
            continuation = page.continuation();
        } while (continuation != null && windows.size() < MAX_WINDOWS);
        return windows;
    }

    /** The windows folded into one; the latest value is the one read last (the later window on equal times). */
    private static MetricStats total(List<AggregateReader.Window> windows) {
        long count = 0;
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        AggregateReader.Window latest = windows.get(0);
        Instant first = latest.firstTs();
        for (AggregateReader.Window w : windows) {
            count += w.count();
            sum += w.sum();
            min = Math.min(min, w.min());
            max = Math.max(max, w.max());
            first = w.firstTs().isBefore(first) ? w.firstTs() : first;
            if (!w.lastTs().isBefore(latest.lastTs())) {
                latest = w;
            }
        }
        return new MetricStats(count, sum, min, max, first, latest.lastTs(), latest.last());
    }
}
