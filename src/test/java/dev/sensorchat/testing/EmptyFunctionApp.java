package dev.sensorchat.testing;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The peer of the cold-start benchmark: a function app with the same two routes as the app's
 * health and chat webhook that answer at once, touching nothing. {@link #writeTo} packages it as
 * the Maven plugin packages the real app (a jar, host.json, one function.json per function), so
 * the same host starts both.
 */
public final class EmptyFunctionApp {

    @FunctionName("health")
    public HttpResponseMessage health(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS, route = "api/health")
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return request.createResponseBuilder(HttpStatus.OK).header("Content-Type", "application/json").body("{\"status\":\"healthy\"}").build();
    }

    @FunctionName("chat")
    public HttpResponseMessage chat(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS, route = "api/chat/{channel}")
            HttpRequestMessage<Optional<String>> request, @BindingName("channel") String channel, ExecutionContext context) {
        return request.createResponseBuilder(HttpStatus.OK).header("Content-Type", "application/json").body("{\"text\":\"ok\"}").build();
    }

    /** Writes the packaged app into {@code dir}: empty-app.jar with this class, host.json, health/ and chat/. */
    public static Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        FunctionAppJar.write(dir.resolve("empty-app.jar"), EmptyFunctionApp.class);
        Files.writeString(dir.resolve("host.json"), "{\"version\": \"2.0\", \"extensions\": {\"http\": {\"routePrefix\": \"\"}}}");
        function(dir, "health", "health", "api/health", "GET");
        function(dir, "chat", "chat", "api/chat/{channel}", "POST");
        return dir;
    }

    private static void function(Path dir, String name, String method, String route, String httpMethod) throws IOException {
        Files.createDirectories(dir.resolve(name));
        Files.writeString(dir.resolve(name).resolve("function.json"), """
                {"scriptFile": "../empty-app.jar", "entryPoint": "%s.%s",
                 "bindings": [{"type": "httpTrigger", "direction": "in", "name": "request", "route": "%s", "methods": ["%s"],
                               "authLevel": "ANONYMOUS"},
                              {"type": "http", "direction": "out", "name": "$return"}]}
                """.formatted(EmptyFunctionApp.class.getName(), method, route, httpMethod));
    }
}
