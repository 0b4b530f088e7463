package dev.sensorchat.storage;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosDatabase;
import java.util.List;
import java.util.logging.Logger;

/**
 * Creates the database and containers when they are missing. Used locally and with key-based
 * access only: with an identity, data-plane roles cannot create containers, and Bicep does it.
 */
public final class CosmosProvisioner {

    private static final Logger LOG = Logger.getLogger(CosmosProvisioner.class.getName());

    private CosmosProvisioner() {
    }

    public static CosmosDatabase ensure(CosmosClient client, String databaseName, List<ContainerSpec> containers) {
        client.createDatabaseIfNotExists(databaseName);
        CosmosDatabase database = client.getDatabase(databaseName);
        for (ContainerSpec spec : containers) {
            database.createContainerIfNotExists(spec.toProperties());
        }
        LOG.info(() -> "Cosmos DB database '" + databaseName + "' has its " + containers.size() + " containers");
        return database;
    }
}
