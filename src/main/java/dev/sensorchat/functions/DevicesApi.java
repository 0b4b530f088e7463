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
import dev.sensorchat.auth.Role;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.devices.DeviceDocument;
import dev.sensorchat.devices.DeviceRegistry;
import dev.sensorchat.devices.DeviceStatus;
import dev.sensorchat.storage.Page;
import dev.sensorchat.telemetry.AggregateReader;
import dev.sensorchat.telemetry.Resolution;
import dev.sensorchat.telemetry.TelemetryParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The devices part of the query API: list, read and describe devices; read their aggregates. */
public final class DevicesApi {

    private static final Set<String> EDITABLE = Set.of("name", "location", "tags");
    private static final int MAX_WINDOWS_PER_PAGE = 1_000;

    private final AppContext app;

    public DevicesApi() {
        this(AppContext.shared());
    }

    DevicesApi(AppContext app) {
        this.app = app;
    }

    /** A device as the API shows it: without the exactly-once bookkeeping, with its {@link DeviceStatus}. */
    public record DeviceView(String id, String name, String location, List<String> tags, DeviceStatus status, Instant firstSeen,
                             Instant lastSeen, Map<String, DeviceDocument.LatestValue> latest, int activeAlerts, Long lastDeviceSeq) {
        static DeviceView of(DeviceDocument device, DeviceStatus status) {
            return new DeviceView(device.deviceId(), device.name(), device.location(), device.tags(), status, device.firstSeen(),
                    device.lastSeen(), device.latest(), device.activeAlerts(), device.lastDeviceSeq());
        }
    }

    private DeviceView view(DeviceDocument device, Instant now) {
        return DeviceView.of(device, DeviceStatus.of(device, now, app.silencePolicy().fallback()));
    }

    @FunctionName("listDevices")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/devices") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK, () -> {
            String tag = Api.query(request, "tag").map(Api::tag)
                    .orElse(null);
            var page = registry().list(tag, Api.limit(request, Api.DEFAULT_LIMIT, Api.MAX_LIMIT), Api.continuation(request));
            Instant now = app.clock().instant();
            return Api.page(new Page<>(page.items().stream().map(device -> view(device, now)).toList(), page.continuation()), request);
        });
    }

    @FunctionName("getDevice")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/devices/{deviceId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("deviceId") String deviceId,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK, () -> view(registry().find(deviceId(deviceId))
                .orElseThrow(() -> new NotFoundException("device", deviceId)), app.clock().instant()));
    }

    @FunctionName("updateDevice")
    public HttpResponseMessage update(
            @HttpTrigger(name = "request", methods = {HttpMethod.PATCH}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/devices/{deviceId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("deviceId") String deviceId,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK, () -> {
            String id = deviceId(deviceId);
            JsonNode body = Api.body(request);
            List<ValidationException.FieldError> errors = new ArrayList<>();
            body.fieldNames().forEachRemaining(field -> {
                if (!EDITABLE.contains(field)) {
                    errors.add(new ValidationException.FieldError(field, "cannot be changed; editable: name, location, tags"));
                }
            });
            String name = text(body, "name", errors);
            String location = text(body, "location", errors);
            List<String> tags = null;
            JsonNode tagsNode = body.get("tags");
            if (tagsNode != null && !tagsNode.isNull()) {
                if (!tagsNode.isArray()) {
                    errors.add(new ValidationException.FieldError("tags", "must be an array of strings"));
                } else {
                    tags = new ArrayList<>();
                    for (JsonNode tag : tagsNode) {
                        tags.add(tag.isTextual() ? tag.asText() : null);
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            return view(registry().updateProfile(id, name, location, tags), app.clock().instant());
        });
    }

    @FunctionName("getDeviceMetric")
    public HttpResponseMessage aggregates(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "api/devices/{deviceId}/metrics/{metric}") HttpRequestMessage<Optional<String>> request,
            @BindingName("deviceId") String deviceId,
            @BindingName("metric") String metric,
            ExecutionContext context) {
        return Api.respond(request, context, HttpStatus.OK, () -> {
            String id = deviceId(deviceId);
            if (!TelemetryParser.isMetricName(metric)) {
                throw ValidationException.of("metric", "metric names are 1-32 letters, digits or '_', starting with a letter");
            }
            Resolution resolution;
            try {
                resolution = Resolution.fromLabel(Api.query(request, "resolution").orElse("minute"));
            } catch (IllegalArgumentException e) {
                throw ValidationException.of("resolution", e.getMessage());
            }
            Instant to = Api.instant(request, "to").orElse(app.clock().instant());
            Duration defaultSpan = resolution == Resolution.MINUTE ? Duration.ofHours(1) : Duration.ofDays(1);
            Instant from = Api.instant(request, "from").orElse(to.minus(defaultSpan));
            if (!from.isBefore(to)) {
                throw ValidationException.of("from", "must be before 'to'");
            }
            if (registry().find(id).isEmpty()) {
                throw new NotFoundException("device", id);
            }
            int limit = Api.limit(request, MAX_WINDOWS_PER_PAGE, MAX_WINDOWS_PER_PAGE);
            var page = app.aggregates().read(id, metric, resolution, from, to, limit, Api.continuation(request));
            Map<String, Object> paged = Api.page(page, request);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("deviceId", id);
            body.put("metric", metric);
            body.put("resolution", resolution.label());
            body.put("from", from);
            body.put("to", to);
            body.putAll(paged);
            return body;
        });
    }

    // ---- the same, for signed-in users (the dashboard) ----

    @FunctionName("appListDevices")
    public HttpResponseMessage listForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/devices") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> list(request, context));
    }

    @FunctionName("appGetDevice")
    public HttpResponseMessage getForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/devices/{deviceId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("deviceId") String deviceId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> get(request, deviceId, context));
    }

    @FunctionName("appUpdateDevice")
    public HttpResponseMessage updateForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.PATCH}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/devices/{deviceId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("deviceId") String deviceId,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.OPERATOR, user -> update(request, deviceId, context));
    }

    @FunctionName("appGetDeviceMetric")
    public HttpResponseMessage aggregatesForUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.HEAD}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "app/api/devices/{deviceId}/metrics/{metric}") HttpRequestMessage<Optional<String>> request,
            @BindingName("deviceId") String deviceId,
            @BindingName("metric") String metric,
            ExecutionContext context) {
        return Api.asUser(request, context, app.authenticator(), Role.VIEWER, user -> aggregates(request, deviceId, metric, context));
    }

    private DeviceRegistry registry() {
        return app.devices();
    }

    private static String deviceId(String value) {
        return Api.deviceId(value, "deviceId");
    }

    private static String text(JsonNode body, String field, List<ValidationException.FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new ValidationException.FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }
}
