package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.sensorchat.AppContext;
import dev.sensorchat.devices.SilentDeviceCheck;
import java.util.function.Supplier;

/** Every few minutes ({@code %SILENT_DEVICES_SCHEDULE%}): opens an offline alert for each device that went silent. */
public final class SilentDevicesFunction {

    private final Supplier<SilentDeviceCheck> check;

    public SilentDevicesFunction() {
        this(() -> AppContext.shared().silentDeviceCheck());
    }

    SilentDevicesFunction(Supplier<SilentDeviceCheck> check) {
        this.check = check;
    }

    @FunctionName("silentDevices")
    public void run(@TimerTrigger(name = "timer", schedule = "%SILENT_DEVICES_SCHEDULE%") String timerInfo, ExecutionContext context) {
        SilentDeviceCheck.Result result = check.get().run();
        context.getLogger().info(() -> "silentDevices silent=" + result.silent() + " opened=" + result.opened().size()
                + (result.opened().isEmpty() ? "" : " devices=" + result.opened().stream().map(a -> a.deviceId()).toList()));
    }
}
