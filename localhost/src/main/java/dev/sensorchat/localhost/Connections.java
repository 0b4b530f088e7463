package dev.sensorchat.localhost;

import com.azure.core.credential.TokenCredential;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients for the connections the app's bindings name, by the Functions host's conventions: the
 * setting {@code X} holds a connection string, or {@code X__blobServiceUri} / {@code X__serviceUri} /
 * {@code X__accountName} (Storage) and {@code X__accountEndpoint} (Cosmos DB) name the service for an
 * identity ({@code X__credential=managedidentity}, {@code X__clientId}; else DefaultAzureCredential).
 * One client per connection for the host's life.
 */
final class Connections implements AutoCloseable {

    private final HostSettings settings;
    private final Map<String, BlobServiceClient> storage = new ConcurrentHashMap<>();
    private final Map<String, CosmosClient> cosmos = new ConcurrentHashMap<>();

    Connections(HostSettings settings) {
        this.settings = settings;
    }

    /** The async client of a Storage connection, which the Event Hubs checkpoint store needs. */
    com.azure.storage.blob.BlobServiceAsyncClient storageAsync(String connection) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
        var connectionString = settings.get(connection);
        if (connectionString.isPresent()) {
            return builder.connectionString(connectionString.get()).buildAsyncClient();
        }
        return builder.endpoint(storage(connection).getAccountUrl()).credential(credential(connection)).buildAsyncClient();
    }

    /** Whether Event Hubs connection {@code connection} names a real namespace (not the emulator, not unset). */
    boolean isRealEventHubs(String connection) {
        if (settings.get(connection + "__fullyQualifiedNamespace").isPresent()) {
            return true;
        }
        return settings.get(connection).map(value -> value.contains("Endpoint=sb://") && !value.contains("UseDevelopmentEmulator=true"))
                .orElse(false);
    }

    TokenCredential credentialFor(String connection) {
        return credential(connection);
    }

    BlobServiceClient storage(String connection) {
        return storage.computeIfAbsent(connection, name -> {
            BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
            var connectionString = settings.get(name);
            if (connectionString.isPresent()) {
                return builder.connectionString(connectionString.get()).buildClient();
            }
            String endpoint = settings.get(name + "__blobServiceUri").or(() -> settings.get(name + "__serviceUri"))
                    .or(() -> settings.get(name + "__accountName").map(account -> "https://" + account + ".blob.core.windows.net"))
                    .orElseThrow(() -> missing(name, "a connection string, or " + name + "__blobServiceUri / __serviceUri / __accountName"));
            return builder.endpoint(endpoint).credential(credential(name)).buildClient();
        });
    }

    CosmosClient cosmos(String connection) {
        return cosmos.computeIfAbsent(connection, name -> {
            CosmosClientBuilder builder = new CosmosClientBuilder().gatewayMode()
                    .endpointDiscoveryEnabled(settings.get("COSMOS_ENDPOINT_DISCOVERY").map(Boolean::parseBoolean).orElse(true));
            var connectionString = settings.get(name);
            if (connectionString.isPresent()) {
                Map<String, String> parts = parse(connectionString.get());
                if (!parts.containsKey("accountendpoint") || !parts.containsKey("accountkey")) {
                    throw missing(name, "AccountEndpoint=...;AccountKey=...;");
                }
                return builder.endpoint(parts.get("accountendpoint")).key(parts.get("accountkey")).buildClient();
            }
            String endpoint = settings.get(name + "__accountEndpoint").orElseThrow(() -> missing(name, "a connection string or " + name + "__accountEndpoint"));
            return builder.endpoint(endpoint).credential(credential(name)).buildClient();
        });
    }

    private TokenCredential credential(String connection) {
        var clientId = settings.get(connection + "__clientId");
        if (settings.get(connection + "__credential").map(c -> c.equalsIgnoreCase("managedidentity")).orElse(false)) {
            ManagedIdentityCredentialBuilder managed = new ManagedIdentityCredentialBuilder();
            clientId.ifPresent(managed::clientId);
            return managed.build();
        }
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        clientId.ifPresent(builder::managedIdentityClientId);
        return builder.build();
    }

    private static Map<String, String> parse(String connectionString) {
        Map<String, String> parts = new java.util.HashMap<>();
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
            }
        }
        return parts;
    }

    private static IllegalStateException missing(String connection, String what) {
        return new IllegalStateException("connection '" + connection + "' is not configured: set " + what);
    }

    @Override
    public void close() {
        cosmos.values().forEach(CosmosClient::close);
    }
}
