package dev.sensorchat.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import dev.sensorchat.auth.AuthException;
import dev.sensorchat.auth.Authenticator;
import dev.sensorchat.auth.Role;
import dev.sensorchat.auth.User;
import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.Json;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.PreconditionFailedException;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.telemetry.TelemetryParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * What every query-API function shares: reading parameters and bodies, paging, and turning
 * outcomes into responses. Errors become RFC 9457 problem documents that name the bad field;
 * unexpected failures become a 500 that carries the invocation id, never a stack trace.
 */
final class Api {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final Base64.Encoder TOKEN_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder TOKEN_DECODER = Base64.getUrlDecoder();

    /** A request the API cannot read (malformed JSON): 400 with the parser's explanation. */
    static final class MalformedBody extends RuntimeException {
        MalformedBody(String message) {
            super(message);
        }
    }

    private Api() {
    }

    /** Runs {@code action} and answers with its result as JSON ({@code status}), or with a problem document. */
    static HttpResponseMessage respond(HttpRequestMessage<?> request, ExecutionContext context, HttpStatus status,
                                       Supplier<Object> action) {
        return respondWith(request, context, () -> {
            Object result = action.get();
            if (status == HttpStatus.NO_CONTENT) {
                return request.createResponseBuilder(status).build();
            }
            if (status == HttpStatus.OK && isRead(request)) {
                return HttpResponses.conditionalJson(request, result, header(request, "If-None-Match"));
            }
            return HttpResponses.json(request, status, result).build();
        });
    }

    private static boolean isRead(HttpRequestMessage<?> request) {
        return request.getHttpMethod() == HttpMethod.GET || request.getHttpMethod() == HttpMethod.HEAD;
    }

    /** Runs {@code action}, which builds its own answer; errors become problem documents. */
    static HttpResponseMessage respondWith(HttpRequestMessage<?> request, ExecutionContext context,
                                           Supplier<HttpResponseMessage> action) {
        try (Invocation ignored = Invocations.open(context)) { // still open in the catch blocks, for the problem documents
            try {
                return action.get();
            } catch (ValidationException e) {
                return problem(request, HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.errors());
            } catch (MalformedBody e) {
                return problem(request, HttpStatus.BAD_REQUEST, "Malformed JSON", e.getMessage(), List.of());
            } catch (StoreException.BadContinuation e) {
                return problem(request, HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(),
                        List.of(new ValidationException.FieldError("continuation", e.getMessage())));
            } catch (NotFoundException e) {
                return problem(request, HttpStatus.NOT_FOUND, "Not found", e.getMessage(), List.of());
            } catch (ConflictException e) {
                return problem(request, HttpStatus.CONFLICT, "Conflict", e.getMessage(), List.of());
            } catch (PreconditionFailedException e) {
                return problem(request, HttpStatus.PRECONDITION_FAILED, "Precondition failed", e.getMessage(), List.of());
            } catch (StoreException.Unavailable e) {
                context.getLogger().log(Level.SEVERE, "Request failed, a dependency is down: " + request.getHttpMethod() + " "
                        + request.getUri().getPath(), e);
                return unavailable(request, context);
            } catch (RuntimeException e) {
                context.getLogger().log(Level.SEVERE, "Request failed: " + request.getHttpMethod() + " " + request.getUri().getPath(), e);
                return problem(request, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                        "The request failed; quote invocation " + context.getInvocationId() + " when reporting it.", List.of());
            }
        }
    }

    /**
     * A route for signed-in users: runs {@code action} for the caller the request's token (or App
     * Service's principal) names, if their role includes {@code needed} (null: any signed-in user).
     * No valid token is a 401 with {@code WWW-Authenticate}, the wrong role a 403, an identity
     * provider that cannot be reached a 503.
     */
    static HttpResponseMessage asUser(HttpRequestMessage<?> request, ExecutionContext context, Authenticator authenticator, Role needed,
                                      Function<User, HttpResponseMessage> action) {
        try (Invocation ignored = Invocations.open(context)) {
            return authorized(request, context, authenticator, needed, action);
        }
    }

    private static HttpResponseMessage authorized(HttpRequestMessage<?> request, ExecutionContext context, Authenticator authenticator,
                                                  Role needed, Function<User, HttpResponseMessage> action) {
        User user;
        try {
            user = authenticator.authorize(name -> header(request, name), needed);
        } catch (AuthException.Unauthenticated e) {
            String challenge = header(request, "Authorization").isPresent()
                    ? "Bearer error=\"invalid_token\", error_description=\"" + e.getMessage().replace("\"", "'") + "\""
                    : "Bearer";
            return problem(request, HttpStatus.UNAUTHORIZED, "Unauthorized", e.getMessage(), List.of(), Map.of("WWW-Authenticate", challenge));
        } catch (AuthException.Forbidden e) {
            return problem(request, HttpStatus.FORBIDDEN, "Forbidden", e.getMessage(), List.of());
        } catch (AuthException.ProviderUnavailable e) {
            context.getLogger().log(Level.SEVERE, "Sign-in check failed, the identity provider is not answering: " + e.getMessage());
            return unavailable(request, context);
        }
        return action.apply(user);
    }

    /** How long a caller should wait before retrying during an outage of a dependency. */
    static final int RETRY_AFTER_SECONDS = 10;

