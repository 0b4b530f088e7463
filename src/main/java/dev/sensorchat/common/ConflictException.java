package dev.sensorchat.common;

/** The request clashes with the current state (already exists, already resolved, ...). */
public final class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
