package dev.sensorchat.localhost;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.Logger;

/** What the Java worker hands a function: its name, this invocation's id, and a logger. */
final class LocalExecutionContext implements ExecutionContext {

    private final String functionName;
    private final String invocationId;
    private final Logger logger;

    LocalExecutionContext(String functionName, String invocationId) {
        this.functionName = functionName;
        this.invocationId = invocationId;
        this.logger = Logger.getLogger("Function." + functionName);
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }
}
