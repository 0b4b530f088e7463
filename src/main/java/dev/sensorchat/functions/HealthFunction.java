package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.sensorchat.AppContext;
import dev.sensorchat.health.HealthReport;
import dev.sensorchat.health.HealthService;
import dev.sensorchat.observability.Invocation;
import java.util.Optional;
import java.util.function.Supplier;

/** GET /api/health: the app version and whether Cosmos DB and Blob Storage answer. 200 or 503. */
public final class HealthFunction {

    private final Supplier<HealthService> health;

    public HealthFunction() {
        this(() -> AppContext.shared().health());
    }

    HealthFunction(Supplier<HealthService> health) {
        this.health = health;
    }

    @FunctionName("health")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "api/health") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        try (Invocation ignored = Invocations.open(context)) {
            HealthReport report = health.get().check();
            if (!report.healthy()) {
                context.getLogger().warning(() -> "Unhealthy: " + report.dependencies());
            }
            return HttpResponses.json(request, report.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, report)
                    .header("Cache-Control", "no-store")
                    .build();
        }
    }
}
