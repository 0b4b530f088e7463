package dev.sensorchat.testing;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The invocation context the Functions worker passes; records what the function logs. */
public final class TestExecutionContext implements ExecutionContext {

    private final String functionName;
    private final String invocationId = UUID.randomUUID().toString();
    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    public TestExecutionContext(String functionName) {
        this.functionName = functionName;
        this.logger = Logger.getLogger("test." + functionName + "." + invocationId);
        this.logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    /** Everything logged during the invocation, formatted as the host would show it. */
    public List<String> loggedMessages() {
        synchronized (records) {
            return records.stream().map(LogRecord::getMessage).toList();
        }
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
