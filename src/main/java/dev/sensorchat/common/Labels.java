package dev.sensorchat.common;

import java.util.Locale;

/** Enums written in JSON and URLs as lower-case labels (e.g. {@code critical}, {@code acknowledged}). */
public final class Labels {

    private Labels() {
    }

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose label is {@code label} (any case); otherwise IllegalArgumentException with {@code rule}. */
    public static <E extends Enum<E>> E parse(Class<E> type, String label, String rule) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(label)) {
                return value;
            }
        }
        throw new IllegalArgumentException(rule);
    }
}
