package dev.sensorchat.config;

import java.net.URI;
import java.util.Map;

/**
 * A Cosmos DB connection named {@code X}, as the Functions Cosmos DB extension reads it:
 * <ul>
 *   <li>{@code X} = {@code AccountEndpoint=https://...;AccountKey=...;} (a key, e.g. for the local
 *       emulator), or</li>
 *   <li>{@code X__accountEndpoint} = {@code https://<account>.documents.azure.com:443/} with an
 *       identity (see {@link IdentitySettings}).</li>
 * </ul>
 */
public sealed interface CosmosConnection {

    URI endpoint();

    /** Key-based access. {@code toString} leaves the key out. */
    record WithKey(URI endpoint, String key) implements CosmosConnection {
        @Override
        public String toString() {
            return "CosmosConnection.WithKey[endpoint=" + endpoint + "]";
        }
    }

    record WithIdentity(URI endpoint, IdentitySettings identity) implements CosmosConnection {
    }

    static CosmosConnection read(AppSettings settings, String name) {
        var connectionString = settings.find(name);
        if (connectionString.isPresent()) {
            Map<String, String> parts = ConnectionStrings.parse(connectionString.get());
            String endpoint = parts.get("AccountEndpoint");
            String key = parts.get("AccountKey");
            if (endpoint == null || key == null || key.isEmpty()) {
                throw new SettingException(name,
                        "is not a Cosmos DB connection string; expected AccountEndpoint=...;AccountKey=...;");
            }
            return new WithKey(settings.endpoint(name, endpoint), key);
        }
        String endpointSetting = name + "__accountEndpoint";
        String endpoint = settings.find(endpointSetting).orElseThrow(() -> new SettingException(name,
                "is missing; set it to a Cosmos DB connection string, or set '" + endpointSetting
                        + "' to the account endpoint to connect with an identity."));
        return new WithIdentity(settings.endpoint(endpointSetting, endpoint), IdentitySettings.read(settings, name));
    }
}
