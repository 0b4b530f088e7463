package dev.sensorchat.functions;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertIds;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.auth.Role;
import dev.sensorchat.auth.User;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.ValidationException;
import java.util.Optional;
import java.util.function.Function;

/** The alerts part of the query API: list, read, acknowledge and resolve. */
public final class AlertsApi {

    private static final int MAX_ACTOR = 100;
    private static final int MAX_NOTE = 500;

    private final AppContext app;

    public AlertsApi() {
        this(AppContext.shared());
    }

    AlertsApi(AppContext app) {
        this.app = app;
    }

    @FunctionName("listAlerts")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/alerts") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK, () -> {
            AlertState state = Api.query(request, "state").map(value -> parse("state", value, AlertState::fromLabel)).orElse(null);
            Severity severity = Api.query(request, "severity").map(value -> parse("severity", value, Severity::fromLabel)).orElse(null);
            String deviceId = Api.query(request, "deviceId")
                    .map(value -> Api.deviceId(value, "deviceId"))
                    .orElse(null);
            return Api.page(ledger().list(state, deviceId, severity, Api.limit(request, Api.DEFAULT_LIMIT, Api.MAX_LIMIT),
                    Api.continuation(request)), request);
        });
    }

    @FunctionName("getAlert")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/alerts/{alertId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("alertId") String alertId,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK,
                () -> ledger().find(alertId(alertId)).orElseThrow(() -> new NotFoundException("alert", alertId)));
    }

    /** Body (optional): {@code {"by": "who", "note": "why"}}. 409 unless the alert is open. */
    @FunctionName("acknowledgeAlert")
    public HttpResponseMessage acknowledge(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/alerts/{alertId}/ack") HttpRequestMessage<Optional<String>> request,
            @BindingName("alertId") String alertId,
            ExecutionContext context) {
        return acknowledged(request, alertId, context, Optional.empty());
    }

    private HttpResponseMessage acknowledged(HttpRequestMessage<Optional<String>> request, String alertId, ExecutionContext context,
                                             Optional<User> user) {
        return Api.respond(request, context, HttpStatus.OK, () -> {
            Actor actor = actor(request, user);
            return ledger().acknowledge(alertId(alertId), actor.by, actor.note);
        });
    }

    /** Body (optional): {@code {"by": "who", "note": "why"}}. 409 if already resolved. */
    @FunctionName("resolveAlert")
    public HttpResponseMessage resolve(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/alerts/{alertId}/resolve") HttpRequestMessage<Optional<String>> request,
            @BindingName("alertId") String alertId,
            ExecutionContext context) {
        return resolved(request, alertId, context, Optional.empty());
    }

    private HttpResponseMessage resolved(HttpRequestMessage<Optional<String>> request, String alertId, ExecutionContext context,
                                         Optional<User> user) {
        return Api.respond(request, context, HttpStatus.OK, () -> {
            Actor actor = actor(request, user);
            return ledger().resolve(alertId(alertId), actor.by, actor.note);
        });
    }

    // ---- the same, for signed-in users (the dashboard) ----

    @FunctionName("appListAlerts")
    public HttpResponseMessage listForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/alerts") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> list(request, context));
    }

    @FunctionName("appGetAlert")
    public HttpResponseMessage getForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/alerts/{alertId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("alertId") String alertId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> get(request, alertId, context));
    }

    @FunctionName("appAcknowledgeAlert")
    public HttpResponseMessage acknowledgeForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/alerts/{alertId}/ack") HttpRequestMessage<Optional<String>> request,
            @BindingName("alertId") String alertId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.OPERATOR, user -> acknowledged(request, alertId, context, Optional.of(user)));
    }

    @FunctionName("appResolveAlert")
    public HttpResponseMessage resolveForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/alerts/{alertId}/resolve") HttpRequestMessage<Optional<String>> request,
            @BindingName("alertId") String alertId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.OPERATOR, user -> resolved(request, alertId, context, Optional.of(user)));
    }

    private record Actor(String by, String note) {
    }

    /** Who acts: a signed-in user is who their token says, never what the body claims; a machine client names itself in {@code by}. */
    private static Actor actor(HttpRequestMessage<Optional<String>> request, Optional<User> user) {
        String caller = user.map(u -> u.name().length() > MAX_ACTOR ? u.name().substring(0, MAX_ACTOR) : u.name()).orElse("api");
        if (request.getBody().map(String::isBlank).orElse(true)) {
            return new Actor(caller, null);
        }
        JsonNode body = Api.body(request);
        body.fieldNames().forEachRemaining(field -> {
            if (!field.equals("by") && !field.equals("note")) {
                throw ValidationException.of(field, "is not a field of an acknowledgement or resolution (by, note)");
            }
            if (field.equals("by") && user.isPresent()) {
                throw ValidationException.of(field, "is the signed-in user; leave it out");
            }
        });
        String by = Api.optionalText(body, "by").orElse(caller);
        String note = Api.optionalText(body, "note").orElse(null);
        if (by.isBlank() || by.length() > MAX_ACTOR) {
            throw ValidationException.of("by", "must be 1-" + MAX_ACTOR + " characters");
        }
        if (note != null && note.length() > MAX_NOTE) {
            throw ValidationException.of("note", "must be at most " + MAX_NOTE + " characters");
        }
        return new Actor(by, note);
    }

    private static String alertId(String value) {
        if (!AlertIds.isAlertId(value)) {
            throw ValidationException.of("alertId", "alert ids look like al-0123456789ab");
        }
        return value;
    }

    private static <T> T parse(String field, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(field, e.getMessage());
        }
    }

    private AlertLedger ledger() {
        return app.alerts();
    }
}
