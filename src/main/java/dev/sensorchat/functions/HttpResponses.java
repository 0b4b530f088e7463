package dev.sensorchat.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import dev.sensorchat.common.Json;

/** JSON responses for the HTTP functions. */
final class HttpResponses {

    private HttpResponses() {
    }

    static HttpResponseMessage.Builder json(HttpRequestMessage<?> request, HttpStatus status, Object body) {
        return request.createResponseBuilder(status)
                .header("Content-Type", "application/json; charset=utf-8")
                .body(write(body));
    }

    /**
     * A read's answer with a weak ETag of its content, or 304 when the caller already holds that
     * content ({@code If-None-Match}): a dashboard polling a list re-renders only when it changed,
     * and an unchanged answer costs no body on the wire. {@code private, no-cache}: a browser may
     * keep it, but asks again each time; nothing in between may keep it (it was read with a key or a token).
     */
    static HttpResponseMessage conditionalJson(HttpRequestMessage<?> request, Object body, java.util.Optional<String> ifNoneMatch) {
        String json = write(body);
        String etag;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            etag = "W/\"" + java.util.HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        boolean unchanged = ifNoneMatch.map(tags -> holds(tags, etag)).orElse(false);
        HttpResponseMessage.Builder response = unchanged
                ? request.createResponseBuilder(HttpStatus.NOT_MODIFIED)
                : request.createResponseBuilder(HttpStatus.OK).header("Content-Type", "application/json; charset=utf-8").body(json);
        return response.header("ETag", etag).header("Cache-Control", "private, no-cache").build();
    }

    /**
     * Whether an {@code If-None-Match} value names {@code etag}: {@code *}, or the tag compared weakly
     * (RFC 9110: {@code W/"x"} and {@code "x"} match), so the caller already holds this content.
     */
    static boolean holds(String ifNoneMatch, String etag) {
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String tag : ifNoneMatch.split(",")) {
            String value = tag.strip();
            if (value.equals("*") || (value.startsWith("W/") ? value.substring(2) : value).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    static String write(Object body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Response body is not serialisable: " + body.getClass().getName(), e);
        }
    }
}
