package dev.sensorchat.common;

/** The caller changed what it had read, but it changed meanwhile: {@code If-Match} no longer matches (412). */
public final class PreconditionFailedException extends RuntimeException {

    public PreconditionFailedException(String message) {
        super(message);
    }
}