    /** 503 with Retry-After: the request was fine, a dependency (Cosmos DB) is not answering. */
    static HttpResponseMessage unavailable(HttpRequestMessage<?> request, ExecutionContext context) {
        HttpResponseMessage problem = problem(request, HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                "A dependency is not answering; retry in " + RETRY_AFTER_SECONDS + " s. Invocation " + context.getInvocationId() + ".",
                List.of(), Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
        return problem;
    }

    static HttpResponseMessage problem(HttpRequestMessage<?> request, HttpStatus status, String title, String detail,
                                       List<ValidationException.FieldError> errors) {
        return problem(request, status, title, detail, errors, Map.of());
    }

    static HttpResponseMessage problem(HttpRequestMessage<?> request, HttpStatus status, String title, String detail,
                                       List<ValidationException.FieldError> errors, Map<String, String> headers) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getUri().getPath());
        String invocationId = Invocation.currentId();
        if (invocationId != null) {
            problem.put("invocationId", invocationId); // what to quote when reporting it; the same id is on its log lines
        }
        if (!errors.isEmpty()) {
            problem.put("errors", errors);
        }
        HttpResponseMessage.Builder response = request.createResponseBuilder(status)
                .header("Content-Type", "application/problem+json; charset=utf-8");
        headers.forEach(response::header);
        return response.body(HttpResponses.write(problem)).build();
    }

    /** The JSON body, which must be an object. */
    static JsonNode body(HttpRequestMessage<Optional<String>> request) {
        String text = request.getBody().orElse("");
        if (text.isBlank()) {
            throw new MalformedBody("The request needs a JSON object body.");
        }
        try {
            JsonNode body = Json.STRICT_READER.readTree(text);
            if (body == null || !body.isObject()) {
                throw new MalformedBody("The body must be a JSON object.");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new MalformedBody("The body is not valid JSON: " + Json.problemOf(e) + ".");
        }
    }

    /** A request header, looked up without regard to case (hosts differ in how they pass names). */
    static Optional<String> header(HttpRequestMessage<?> request, String name) {
        return request.getHeaders().entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).filter(value -> value != null && !value.isBlank()).map(String::strip).findFirst();
    }

    /** The store's version as an HTTP entity tag: a quoted string (Cosmos DB's ETags already carry the quotes). */
    static String etag(String storeEtag) {
        return storeEtag.startsWith("\"") ? storeEtag : "\"" + storeEtag + "\"";
    }

    /** The version an {@code If-Match} value names (a weak tag compares as its strong one). */
    static String storeEtag(String ifMatch) {
        return ifMatch.startsWith("W/") ? ifMatch.substring(2) : ifMatch;
    }

    /** A string field that may be absent or null; any other type is a 400 naming it. */
    static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ValidationException.of(field, "must be a string, not " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(value.asText());
    }

    /** A path or query value that must match {@code pattern}. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** A device id as the telemetry contract defines it, or a 400 naming {@code field}. */
    static String deviceId(String value, String field) {
        if (value == null || !TelemetryParser.isDeviceId(value)) {
            throw ValidationException.of(field, TelemetryParser.DEVICE_ID_RULE);
        }
        return value;
    }

    /** A tag, or a 400. */
    static String tag(String value) {
        return matching(value, TAG, "tag", "tags are 1-64 letters, digits or ._:-");
    }

    static String matching(String value, Pattern pattern, String field, String rule) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw ValidationException.of(field, rule);
        }
        return value;
    }

    static Optional<String> query(HttpRequestMessage<?> request, String name) {
        String value = request.getQueryParameters().get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The page size asked for with {@code ?limit=}, within [1, max]. */
    static int limit(HttpRequestMessage<?> request, int defaultLimit, int max) {
        Optional<String> raw = query(request, "limit");
        if (raw.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(raw.get());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ValidationException.of("limit", "must be a whole number from 1 to " + max);
    }

    static Optional<Instant> instant(HttpRequestMessage<?> request, String name) {
        Optional<String> raw = query(request, name);
        try {
            return raw.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ValidationException.of(name, "must be an ISO-8601 time in UTC, e.g. 2026-11-22T10:00:00Z");
        }
    }

    /**
     * The store's continuation token, from the opaque one a client got with the previous page. A
     * token is bound to the listing and query it came from (path and query parameters but
     * {@code continuation} and {@code limit}): used elsewhere it is a 400, never a silent restart
     * at page 1 of another listing.
     */
    static String continuation(HttpRequestMessage<?> request) {
        Optional<String> raw = query(request, "continuation");
        if (raw.isEmpty()) {
            return null;
        }
        String token;
        try {
            token = new String(TOKEN_DECODER.decode(raw.get()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("continuation", "is not a token from a previous page");
        }
        String scope = scopeOf(request);
        if (!token.startsWith(scope + "\n")) {
            throw ValidationException.of("continuation", "belongs to another listing or query; ask for the first page again");
        }
        return token.substring(scope.length() + 1);
    }

    /** Where a token may be used: a digest of the path and the query parameters that select the listing. */
    private static String scopeOf(HttpRequestMessage<?> request) {
        StringBuilder listing = new StringBuilder(request.getUri().getPath());
        new java.util.TreeMap<>(request.getQueryParameters()).forEach((name, value) -> {
            if (!name.equals("continuation") && !name.equals("limit") && !name.equals("code")) {
                listing.append('\n').append(name).append('=').append(value.strip());
            }
        });
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(listing.toString().getBytes(StandardCharsets.UTF_8));
            return "v2:" + java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"items": [...], "continuation": "<opaque token, absent on the last page>"}}, the token bound to this request's listing. */
    static Map<String, Object> page(Page<?> page, HttpRequestMessage<?> request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        if (page.continuation() != null) {
            String token = scopeOf(request) + "\n" + page.continuation();
            body.put("continuation", TOKEN_ENCODER.encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        return body;
    }
}
