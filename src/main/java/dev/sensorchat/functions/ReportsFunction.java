package dev.sensorchat.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.reports.ReportService;
import java.util.function.Supplier;

/**
 * The daily fleet report ({@code %REPORT_SCHEDULE%}, e.g. 00:15 UTC): yesterday's report, and any
 * recent day that lacks one. Fired twice or late, it still makes one report per day.
 */
public final class ReportsFunction {

    private final Supplier<ReportService> reports;

    public ReportsFunction() {
        this(() -> AppContext.shared().reports());
    }

    ReportsFunction(Supplier<ReportService> reports) {
        this.reports = reports;
    }

    @FunctionName("dailyReport")
    public void run(@TimerTrigger(name = "timer", schedule = "%REPORT_SCHEDULE%") String timerInfo, ExecutionContext context) {
        try (Invocation ignored = Invocations.open(context)) {
            boolean pastDue = isPastDue(timerInfo);
            ReportService.DailyRun run = reports.get().runDaily(pastDue);
            context.getLogger().info(() -> "dailyReport pastDue=" + pastDue + " built=" + run.built() + " present=" + run.present().size());
        }
    }

    /** The host sends {@code {"Schedule": ..., "ScheduleStatus": ..., "IsPastDue": true}} (the case varies by version). */
    static boolean isPastDue(String timerInfo) {
        try {
            JsonNode info = Json.MAPPER.readTree(timerInfo == null ? "{}" : timerInfo);
            JsonNode flag = info.has("IsPastDue") ? info.get("IsPastDue") : info.get("isPastDue");
            return flag != null && flag.asBoolean(false);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false; // not knowing it was late only changes how the report is labelled
        }
    }
}
