package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.sensorchat.AppContext;
import dev.sensorchat.devices.SilentDeviceCheck;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.stream.TelemetryStreams;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every few minutes ({@code %SILENT_DEVICES_SCHEDULE%}): settles telemetry streams that a dead
 * instance left partly out of the read model (else their devices' last readings would be missing
 * and the devices would look silent), then opens an offline alert for each device that went silent,
 * at most {@code SILENT_DEVICES_MAX_PER_RUN} a run (see {@link SilentDeviceCheck}).
 */
public final class SilentDevicesFunction {

    private final Supplier<TelemetryStreams> streams;
    private final Supplier<SilentDeviceCheck> check;

    public SilentDevicesFunction() {
        this(() -> AppContext.shared().telemetryStreams(), () -> AppContext.shared().silentDeviceCheck());
    }

    SilentDevicesFunction(Supplier<TelemetryStreams> streams, Supplier<SilentDeviceCheck> check) {
        this.streams = streams;
        this.check = check;
    }

    @FunctionName("silentDevices")
    public void run(@TimerTrigger(name = "timer", schedule = "%SILENT_DEVICES_SCHEDULE%") String timerInfo, ExecutionContext context) {
        try (Invocation ignored = Invocations.open(context)) {
            List<String> settled = streams.get().settleAbandoned();
            if (!settled.isEmpty()) {
                context.getLogger().info(() -> "silentDevices settled abandoned streams " + settled);
            }
            SilentDeviceCheck checker = check.get();
            SilentDeviceCheck.Result result = checker.run();
            context.getLogger().info(() -> "silentDevices " + result.summary(checker.budget()));
            if (result.failed() > 0) {
                // The invocation fails, visibly; what was done stays done, and the next run retries the rest.
                throw new IllegalStateException("silentDevices: " + result.failed() + " devices failed", result.firstFailure());
            }
        }
    }
}
