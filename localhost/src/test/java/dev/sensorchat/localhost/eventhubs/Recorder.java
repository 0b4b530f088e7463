package dev.sensorchat.localhost.eventhubs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A handler that records every call, fails when told to, and checks a partition never runs two batches at once. */
final class Recorder implements BatchHandler {

    record Call(String partitionId, List<EventRecord> batch, boolean succeeded) {
        long first() {
            return batch.get(0).sequenceNumber();
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Predicate<Call> fails;
    volatile boolean overlapped;

    Recorder() {
        this(call -> false);
    }

    /** {@code fails} sees the call about to be made (succeeded is ignored) and all calls before it. */
    Recorder(Predicate<Call> fails) {
        this.fails = fails;
    }

    @Override
    public void handle(String partitionId, List<EventRecord> batch) {
        AtomicInteger running = inFlight.computeIfAbsent(partitionId, p -> new AtomicInteger());
        if (running.incrementAndGet() != 1) {
            overlapped = true;
        }
        try {
            Call call = new Call(partitionId, List.copyOf(batch), true);
            boolean fail = fails.test(call);
            synchronized (calls) {
                calls.add(fail ? new Call(partitionId, call.batch(), false) : call);
            }
            if (fail) {
                throw new IllegalStateException("planned failure of " + batch.size() + " events");
            }
        } finally {
            running.decrementAndGet();
        }
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    List<Call> calls(String partitionId) {
        return calls().stream().filter(call -> call.partitionId().equals(partitionId)).toList();
    }

    /** Events of the successful calls, in call order. */
    List<EventRecord> delivered(String partitionId) {
        return calls(partitionId).stream().filter(Call::succeeded).flatMap(call -> call.batch().stream()).toList();
    }
}
