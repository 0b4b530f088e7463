package dev.sensorchat.common;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds a value on first use and keeps it for the life of the process. A failed build is not
 * remembered: the next caller tries again, so a dependency that was down at cold start recovers.
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> factory;
    private volatile T value;

    public Lazy(Supplier<T> factory) {
        this.factory = Objects.requireNonNull(factory);
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = Objects.requireNonNull(factory.get(), "factory returned null");
                    value = current;
                }
            }
        }
        return current;
    }

    /** True once a value was built; lets shutdown code avoid building what was never used. */
    public boolean isBuilt() {
        return value != null;
    }
}
