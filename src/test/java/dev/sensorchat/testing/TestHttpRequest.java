package dev.sensorchat.testing;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the Functions Java worker hands it to a function. The Functions host itself
 * cannot run here (no Core Tools), so tests call functions with this stand-in for the worker's
 * types; everything behind the function is real.
 */
public final class TestHttpRequest implements HttpRequestMessage<Optional<String>> {

    private final HttpMethod method;
    private final URI uri;
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private final String body;

    private TestHttpRequest(HttpMethod method, String uri, String body) {
        this.method = method;
        this.uri = URI.create(uri);
        this.body = body;
    }

    public static TestHttpRequest get(String uri) {
        return new TestHttpRequest(HttpMethod.GET, uri, null);
    }

    public static TestHttpRequest post(String uri, String body) {
        return new TestHttpRequest(HttpMethod.POST, uri, body);
    }

    public static TestHttpRequest of(HttpMethod method, String uri, String body) {
        return new TestHttpRequest(method, uri, body);
    }

    public TestHttpRequest query(String name, String value) {
        this.query.put(name, value);
        return this;
    }

    public TestHttpRequest header(String name, String value) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return query;
    }

    @Override
    public Optional<String> getBody() {
        return Optional.ofNullable(body);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new Response.Builder(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new Response.Builder(status);
    }

    /** The response a function built. */
    public record Response(HttpStatusType status, Map<String, String> headers, Object body) implements HttpResponseMessage {

        @Override
        public HttpStatusType getStatus() {
            return status;
        }

        @Override
        public int getStatusCode() {
            return status.value();
        }

        @Override
        public String getHeader(String key) {
            return headers.get(key.toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public Object getBody() {
            return body;
        }

        static final class Builder implements HttpResponseMessage.Builder {
            private HttpStatusType status;
            private final Map<String, String> headers = new HashMap<>();
            private Object body;

            Builder(HttpStatusType status) {
                this.status = status;
            }

            @Override
            public HttpResponseMessage.Builder status(HttpStatusType newStatus) {
                this.status = newStatus;
                return this;
            }

            @Override
            public HttpResponseMessage.Builder header(String key, String value) {
                headers.put(key.toLowerCase(java.util.Locale.ROOT), value);
                return this;
            }

            @Override
            public HttpResponseMessage.Builder body(Object newBody) {
                this.body = newBody;
                return this;
            }

            @Override
            public HttpResponseMessage build() {
                return new Response(status, Map.copyOf(headers), body);
            }
        }
    }
}
