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
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleService;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.storage.Stored;
import java.util.Optional;

/** The rules part of the query API: create, read, update and delete alert rules. */
public final class RulesApi {

    private final AppContext app;

    public RulesApi() {
        this(AppContext.shared());
    }

    RulesApi(AppContext app) {
        this.app = app;
    }

    @FunctionName("listRules")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/rules") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK,
                () -> Api.page(rules().list(Api.limit(request, Api.DEFAULT_LIMIT, Api.MAX_LIMIT), Api.continuation(request)), request));
    }

    @FunctionName("createRule")
    public HttpResponseMessage create(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/rules") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.CREATED, () -> rules().create(Api.body(request)));
    }

    @FunctionName("getRule")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/rules/{ruleId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("ruleId") String ruleId,
            ExecutionContext context) {
        return Api.respondWith(request, context, () -> {
            Stored<Rule> rule = rules().findVersioned(ruleId(ruleId)).orElseThrow(() -> new NotFoundException("rule", ruleId));
            return HttpResponses.json(request, HttpStatus.OK, rule.value()).header("ETag", Api.etag(rule.etag())).build();
        });
    }

    @FunctionName("replaceRule")
    public HttpResponseMessage replace(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/rules/{ruleId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("ruleId") String ruleId,
            ExecutionContext context) {
        return Api.respondWith(request, context, () -> {
            String ifMatch = Api.header(request, "If-Match").map(Api::storeEtag).orElse(null);
            Stored<Rule> replaced = rules().replace(ruleId(ruleId), Api.body(request), ifMatch);
            return HttpResponses.json(request, HttpStatus.OK, replaced.value()).header("ETag", Api.etag(replaced.etag())).build();
        });
    }

    @FunctionName("deleteRule")
    public HttpResponseMessage delete(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/rules/{ruleId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("ruleId") String ruleId,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.NO_CONTENT, () -> {
            if (!rules().delete(ruleId(ruleId))) {
                throw new NotFoundException("rule", ruleId);
            }
            return null;
        });
    }

    // ---- the same, for signed-in users (the dashboard) ----

    @FunctionName("appListRules")
    public HttpResponseMessage listForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/rules") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> list(request, context));
    }

    @FunctionName("appCreateRule")
    public HttpResponseMessage createForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/rules") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.OPERATOR, user -> create(request, context));
    }

    @FunctionName("appGetRule")
    public HttpResponseMessage getForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/rules/{ruleId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("ruleId") String ruleId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> get(request, ruleId, context));
    }

    @FunctionName("appReplaceRule")
    public HttpResponseMessage replaceForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/rules/{ruleId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("ruleId") String ruleId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.OPERATOR, user -> replace(request, ruleId, context));
    }

    @FunctionName("appDeleteRule")
    public HttpResponseMessage deleteForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/rules/{ruleId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("ruleId") String ruleId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.OPERATOR, user -> delete(request, ruleId, context));
    }

    private RuleService rules() {
        return app.rules();
    }

    private static String ruleId(String value) {
        return Api.matching(value, RuleService.RULE_ID, "ruleId", "rule ids are 1-64 letters, digits or ._-");
    }
}
