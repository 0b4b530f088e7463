package dev.sensorchat.simulators.devices;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a fleet in simulated time and yields its events in the order they are sent: devices report
 * at their own rhythm (with jitter), signals follow each kind's physics, and the scenario bends the
 * stream on purpose. Everything random comes from the seed, so one seed gives one exact stream.
 *
 * <p>Memory stays small per device (its profile and a little state) and the schedule is a binary
 * heap of device indices, so 100,000 devices fit easily in a modest heap.
 */
public final class FleetSimulation {

    private static final double OVERHEAT_DEGREES = 40;
    private static final String[] MALFORMED_KINDS = {"invalid_json", "non_finite_value", "invalid_device_id", "missing_field"};

    private final List<DeviceProfile> devices;
    private final DeviceState[] states;
    private final long startMs;
    private final long endMs;
    private final long maxEvents;
    private final Scenario scenario;
    private final boolean withMeta;
    private final SplittableRandom scenarioRandom;
    private final Map<String, List<Fault>> faults = new HashMap<>();
    private final int[] heap;
    private int heapSize;
    private final Deque<SimEvent> ready = new ArrayDeque<>();
    private final Map<Integer, SimEvent> heldBack = new HashMap<>();
    private final TimeFormat times = new TimeFormat();
    private final StringBuilder line = new StringBuilder(256);
    private long emitted;
    private boolean generatorDone;

    /**
     * @param startMs   simulated start time
     * @param endMs     simulated end time (exclusive); Long.MAX_VALUE to run until {@code maxEvents}
     * @param maxEvents stop after this many events; Long.MAX_VALUE for no limit
     * @param withMeta  add {@code meta} (kind, tags, location) to every event
     */
    public FleetSimulation(List<DeviceProfile> devices, long seed, long startMs, long endMs, long maxEvents, Scenario scenario,
                           boolean withMeta) {
        this.devices = devices;
        this.startMs = startMs;
        this.endMs = endMs;
        this.maxEvents = maxEvents;
        this.scenario = scenario;
        this.withMeta = withMeta;
        this.scenarioRandom = new SplittableRandom(seed * 31 + 7);
        scenario.faults().forEach(fault -> faults.computeIfAbsent(fault.deviceId(), id -> new ArrayList<>()).add(fault));
        this.states = new DeviceState[devices.size()];
        this.heap = new int[devices.size()];
        for (int i = 0; i < devices.size(); i++) {
            SplittableRandom random = new SplittableRandom(seed * 7_919L + i * 104_729L);
            // Devices start at a random point of their first interval, as a real fleet would.
            states[i] = new DeviceState(random, startMs + (long) (random.nextDouble() * devices.get(i).intervalMs()));
            push(i);
        }
    }

    public List<DeviceProfile> devices() {
        return devices;
    }

    /** The simulated time of the next reading, or Long.MAX_VALUE when none is left. */
    public long nextTime() {
        return heapSize == 0 ? Long.MAX_VALUE : states[heap[0]].nextAt;
    }

    /** The next event to send, or null when the run is over. */
    public SimEvent next() {
        if (emitted >= maxEvents) {
            return null;
        }
        while (ready.isEmpty()) {
            if (generatorDone) {
                if (heldBack.isEmpty()) {
                    return null;
                }
                ready.addAll(heldBack.values().stream().sorted(Comparator.comparingLong(SimEvent::ts)).toList());
                heldBack.clear();
                break;
            }
            SimEvent raw = generate();
            if (raw == null) {
                generatorDone = true;
                continue;
            }
            shape(raw, lastGenerated);
        }
        emitted++;
        return ready.poll();
    }

    /** Applies the scenario to one generated event of {@code device}; what is to be sent goes to {@code ready}. */
    private void shape(SimEvent event, int device) {
        DeviceProfile profile = devices.get(device);
        if (scenario.malformedRate() > 0 && scenarioRandom.nextDouble() < scenario.malformedRate()) {
            ready.add(malformed(event, profile));
            return;
        }
        if (scenario.lateRate() > 0 && scenarioRandom.nextDouble() < scenario.lateRate()) {
            long lag = 120_000 + (long) (scenarioRandom.nextDouble() * 360_000);
            long ts = event.ts() - lag;
            event = new SimEvent(event.deviceId(), ts, event.seq(), event.metrics(), event.values(),
                    write(profile, ts, event.seq(), event.metrics(), event.values()), true, null);
        }
        SimEvent held = heldBack.remove(device);
        if (held == null && scenario.outOfOrderRate() > 0 && scenarioRandom.nextDouble() < scenario.outOfOrderRate()) {
            heldBack.put(device, event); // sent after this device's next event
            return;
        }
        ready.add(event);
        if (held != null) {
            ready.add(held);
        }
        if (scenario.duplicateRate() > 0 && scenarioRandom.nextDouble() < scenario.duplicateRate()) {
            ready.add(event);
        }
    }

    /** The device whose event {@link #generate()} returned last. */
    private int lastGenerated;

