package dev.sensorchat.localhost;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the Java worker hands a function: its name, this invocation's id, and a logger. As with
 * the worker, every line the logger writes is tied to the invocation: in Azure the id travels as
 * {@code customDimensions.InvocationId}; on this host's console it ends the line.
 */
final class LocalExecutionContext implements ExecutionContext {

    private final String functionName;
    private final String invocationId;
    private final Logger logger;

    LocalExecutionContext(String functionName, String invocationId) {
        this.functionName = functionName;
        this.invocationId = invocationId;
        this.logger = new InvocationLogger(Logger.getLogger("Function." + functionName), invocationId);
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

    /** Writes through the function's logger (its level and handlers), each line ending with the invocation id. */
    private static final class InvocationLogger extends Logger {

        private final String suffix;

        InvocationLogger(Logger function, String invocationId) {
            super(function.getName(), null);
            setParent(function);
            this.suffix = " invocationId=" + invocationId;
        }

        @Override
        public void log(LogRecord record) {
            record.setMessage((record.getMessage() == null ? "" : record.getMessage()) + suffix);
            super.log(record);
        }
    }
}
