package dev.sensorchat.localhost;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls functions the way the Java worker does: finds the entry point by reflection, binds each
 * parameter from the trigger's value (by binding name), its metadata ({@code @BindingName}) and an
 * {@link ExecutionContext}, and logs one line per invocation.
 */
public final class FunctionInvoker {

    /** Per function: invocations, failures and the last run, for {@code GET /admin/status}. */
    public static final class Stats {
        final AtomicLong invocations = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile long lastDurationMs = -1;
        volatile String lastOutcome;
        volatile Instant lastRun;

        public Map<String, Object> view(String trigger) {
            Map<String, Object> view = new java.util.LinkedHashMap<>();
            view.put("trigger", trigger);
            view.put("invocations", invocations.get());
            view.put("failures", failures.get());
            view.put("lastDurationMs", lastDurationMs < 0 ? null : lastDurationMs);
            view.put("lastOutcome", lastOutcome);
            view.put("lastRun", lastRun == null ? null : lastRun.toString());
            return view;
        }
    }

    /** A function that threw; the message is for the log, never for an HTTP caller. */
    public static final class InvocationFailed extends Exception {
        private final String invocationId;

        InvocationFailed(String invocationId, Throwable cause) {
            super(cause);
            this.invocationId = invocationId;
        }

        public String invocationId() {
            return invocationId;
        }
    }

    private final ClassLoader appClasses;
    private final PrintStream log;
    private final Map<String, Object> instances = new ConcurrentHashMap<>();
    private final Map<String, Method> methods = new ConcurrentHashMap<>();
    /** The app's instance hook, or null when it has none. */
    private final FunctionInstanceInjector injector;
    private final Map<String, Stats> stats = new ConcurrentHashMap<>();

    public FunctionInvoker(ClassLoader appClasses, PrintStream log) {
        this.appClasses = appClasses;
        this.log = log;
        this.injector = findInjector(appClasses); // the worker looks when it loads the app's first function
    }

    /** Loads the entry point now, so a missing class or method is a startup error. */
    public void prepare(FunctionDefinition function) {
        method(function);
        stats.computeIfAbsent(function.name(), name -> new Stats());
    }

    /** The Java type of the parameter bound to {@code bindingName}: what the trigger must pass. */
    public Class<?> parameterType(FunctionDefinition function, String bindingName) {
        for (Parameter parameter : method(function).getParameters()) {
            if (bindingName.equals(bindingNameOf(parameter))) {
                return parameter.getType();
            }
        }
        throw new IllegalStateException("function '" + function.name() + "' has no parameter for binding '" + bindingName + "'");
    }

    public Map<String, Stats> stats() {
        return stats;
    }

