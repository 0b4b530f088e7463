package dev.sensorchat.common;

/** The thing asked for does not exist. */
public final class NotFoundException extends RuntimeException {

    public NotFoundException(String what, String id) {
        super(what + " '" + id + "' does not exist");
    }
}
