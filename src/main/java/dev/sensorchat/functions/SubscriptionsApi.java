package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.sensorchat.AppContext;
import dev.sensorchat.auth.Role;
import dev.sensorchat.chat.SubscriptionAdmin;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Every conversation's alert subscriptions: list them, and end a conversation's (an admin's work). */
public final class SubscriptionsApi {

    /** Conversation document ids: channel and conversation, without the characters Cosmos DB ids cannot hold. */
    private static final Pattern CONVERSATION = Pattern.compile("[^/\\\\?#]{1,255}");

    private final AppContext app;

    public SubscriptionsApi() {
        this(AppContext.shared());
    }

    SubscriptionsApi(AppContext app) {
        this.app = app;
    }

    @FunctionName("listSubscriptions")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/subscriptions") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK, () -> Map.of("items", admin().list()));
    }

    @FunctionName("clearSubscriptions")
    public HttpResponseMessage clear(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/subscriptions/{conversation}") HttpRequestMessage<Optional<String>> request,
            @BindingName("conversation") String conversation,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK,
                () -> admin().clear(Api.matching(conversation, CONVERSATION, "conversation", "a conversation id from the list")));
    }

    // ---- the same, for signed-in admins (the dashboard) ----

    @FunctionName("appListSubscriptions")
    public HttpResponseMessage listForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/subscriptions") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.ADMIN, user -> list(request, context));
    }

    @FunctionName("appClearSubscriptions")
    public HttpResponseMessage clearForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/subscriptions/{conversation}") HttpRequestMessage<Optional<String>> request,
            @BindingName("conversation") String conversation,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.ADMIN, user -> clear(request, conversation, context));
    }

    private SubscriptionAdmin admin() {
        return app.subscriptions();
    }
}
