package dev.sensorchat.observability;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * The function invocation the current thread works for: its id, its logger (the one the host
 * ties to the invocation, so every line carries the id) and what it asked of the document
 * stores. Function adapters open one; domain code reads it without any Azure type, as an MDC.
 * Work handed to another thread keeps it through {@link #propagating(Executor)}.
 */
public final class Invocation implements AutoCloseable {

    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    private final String id;
    private final Logger logger;
    private final StoreUsage store;
    private final Invocation previous;
    private final Thread owner;

    private Invocation(String id, Logger logger, StoreUsage store, Invocation previous) {
        this.id = Objects.requireNonNull(id);
        this.logger = Objects.requireNonNull(logger);
        this.store = store;
        this.previous = previous;
        this.owner = Thread.currentThread();
    }

    /**
     * Binds an invocation to this thread until {@link #close()}. Opening the invocation that is
     * already bound (an adapter calling a shared helper that opens it too) shares its counts.
     */
    public static Invocation open(String id, Logger logger) {
        Invocation outer = CURRENT.get();
        StoreUsage store = outer != null && outer.id.equals(id) ? outer.store : new StoreUsage();
        Invocation opened = new Invocation(id, logger, store, outer);
        CURRENT.set(opened);
        return opened;
    }

    public static Optional<Invocation> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The current invocation's id, or null outside one (a background thread of the app). */
    public static String currentId() {
        Invocation invocation = CURRENT.get();
        return invocation == null ? null : invocation.id;
    }

    /** The invocation's logger when there is one, else {@code fallback} (work no invocation asked for). */
    public static Logger logger(Logger fallback) {
        Invocation invocation = CURRENT.get();
        return invocation == null ? fallback : invocation.logger;
    }

    /** An executor whose tasks run inside the invocation that submitted them. */
    public static Executor propagating(Executor executor) {
        return task -> {
            Invocation submitter = CURRENT.get();
            if (submitter == null) {
                executor.execute(task);
                return;
            }
            executor.execute(() -> {
                Invocation before = CURRENT.get();
                CURRENT.set(submitter);
                try {
                    task.run();
                } finally {
                    restore(before);
                }
            });
        };
    }

    public String id() {
        return id;
    }

    public Logger logger() {
        return logger;
    }

    /** Cosmos DB requests of this invocation so far, from every thread it used. */
    public StoreUsage store() {
        return store;
    }

    @Override
    public void close() {
        if (Thread.currentThread() == owner && CURRENT.get() == this) {
            restore(previous);
        }
    }

    private static void restore(Invocation invocation) {
        if (invocation == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(invocation);
        }
    }
}
