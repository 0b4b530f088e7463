package dev.sensorchat.testing;

import com.azure.cosmos.CosmosClientBuilder;
import dev.sensorchat.AppContext;
import dev.sensorchat.config.AppSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Endpoints of the running local Azure stand-ins (Azurite and a Cosmos DB API server), and app
 * settings that point at them, in the same form as {@code local.settings.json}.
 *
 * @param storageConnectionString connection string of Azurite's devstoreaccount1
 * @param cosmosEndpoint          Cosmos DB endpoint, https://127.0.0.1:port/
 * @param cosmosKey               the emulator's well-known key
 * @param extraSettings           what the server kind needs besides (e.g. endpoint discovery off)
 * @param cosmosFaults            fault injection into the Cosmos DB server (npm servers only; see
 *                                {@link CosmosFaults#isSupported()})
 */
public record LocalAzure(String storageConnectionString, String cosmosEndpoint, String cosmosKey,
                         Map<String, String> extraSettings, CosmosFaults cosmosFaults) {

    public LocalAzure {
        if (cosmosFaults == null) {
            cosmosFaults = CosmosFaults.unsupported("this Cosmos DB server has no fault switch");
        }
    }

    /** Servers without fault injection. */
    public LocalAzure(String storageConnectionString, String cosmosEndpoint, String cosmosKey,
                      Map<String, String> extraSettings) {
        this(storageConnectionString, cosmosEndpoint, cosmosKey, extraSettings, null);
    }

    /** A builder for a test's own Cosmos DB client, in gateway mode, as the server kind needs it. */
    public CosmosClientBuilder cosmosClientBuilder() {
        return new CosmosClientBuilder().endpoint(cosmosEndpoint).key(cosmosKey)
                .gatewayMode().endpointDiscoveryEnabled(!extraSettings.containsKey(AppContext.COSMOS_ENDPOINT_DISCOVERY));
    }

    public String cosmosConnectionString() {
        return "AccountEndpoint=" + cosmosEndpoint + ";AccountKey=" + cosmosKey + ";";
    }

    /** Settings for an app that uses its own, fresh Cosmos DB database. */
    public Map<String, String> appSettings() {
        Map<String, String> settings = new HashMap<>(extraSettings);
        settings.put(AppContext.COSMOS_CONNECTION, cosmosConnectionString());
        settings.put(AppContext.COSMOS_DATABASE, "test-" + UUID.randomUUID());
        settings.put(AppContext.STORAGE_CONNECTION, storageConnectionString);
        settings.put("AzureWebJobsStorage", storageConnectionString);
        // A stream that goes quiet writes its open minutes after a second, not half a minute.
        settings.putIfAbsent(AppContext.TELEMETRY_IDLE_FLUSH_SECONDS, "1");
        return settings;
    }

    /** A composition root wired to the local servers, with a database of its own. */
    public AppContext newAppContext(Map<String, String> overrides) {
        Map<String, String> settings = appSettings();
        settings.putAll(overrides);
        return new AppContext(new AppSettings(settings));
    }

    public AppContext newAppContext() {
        return newAppContext(Map.of());
    }

    @Override
    public String toString() {
        return "LocalAzure[cosmos=" + cosmosEndpoint + "]";
    }
}
