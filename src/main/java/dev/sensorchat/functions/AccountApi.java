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
import dev.sensorchat.auth.Role;
import dev.sensorchat.auth.User;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The signed-in user as the API sees them, so the dashboard shows only what they may do. */
public final class AccountApi {

    private final AppContext app;

    public AccountApi() {
        this(AppContext.shared());
    }

    AccountApi(AppContext app) {
        this.app = app;
    }

    /** What the dashboard shows of its user: who, with which role, allowed which actions. */
    public record Me(String id, String name, String role, List<String> can) {
        static Me of(User user) {
            return new Me(user.id(), user.name(), user.role().map(Role::claimValue).orElse(null),
                    Arrays.stream(Role.values()).filter(user::can).map(Role::claimValue).toList());
        }
    }

    /** Any signed-in user, with a role or not: 401 only without a valid token. */
    @FunctionName("appMe")
    public HttpResponseMessage me(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/me") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), null,
                user -> HttpResponses.json(request, HttpStatus.OK, Me.of(user)).header("Cache-Control", "no-store").build());
    }
}
