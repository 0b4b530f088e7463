package dev.sensorchat.storage;

import dev.sensorchat.observability.Invocation;
import dev.sensorchat.observability.StoreUsage;
import java.util.Map;

/**
 * What the app asked of its document stores, per container, since the process started (see
 * {@link StoreUsage} for what is counted). Counted at the store boundary ({@link MeteredContainer}),
 * so it covers every caller; requests made for a function invocation are also counted in its
 * {@link Invocation#store()}.
 */
public final class StoreMeter {

    private final StoreUsage process = new StoreUsage();

    void request(String container, double modelled, double charged) {
        Invocation.current().ifPresent(invocation -> invocation.store().request(container, modelled, charged));
        process.request(container, modelled, charged);
    }

    void read(String container, int documents, long bytes) {
        Invocation.current().ifPresent(invocation -> invocation.store().read(container, documents, bytes));
        process.read(container, documents, bytes);
    }

    void write(String container, int documents, long bytes) {
        Invocation.current().ifPresent(invocation -> invocation.store().write(container, documents, bytes));
        process.write(container, documents, bytes);
    }

    public StoreUsage.Counts of(String container) {
        return process.of(container);
    }

    public StoreUsage.Counts total() {
        return process.total();
    }

    /** Per container, by name. */
    public Map<String, StoreUsage.Counts> byContainer() {
        return process.byContainer();
    }
}
