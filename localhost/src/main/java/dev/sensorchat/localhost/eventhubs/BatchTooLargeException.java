package dev.sensorchat.localhost.eventhubs;

/** The body, or one event in it, is over its size limit: answer 413 Payload Too Large. */
public final class BatchTooLargeException extends InvalidBatchException {

    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    public BatchTooLargeException(String message, long limitBytes) {
        super(message);
        this.limitBytes = limitBytes;
    }

    /** The limit that was exceeded, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }

    @Override
    public int httpStatus() {
        return 413;
    }
}
