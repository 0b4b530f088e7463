package dev.sensorchat.testing;

import java.util.Locale;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * Starts Azurite and a Cosmos DB API server once per test run and hands their endpoints to tests
 * that declare a {@link LocalAzure} parameter. They stop when the run ends, and even when the JVM
 * is killed (see {@link NpmServers}).
 *
 * <p>Which servers: Testcontainers' Azurite and Cosmos DB emulator when Docker is available,
 * otherwise Azurite and the Cosmos DB layer from npm (src/test/local-servers). Force one with
 * {@code -Dsensorchat.localServers=docker} or {@code =npm}.
 *
 * <p>After each test class, faults injected into Cosmos DB ({@link CosmosFaults}) are switched off
 * and a paused server is resumed, so one class's faults never reach the next.
 */
public final class LocalAzureExtension implements ParameterResolver, AfterAllCallback {

    private static final Logger LOG = Logger.getLogger(LocalAzureExtension.class.getName());
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAzureExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalAzure.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(LocalAzureServers.class, key -> start(), LocalAzureServers.class)
                .endpoints();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LocalAzureServers servers = context.getRoot().getStore(NAMESPACE).get(LocalAzureServers.class, LocalAzureServers.class);
        if (servers != null) {
            servers.endpoints().cosmosFaults().reset();
        }
    }

    private static LocalAzureServers start() {
        String choice = System.getProperty("sensorchat.localServers", "auto").toLowerCase(Locale.ROOT);
        boolean docker = switch (choice) {
            case "docker" -> true;
            case "npm" -> false;
            case "auto" -> DockerClientFactory.instance().isDockerAvailable();
            default -> throw new IllegalArgumentException("sensorchat.localServers must be auto, docker or npm");
        };
        LOG.info(() -> "Local Azure servers: " + (docker ? "Testcontainers (Docker)" : "npm (no Docker found)"));
        return docker ? DockerServers.start() : NpmServers.start();
    }
}