    /** The next reading of the device whose turn it is, or null past the end. */
    private SimEvent generate() {
        while (heapSize > 0) {
            int index = heap[0];
            DeviceState state = states[index];
            long ts = state.nextAt;
            if (ts >= endMs) {
                return null;
            }
            DeviceProfile profile = devices.get(index);
            long interval = (long) (profile.intervalMs() * (1 + profile.jitter() * (state.random.nextDouble() * 2 - 1)));
            state.nextAt = ts + Math.max(1, interval);
            siftDown(0);
            double[] values = new double[profile.kind().metrics().size()];
            Signals.sample(profile, state, ts, startMs, values);
            if (faultActive(profile.id(), Fault.Type.SILENT, ts)) {
                continue;
            }
            if (faultActive(profile.id(), Fault.Type.OVERHEAT, ts)) {
                overheat(profile, values);
            }
            if (scenario.anomalyRate() > 0 && scenarioRandom.nextDouble() < scenario.anomalyRate()) {
                spike(profile, values);
            }
            String[] names = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                names[i] = profile.kind().metrics().get(i).name();
                values[i] = Numbers.round(values[i]);
            }
            lastGenerated = index;
            long seq = ++state.seq;
            return new SimEvent(profile.id(), ts, seq, names, values, write(profile, ts, seq, names, values), true, null);
        }
        return null;
    }

    private boolean faultActive(String deviceId, Fault.Type type, long ts) {
        List<Fault> list = faults.get(deviceId);
        if (list == null) {
            return false;
        }
        for (Fault fault : list) {
            if (fault.type() == type && fault.activeAt(ts - startMs)) {
                return true;
            }
        }
        return false;
    }

    private static void overheat(DeviceProfile profile, double[] values) {
        List<DeviceKind.Metric> metrics = profile.kind().metrics();
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i).name().equals("temperature")) {
                values[i] = metrics.get(i).clamp(values[i] + OVERHEAT_DEGREES);
                return;
            }
        }
        values[0] = metrics.get(0).clamp(values[0] * 2); // a kind without temperature: its first metric runs high
    }

    private void spike(DeviceProfile profile, double[] values) {
        int metric = scenarioRandom.nextInt(values.length);
        DeviceKind.Metric bounds = profile.kind().metrics().get(metric);
        double span = bounds.max() - bounds.min();
        double direction = scenarioRandom.nextBoolean() ? 1 : -1;
        values[metric] = bounds.clamp(values[metric] + direction * span * (0.2 + 0.3 * scenarioRandom.nextDouble()));
    }

    private SimEvent malformed(SimEvent event, DeviceProfile profile) {
        String kind = MALFORMED_KINDS[scenarioRandom.nextInt(MALFORMED_KINDS.length)];
        String text = switch (kind) {
            case "invalid_json" -> event.line().substring(0, event.line().length() - 3);
            case "non_finite_value" -> event.line().replaceFirst("(\"metrics\":\\{\"[a-z0-9_]+\":)[-0-9.]+", "$1NaN");
            case "invalid_device_id" -> event.line().replace("\"deviceId\":\"" + event.deviceId() + "\"",
                    "\"deviceId\":\"" + event.deviceId() + " #bad\"");
            default -> write(profile, -1, event.seq(), event.metrics(), event.values());
        };
        return new SimEvent(event.deviceId(), event.ts(), event.seq(), event.metrics(), event.values(), text, false, kind);
    }

    /** One event as a line of JSON; ts = -1 leaves the timestamp out. */
    private String write(DeviceProfile profile, long ts, long seq, String[] names, double[] values) {
        StringBuilder out = line;
        out.setLength(0);
        out.append("{\"deviceId\":\"").append(profile.id()).append('"');
        if (ts >= 0) {
            out.append(",\"ts\":\"");
            times.append(out, ts);
            out.append('"');
        }
        out.append(",\"seq\":").append(seq).append(",\"metrics\":{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"').append(names[i]).append("\":");
            Numbers.append(out, values[i]);
        }
        out.append('}');
        if (withMeta) {
            out.append(",\"meta\":{\"kind\":\"").append(profile.kind().label()).append("\",\"tags\":[");
            for (int i = 0; i < profile.tags().size(); i++) {
                out.append(i == 0 ? "\"" : ",\"").append(profile.tags().get(i)).append('"');
            }
            out.append(']');
            if (profile.location() != null) {
                out.append(",\"location\":\"").append(profile.location().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            out.append('}');
        }
        return out.append('}').toString();
    }

    // ---- a binary min-heap of device indices, by next reading time (ties: lower index) -----------

    private boolean before(int a, int b) {
        long ta = states[a].nextAt;
        long tb = states[b].nextAt;
        return ta < tb || (ta == tb && a < b);
    }

    private void push(int index) {
        int i = heapSize++;
        heap[i] = index;
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!before(heap[i], heap[parent])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            int right = left + 1;
            int smallest = i;
            if (left < heapSize && before(heap[left], heap[smallest])) {
                smallest = left;
            }
            if (right < heapSize && before(heap[right], heap[smallest])) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}
