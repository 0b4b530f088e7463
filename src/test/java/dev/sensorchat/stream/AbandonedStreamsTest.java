package dev.sensorchat.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.Json;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.SilencePolicy;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.InMemoryStores;
import dev.sensorchat.storage.StoreMeter;
import dev.sensorchat.telemetry.Reading;
import dev.sensorchat.telemetry.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An instance that dies between its batches and its idle flush leaves readings out of the read
 * model; another instance's sweep settles the stream, but only once it stopped moving. On the
 * app's real storage code over in-memory containers.
 */
class AbandonedStreamsTest {

    private static final String STREAM = "eh:0";
    private static final long T0 = 1_795_000_000_000L;

    private final InMemoryStores stores = new InMemoryStores(new StoreMeter());
    private final StreamStore store = stores.streamStore(Duration.ofDays(2));
    private long position;

    private TelemetryStreams instance() {
        StreamSettings settings = StreamSettings.defaults(Duration.ofMinutes(10), Duration.ofDays(7), Duration.ofDays(400),
                SilencePolicy.defaults());
        Rules none = Rules.of(List.of());
        return new TelemetryStreams(store, () -> none, settings, Runnable::run, Duration.ofHours(1)); // no idle flush here
    }

    private void reading(TelemetryStreams streams, String stream, double temperature) {
        long ts = T0 + position * 1000;
        Reading reading = new Reading(ts, new String[] {"temperature"}, new double[] {temperature});
        streams.process(stream, List.of(new StreamEvent(position, ts + 200, new TelemetryEvent("boiler-1", null, List.of(reading)))), position);
        position++;
    }

    private double latestTemperature() {
        ObjectNode json = stores.container(Containers.DEVICES).partition("boiler-1").get(0);
        return Json.MAPPER.convertValue(json, DeviceDocument.class).latest().get("temperature").value();
    }

    @Test
    void aStreamLeftBehindIsSettledOnceItStopsMoving() {
        TelemetryStreams dead = instance();
        reading(dead, STREAM, 20);
        reading(dead, STREAM, 21);
        reading(dead, STREAM, 22);
        assertEquals(20.0, latestTemperature(), "later readings wait for the flush period");
        // The instance dies here: no idle flush, no shutdown.

        TelemetryStreams sweeper = instance();
        assertEquals(List.of(STREAM), sweeper.indexedStreams());
        assertEquals(List.of(), sweeper.settleAbandoned(), "the first look only notes where the stream is");
        assertEquals(List.of(STREAM), sweeper.settleAbandoned());
        assertEquals(22.0, latestTemperature());
        assertEquals(List.of(), sweeper.settleAbandoned(), "a settled stream is left alone");
        assertEquals(List.of(), sweeper.settleAbandoned());
    }

    @Test
    void aStreamThatMovesBetweenSweepsIsLeftToItsOwner() {
        TelemetryStreams owner = instance();
        reading(owner, STREAM, 20);
        reading(owner, STREAM, 21);
        TelemetryStreams sweeper = instance();
        assertEquals(List.of(), sweeper.settleAbandoned());
        reading(owner, STREAM, 22);
        assertEquals(List.of(), sweeper.settleAbandoned(), "its log moved: an owner is at work");
        assertEquals(20.0, latestTemperature(), "the sweep wrote nothing");
    }

    @Test
    void aStreamItsOwnerFlushedIsNeverSettledAgainAndEveryStreamIsIndexed() {
        TelemetryStreams owner = instance();
        reading(owner, STREAM, 20);
        reading(owner, STREAM, 21);
        reading(owner, "eh:1", 5);
        owner.flushIdle();
        assertEquals(21.0, latestTemperature());
        TelemetryStreams sweeper = instance();
        assertEquals(List.of(STREAM, "eh:1"), sweeper.indexedStreams());
        assertEquals(List.of(), sweeper.settleAbandoned());
        assertEquals(List.of(), sweeper.settleAbandoned());
    }
}
