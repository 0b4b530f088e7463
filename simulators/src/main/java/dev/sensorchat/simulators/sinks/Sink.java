package dev.sensorchat.simulators.sinks;

import dev.sensorchat.simulators.devices.SimEvent;
import java.util.List;

/**
 * Where events go. A sink reports every event it was handed to {@link Outcomes}, as acknowledged or
 * as failed with a reason, at the latest when {@link #flush()} returns: nothing is dropped silently.
 * Implementations retry transient failures themselves.
 */
public interface Sink extends AutoCloseable {

    /** Sends a batch, in order; blocks while the destination is saturated (that is the backpressure). */
    void send(List<SimEvent> batch) throws Exception;

    /**
     * The run is stopping: after {@code deadlineNanos} ({@link System#nanoTime()}) start no new request and
     * retry nothing; events not sent by then are reported failed. Requests already waiting for an answer
     * may finish; the runner interrupts what is still waiting a little later. Called from another thread.
     */
    default void stopBy(long deadlineNanos) {
    }

    /** Sends whatever is buffered and waits for the destination's answers. */
    default void flush() throws Exception {
    }

    /** Flushes and releases the connection. */
    @Override
    void close() throws Exception;
}
