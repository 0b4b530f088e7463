package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.common.Json;
import java.io.IOException;
import java.util.function.BiFunction;

/** Calling an HTTP function as the host would, and reading its answer, for the API's tests. */
public final class FunctionCalls {

    private FunctionCalls() {
    }

    /** Runs the function on {@code request} and expects {@code expectedStatus} (the body is in the message when not). */
    public static HttpResponseMessage call(BiFunction<TestHttpRequest, TestExecutionContext, HttpResponseMessage> function,
                                           TestHttpRequest request, int expectedStatus) {
        HttpResponseMessage response = function.apply(request, new TestExecutionContext("api"));
        assertEquals(expectedStatus, response.getStatusCode(), () -> "body: " + response.getBody());
        return response;
    }

    /** The answer's JSON body. */
    public static JsonNode body(HttpResponseMessage response) {
        try {
            return Json.MAPPER.readTree(String.valueOf(response.getBody()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
