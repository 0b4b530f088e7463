package dev.sensorchat.localhost.eventhubs;

/**
 * How a durable {@link LocalEventHub} keeps its partitions' logs on disk.
 *
 * @param fsync        force every publish to the disk before it is acknowledged (survives a power cut, at
 *                     about a quarter of a millisecond per publish here); without it a publish is in the
 *                     operating system's hands when acknowledged, which survives the host's crash or kill
 *                     but not the machine's
 * @param segmentBytes a partition's log is a series of files; a new one is started once the current one
 *                     holds this many bytes, and a file is deleted once every consumer is past its events
 *                     (or they fell out of retention)
 */
public record EventLogOptions(boolean fsync, long segmentBytes) {

    public static final long DEFAULT_SEGMENT_BYTES = 32L * 1024 * 1024;
    public static final EventLogOptions DEFAULTS = new EventLogOptions(true, DEFAULT_SEGMENT_BYTES);

    public EventLogOptions {
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("segmentBytes must be at least 1, was " + segmentBytes);
        }
    }
}
