package dev.sensorchat.bench;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.stream.StreamStore;
import dev.sensorchat.telemetry.MinuteWindows;
import dev.sensorchat.telemetry.WindowDocument;
import java.util.Optional;

/** A store that takes every write and holds nothing: the pipeline's computation alone (P1). */
final class StubStreamStore implements StreamStore {

    private long writes;

    long writes() {
        return writes;
    }

    @Override
    public boolean appendSegment(Segment segment) {
        writes++;
        return true;
    }

    @Override
    public Optional<Segment> segment(String stream, long base) {
        return Optional.empty();
    }

    @Override
    public Optional<Versioned<CheckpointPart>> checkpoint(String stream, String part) {
        return Optional.empty();
    }

    @Override
    public String saveCheckpoint(CheckpointPart part, String ifMatch) {
        writes++;
        return "e";
    }

    @Override
    public void saveRules(String stream, String fingerprint, String rulesJson) {
    }

    @Override
    public Optional<String> rules(String stream, String fingerprint) {
        return Optional.empty();
    }

    @Override
    public Optional<Versioned<DeviceDocument>> device(String deviceId) {
        return Optional.empty();
    }

    @Override
    public String createDevice(DeviceDocument device) {
        writes++;
        return "e";
    }

    @Override
    public Optional<Versioned<DeviceDocument>> updateDevice(String deviceId, DeviceUpdate update, String ifMatch) {
        writes++;
        return Optional.of(new Versioned<>(DeviceDocument.register(deviceId), "e"));
    }

    @Override
    public Optional<Versioned<MinuteWindows>> minutes(String deviceId, String id) {
        return Optional.empty();
    }

    @Override
    public String createMinutes(MinuteWindows document) {
        writes++;
        return "e";
    }

    @Override
    public Optional<String> updateMinutes(String deviceId, String id, MinutesUpdate update, String ifMatch) {
        writes++;
        return Optional.of("e");
    }

    @Override
    public String replaceMinutes(MinuteWindows document, String ifMatch) {
        writes++;
        return "e";
    }

    @Override
    public Optional<Versioned<WindowDocument>> hour(String deviceId, String id) {
        return Optional.empty();
    }

    @Override
    public String saveHour(WindowDocument hour, String ifMatch) {
        writes++;
        return "e";
    }

    @Override
    public boolean createAlert(AlertDocument alert) {
        writes++;
        return true;
    }

    @Override
    public Optional<Versioned<AlertDocument>> alert(String deviceId, String alertId) {
        return Optional.empty();
    }

    @Override
    public void replaceAlert(AlertDocument alert, String ifMatch) {
    }
}
