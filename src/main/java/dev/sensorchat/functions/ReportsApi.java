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
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.reports.FleetReport;
import dev.sensorchat.reports.ReportPeriod;
import dev.sensorchat.reports.ReportService;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The reports part of the API: a fleet report built on demand for any range, and the stored daily
 * reports, as JSON, CSV or HTML.
 */
public final class ReportsApi {

    private final AppContext app;

    public ReportsApi() {
        this(AppContext.shared());
    }

    ReportsApi(AppContext app) {
        this.app = app;
    }

    /**
     * GET /reports?from=&to=&deviceId=&tag=&format=: {@code from} and {@code to} are UTC days
     * ({@code 2026-11-20}, both included) or whole-hour instants ({@code to} excluded); the default
     * is yesterday.
     */
    @FunctionName("buildReport")
    public HttpResponseMessage build(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/reports") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respondWith(request, context, () -> {
            ReportService.Format format = format(request);
            ReportPeriod period = period(request);
            RuleScope scope = scope(request);
            FleetReport report = reports().build(period, scope);
            return content(request, format, ReportService.render(report, format));
        });
    }

    /** GET /reports/daily: the recorded reports, newest first. */
    @FunctionName("listReports")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/reports/daily") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK,
                () -> Api.page(reports().list(Api.limit(request, Api.DEFAULT_LIMIT, Api.MAX_LIMIT), Api.continuation(request)), request));
    }

    /** GET /reports/daily/{date}?format=: the stored daily report of that UTC day. */
    @FunctionName("getDailyReport")
    public HttpResponseMessage daily(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/reports/daily/{date}") HttpRequestMessage<Optional<String>> request,
            @BindingName("date") String date,
            ExecutionContext context) {
        return Api.respondWith(request, context, () -> {
            ReportService.Format format = format(request);
            LocalDate day = day(date, "date");
            byte[] body = reports().daily(day, format).orElseThrow(() -> new NotFoundException("daily report", day.toString()));
            return content(request, format, body);
        });
    }

    // ---- the same, for signed-in users (the dashboard); a report on demand is an admin's ----

    @FunctionName("appBuildReport")
    public HttpResponseMessage buildForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/reports") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.ADMIN, user -> build(request, context));
    }

    @FunctionName("appListReports")
    public HttpResponseMessage listForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/reports/daily") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> list(request, context));
    }

    @FunctionName("appGetDailyReport")
    public HttpResponseMessage dailyForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/reports/daily/{date}") HttpRequestMessage<Optional<String>> request,
            @BindingName("date") String date,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> daily(request, date, context));
    }

    private ReportService reports() {
        return app.reports();
    }

    private static HttpResponseMessage content(HttpRequestMessage<?> request, ReportService.Format format, byte[] body) {
        return request.createResponseBuilder(HttpStatus.OK)
                .header("Content-Type", format.contentType())
                .header("Content-Disposition", "inline; filename=\"" + format.fileName() + "\"")
                .header("X-Content-Type-Options", "nosniff")
                // The HTML form runs no script and loads nothing: say so to the browser.
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
                .body(body)
                .build();
    }

    private static ReportService.Format format(HttpRequestMessage<?> request) {
        String raw = Api.query(request, "format").orElse("json").toUpperCase(Locale.ROOT);
        try {
            return ReportService.Format.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("format", "is json, csv or html");
        }
    }

    private ReportPeriod period(HttpRequestMessage<?> request) {
        LocalDate yesterday = LocalDate.ofInstant(app.clock().instant(), ZoneOffset.UTC).minusDays(1);
        Instant from = bound(Api.query(request, "from").orElse(yesterday.toString()), "from", false);
        Instant to = bound(Api.query(request, "to").orElse(Api.query(request, "from").orElse(yesterday.toString())), "to", true);
        try {
            return new ReportPeriod(from, to);
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("to", e.getMessage());
        }
    }

    /** A day (its start; for {@code to}, the end of it) or an instant. */
    private static Instant bound(String text, String field, boolean end) {
        if (text.length() == 10) {
            LocalDate day = day(text, field);
            return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ValidationException.of(field, "must be a UTC day (2026-11-20) or a whole-hour time (2026-11-20T06:00:00Z)");
        }
    }

    private static LocalDate day(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ValidationException.of(field, "must be a UTC day such as 2026-11-20");
        }
    }

    private static RuleScope scope(HttpRequestMessage<?> request) {
        Optional<String> device = Api.query(request, "deviceId");
        Optional<String> tag = Api.query(request, "tag");
        if (device.isPresent() && tag.isPresent()) {
            throw ValidationException.of("tag", "give deviceId or tag, not both");
        }
        if (device.isPresent()) {
            return RuleScope.device(Api.deviceId(device.get(), "deviceId"));
        }
        return tag.map(t -> RuleScope.tag(Api.tag(t))).orElse(RuleScope.all());
    }
}