    /**
     * Runs the function.
     *
     * @param inputs   values by binding name (the trigger's, e.g. "request", "events", "timer")
     * @param metadata trigger metadata for {@code @BindingName} parameters
     */
    public Object invoke(FunctionDefinition function, Map<String, Object> inputs, Map<String, Object> metadata) throws InvocationFailed {
        String invocationId = UUID.randomUUID().toString();
        Stats functionStats = stats.computeIfAbsent(function.name(), name -> new Stats());
        LocalExecutionContext context = new LocalExecutionContext(function.name(), invocationId);
        long started = System.nanoTime();
        Throwable failure = null;
        Object result = null;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(appClasses); // as the worker does: the app's classes first for ServiceLoader and friends
        try {
            Method method = method(function);
            Object instance = java.lang.reflect.Modifier.isStatic(method.getModifiers()) ? null : instance(method.getDeclaringClass());
            result = method.invoke(instance, arguments(function, method, inputs, metadata, context));
        } catch (InvocationTargetException e) {
            failure = e.getCause();
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = e;
        } finally {
            thread.setContextClassLoader(previous);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        functionStats.invocations.incrementAndGet();
        functionStats.lastDurationMs = millis;
        functionStats.lastRun = Instant.now();
        functionStats.lastOutcome = failure == null ? "Succeeded" : "Failed";
        String trigger = function.triggerType();
        if (failure != null) {
            functionStats.failures.incrementAndGet();
            log.printf("%s Executed 'Functions.%s' (Failed, Id=%s, Duration=%dms, trigger=%s): %s%n", Instant.now(), function.name(),
                    invocationId, millis, trigger, failure);
            throw new InvocationFailed(invocationId, failure);
        }
        if (result instanceof HttpResponseMessage response && response.getStatusCode() >= 500) {
            // The function answered for itself, but the request failed: count it so, where the
            // Functions host would log the invocation as Succeeded and hide the failure.
            functionStats.failures.incrementAndGet();
            functionStats.lastOutcome = "Failed (HTTP " + response.getStatusCode() + ")";
            log.printf("%s Executed 'Functions.%s' (Failed, Id=%s, Duration=%dms, trigger=%s): answered HTTP %d%n", Instant.now(),
                    function.name(), invocationId, millis, trigger, response.getStatusCode());
            return result;
        }
        log.printf("%s Executed 'Functions.%s' (Succeeded, Id=%s, Duration=%dms, trigger=%s)%n", Instant.now(), function.name(),
                invocationId, millis, trigger);
        return result;
    }

    private Object[] arguments(FunctionDefinition function, Method method, Map<String, Object> inputs, Map<String, Object> metadata,
                               ExecutionContext context) {
        Parameter[] parameters = method.getParameters();
        Object[] arguments = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Parameter parameter = parameters[i];
            if (ExecutionContext.class.isAssignableFrom(parameter.getType())) {
                arguments[i] = context;
                continue;
            }
            BindingName bindingName = parameter.getAnnotation(BindingName.class);
            if (bindingName != null) {
                arguments[i] = metadata.get(bindingName.value());
                continue;
            }
            String name = bindingNameOf(parameter);
            if (name == null || !inputs.containsKey(name)) {
                throw new IllegalStateException("function '" + function.name() + "': no value for parameter " + parameter.getName()
                        + (name == null ? "" : " (binding '" + name + "')"));
            }
            arguments[i] = inputs.get(name);
        }
        return arguments;
    }

    /** The {@code name} of the parameter's binding annotation (HttpTrigger, TimerTrigger, ...). */
    private static String bindingNameOf(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            try {
                Method name = annotation.annotationType().getMethod("name");
                if (name.getReturnType() == String.class) {
                    return (String) name.invoke(annotation);
                }
            } catch (ReflectiveOperationException notABinding) {
                // annotations without a name() are not bindings
            }
        }
        return null;
    }

    private Method method(FunctionDefinition function) {
        return methods.computeIfAbsent(function.name(), name -> {
            try {
                Class<?> type = Class.forName(function.className(), true, appClasses);
                for (Method candidate : type.getMethods()) {
                    FunctionName functionName = candidate.getAnnotation(FunctionName.class);
                    if (candidate.getName().equals(function.methodName()) && functionName != null && functionName.value().equals(name)) {
                        return candidate;
                    }
                }
                throw new IllegalStateException("function '" + name + "': no public method " + function.methodName()
                        + " annotated @FunctionName(\"" + name + "\") in " + function.className());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("function '" + name + "': class " + function.className() + " is not in "
                        + function.scriptFile(), e);
            }
        });
    }

    /** As the Java worker: the app's injector makes the instance; without one, the no-argument constructor, one per class. */
    private Object instance(Class<?> type) {
        if (injector != null) {
            try {
                return injector.getInstance(type);
            } catch (Exception e) {
                throw new IllegalStateException("the app's FunctionInstanceInjector cannot create " + type.getName(), e);
            }
        }
        return instances.computeIfAbsent(type.getName(), name -> {
            try {
                return type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + name + ": it needs a public no-argument constructor", e);
            }
        });
    }

    /**
     * The app's {@link FunctionInstanceInjector}, found with {@code ServiceLoader} in the app's
     * classes, as the Java worker does; null when the app has none. More than one is an error, as
     * in the worker.
     */
    private static FunctionInstanceInjector findInjector(ClassLoader appClasses) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(appClasses);
        try {
            Iterator<FunctionInstanceInjector> found = ServiceLoader.load(FunctionInstanceInjector.class, appClasses).iterator();
            FunctionInstanceInjector first = found.hasNext() ? found.next() : null;
            if (first != null && found.hasNext()) {
                throw new IllegalStateException("the app has more than one FunctionInstanceInjector");
            }
            return first;
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
