package dev.sensorchat.functions;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import dev.sensorchat.AppContext;
import dev.sensorchat.config.AppSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Creates the function classes for the Java worker: its {@link FunctionInstanceInjector} hook,
 * which the worker finds with {@code ServiceLoader} when it loads the app's first function, before
 * any invocation. The classes are stateless adapters over {@link AppContext#shared()}, so one
 * instance each serves every invocation.
 *
 * <p>Being created when the functions load, it is also where a cold worker starts preloading the
 * classes of its first answers ({@link AppContext#preloadClasses}): while the host finishes
 * starting and the first request is on its way, instead of from that request's arrival. It loads
 * classes only; no client is built before it is needed.
 */
public final class FunctionInstances implements FunctionInstanceInjector {

    private static final Logger LOG = Logger.getLogger(FunctionInstances.class.getName());

    private final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();

    public FunctionInstances() {
        try {
            AppContext.preloadClasses(AppSettings.fromEnvironment());
        } catch (RuntimeException e) {
            // A bad PRELOAD_CLASSES must not stop the functions from loading; the first invocation reports it.
            LOG.warning(() -> "class preloading not started: " + e.getMessage());
        }
    }

    @Override
    public <T> T getInstance(Class<T> functionClass) {
        return functionClass.cast(instances.computeIfAbsent(functionClass, type -> {
            try {
                return type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + type.getName() + ": it needs a public no-argument constructor", e);
            }
        }));
    }
}
