package dev.sensorchat.testing;

import dev.sensorchat.AppContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import org.testcontainers.azure.AzuriteContainer;
import org.testcontainers.containers.CosmosDBEmulatorContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' Azurite and the official Cosmos DB emulator, for machines with Docker. Not
 * exercised on machines without Docker (such as this project's CI), where {@link NpmServers} serve.
 */
final class DockerServers implements LocalAzureServers {

    static final String AZURITE_IMAGE = "mcr.microsoft.com/azure-storage/azurite:3.35.0";
    static final String COSMOS_IMAGE = "mcr.microsoft.com/cosmosdb/linux/azure-cosmos-emulator:latest";

    private final AzuriteContainer azurite;
    private final CosmosDBEmulatorContainer cosmos;
    private final LocalAzure endpoints;

    private DockerServers(AzuriteContainer azurite, CosmosDBEmulatorContainer cosmos) {
        this.azurite = azurite;
        this.cosmos = cosmos;
        // The emulator advertises its in-container address; the mapped port is only reachable directly.
        this.endpoints = new LocalAzure(azurite.getConnectionString(), cosmos.getEmulatorEndpoint(),
                cosmos.getEmulatorKey(), Map.of(AppContext.COSMOS_ENDPOINT_DISCOVERY, "false"),
                CosmosFaults.unsupported("the official Cosmos DB emulator (Docker) has no fault switch, and its "
                        + "container is not a process of this machine to SIGSTOP; run with -Dsensorchat.localServers=npm"));
    }

    static DockerServers start() {
        AzuriteContainer azurite = new AzuriteContainer(DockerImageName.parse(AZURITE_IMAGE))
                .withCommand("azurite", "--blobHost", "0.0.0.0", "--queueHost", "0.0.0.0", "--tableHost", "0.0.0.0",
                        "--skipApiVersionCheck", "--loose");
        CosmosDBEmulatorContainer cosmos = new CosmosDBEmulatorContainer(DockerImageName.parse(COSMOS_IMAGE));
        azurite.start();
        cosmos.start();
        trustEmulatorCertificate(cosmos);
        return new DockerServers(azurite, cosmos);
    }

    /** The emulator's certificate is self-signed; trust it for this JVM, as Testcontainers documents. */
    private static void trustEmulatorCertificate(CosmosDBEmulatorContainer cosmos) {
        try {
            Path keyStoreFile = Files.createTempFile("cosmos-emulator", ".p12");
            KeyStore keyStore = cosmos.buildNewKeyStore();
            try (OutputStream out = Files.newOutputStream(keyStoreFile)) {
                keyStore.store(out, cosmos.getEmulatorKey().toCharArray());
            }
            keyStoreFile.toFile().deleteOnExit();
            System.setProperty("javax.net.ssl.trustStore", keyStoreFile.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", cosmos.getEmulatorKey());
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not trust the Cosmos DB emulator's certificate", e);
        }
    }

    @Override
    public LocalAzure endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        cosmos.stop();
        azurite.stop();
    }
}
