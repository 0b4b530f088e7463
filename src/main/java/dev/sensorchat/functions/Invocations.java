package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import dev.sensorchat.observability.Invocation;

/** Binds the host's invocation (its id and the logger the host ties to it) for the code a function calls. */
final class Invocations {

    private Invocations() {
    }

    static Invocation open(ExecutionContext context) {
        String id = context.getInvocationId();
        return Invocation.open(id == null || id.isBlank() ? "none" : id, context.getLogger());
    }
}
