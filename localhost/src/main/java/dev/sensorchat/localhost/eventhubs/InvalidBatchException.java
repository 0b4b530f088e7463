package dev.sensorchat.localhost.eventhubs;

/** A POSTed event batch the hub cannot accept; {@link #httpStatus()} is the answer to give. */
public class InvalidBatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidBatchException(String message) {
        super(message);
    }

    public InvalidBatchException(String message, Throwable cause) {
        super(message, cause);
    }

    /** 400 Bad Request. */
    public int httpStatus() {
        return 400;
    }
}
