package dev.sensorchat.common;

import java.util.List;

/** Input that breaks the rules; each error names the field, so callers can fix exactly that. */
public final class ValidationException extends RuntimeException {

    /** @param field JSON path of the bad field, e.g. {@code clear.threshold} */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
