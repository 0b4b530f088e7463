package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionInvokerTest {

    /** An HTTP function that answers with the status its request asks for. */
    public static final class Answering {
        @FunctionName("answering")
        public HttpResponseMessage run(@HttpTrigger(name = "request") HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
            return request.createResponseBuilder(HttpStatus.valueOf(Integer.parseInt(request.getQueryParameters().get("status")))).build();
        }
    }

    @Test
    void anHttpFunctionThatAnswers5xxIsCountedAndLoggedAsFailed() throws Exception {
        FunctionDefinition function = new FunctionDefinition("answering", null, Answering.class.getName(), "run", List.of(new ObjectMapper()
                .readTree("{\"type\": \"httpTrigger\", \"direction\": \"in\", \"name\": \"request\"}")), null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FunctionInvoker invoker = new FunctionInvoker(getClass().getClassLoader(), new PrintStream(log, true, StandardCharsets.UTF_8));

        for (String status : List.of("200", "404", "503")) {
            invoker.invoke(function, Map.of("request", new LocalHttpRequest(URI.create("http://127.0.0.1/api/answering"), HttpMethod.GET,
                    Map.of(), Map.of("status", status), null)), Map.of());
        }

        Map<String, Object> view = invoker.stats().get("answering").view("httpTrigger");
        assertEquals(3L, view.get("invocations"));
        assertEquals(1L, view.get("failures"), "a 4xx is the caller's mistake; a 5xx is ours");
        assertEquals("Failed (HTTP 503)", view.get("lastOutcome"));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("(Failed, Id="), log.toString(StandardCharsets.UTF_8));
    }

    /** An app's instance hook: counts when the host creates it and what it is asked for. */
    public static final class CountingInjector implements FunctionInstanceInjector {
        static final AtomicInteger CREATED = new AtomicInteger();
        static final AtomicInteger ASKED = new AtomicInteger();

        public CountingInjector() {
            CREATED.incrementAndGet();
        }

        @Override
        public <T> T getInstance(Class<T> functionClass) throws Exception {
            ASKED.incrementAndGet();
            return functionClass.getDeclaredConstructor().newInstance();
        }
    }

    @Test
    void theAppsInstanceInjectorIsFoundWhenTheFunctionsLoadAndMakesTheInstances(@TempDir Path app) throws Exception {
        Path services = app.resolve("META-INF/services/" + FunctionInstanceInjector.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, CountingInjector.class.getName() + "\n");
        FunctionDefinition function = new FunctionDefinition("answering", null, Answering.class.getName(), "run", List.of(new ObjectMapper()
                .readTree("{\"type\": \"httpTrigger\", \"direction\": \"in\", \"name\": \"request\"}")), null);
        CountingInjector.CREATED.set(0);
        CountingInjector.ASKED.set(0);
        try (URLClassLoader appClasses = new URLClassLoader(new URL[] {app.toUri().toURL()}, getClass().getClassLoader())) {
            FunctionInvoker invoker = new FunctionInvoker(appClasses, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

            invoker.prepare(function);
            assertEquals(1, CountingInjector.CREATED.get(), "created as the functions load, before any invocation");
            assertEquals(0, CountingInjector.ASKED.get());

            for (int i = 0; i < 2; i++) {
                invoker.invoke(function, Map.of("request", new LocalHttpRequest(URI.create("http://127.0.0.1/api/answering"), HttpMethod.GET,
                        Map.of(), Map.of("status", "200"), null)), Map.of());
            }
            assertEquals(1, CountingInjector.CREATED.get());
            assertEquals(2, CountingInjector.ASKED.get(), "asked for the instance at each invocation, as the Java worker does");
        }
    }
}
