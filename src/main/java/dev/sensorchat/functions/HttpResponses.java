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

    static String write(Object body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Response body is not serialisable: " + body.getClass().getName(), e);
        }
    }
}
