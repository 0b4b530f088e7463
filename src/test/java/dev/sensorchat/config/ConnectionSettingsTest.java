package dev.sensorchat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.identity.DefaultAzureCredential;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Functions host's conventions for connection settings, and that secrets never leak from them. */
class ConnectionSettingsTest {

    private static final String SECRET = "c2VjcmV0LWtleS1kby1ub3QtbG9n";

    private static AppSettings settings(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new AppSettings(map);
    }

    @Test
    void cosmosConnectionStringGivesEndpointAndKey() {
        CosmosConnection connection = CosmosConnection.read(
                settings("CosmosDb", "AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey=" + SECRET + "==;"), "CosmosDb");

        CosmosConnection.WithKey withKey = assertInstanceOf(CosmosConnection.WithKey.class, connection);
        assertEquals("https://acct.documents.azure.com:443/", withKey.endpoint().toString());
        assertEquals(SECRET + "==", withKey.key(), "keys may end in '=' and keep it");
        assertFalse(connection.toString().contains(SECRET));
    }

    @Test
    void cosmosAccountEndpointMeansIdentityWithDefaultCredential() {
        CosmosConnection connection = CosmosConnection.read(
                settings("CosmosDb__accountEndpoint", "https://acct.documents.azure.com:443/"), "CosmosDb");

        CosmosConnection.WithIdentity identity = assertInstanceOf(CosmosConnection.WithIdentity.class, connection);
        assertEquals(new IdentitySettings(false, null), identity.identity());
        assertInstanceOf(DefaultAzureCredential.class, identity.identity().toCredential());
    }

    @Test
    void managedIdentityWithClientIdSelectsTheUserAssignedIdentity() {
        CosmosConnection connection = CosmosConnection.read(settings(
                "CosmosDb__accountEndpoint", "https://acct.documents.azure.com:443/",
                "CosmosDb__credential", "managedidentity",
                "CosmosDb__clientId", "00000000-0000-0000-0000-000000000001"), "CosmosDb");

        IdentitySettings identity = ((CosmosConnection.WithIdentity) connection).identity();
        assertTrue(identity.managedIdentity());
        assertEquals("00000000-0000-0000-0000-000000000001", identity.clientId());
        assertInstanceOf(ManagedIdentityCredential.class, identity.toCredential());
    }

    @Test
    void unknownCredentialKindNamesTheSetting() {
        SettingException e = assertThrows(SettingException.class, () -> CosmosConnection.read(settings(
                "CosmosDb__accountEndpoint", "https://acct.documents.azure.com:443/",
                "CosmosDb__credential", "clientsecret"), "CosmosDb"));
        assertEquals("CosmosDb__credential", e.setting());
    }

    @Test
    void missingOrMalformedCosmosSettingsAreNamedAndNeverEchoed() {
        SettingException missing = assertThrows(SettingException.class, () -> CosmosConnection.read(settings(), "CosmosDb"));
        assertEquals("CosmosDb", missing.setting());
        assertTrue(missing.getMessage().contains("CosmosDb__accountEndpoint"), "says how to fix it");

        SettingException noKey = assertThrows(SettingException.class,
                () -> CosmosConnection.read(settings("CosmosDb", "AccountEndpoint=https://a/;Account" + SECRET), "CosmosDb"));
        assertFalse(noKey.getMessage().contains(SECRET));

        SettingException badEndpoint = assertThrows(SettingException.class,
                () -> CosmosConnection.read(settings("CosmosDb", "AccountEndpoint=acct;AccountKey=" + SECRET), "CosmosDb"));
        assertFalse(badEndpoint.getMessage().contains(SECRET));
    }

    @Test
    void developmentStorageMeansAzuriteOnItsDefaultPorts() {
        StorageConnection connection = StorageConnection.read(settings("DataStorage", "UseDevelopmentStorage=true"), "DataStorage");

        String connectionString = assertInstanceOf(StorageConnection.WithConnectionString.class, connection).connectionString();
        assertTrue(connectionString.contains("AccountName=devstoreaccount1"));
        assertTrue(connectionString.contains("BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1"));
    }

    @Test
    void storageIdentityFormsFollowTheFunctionsHost() {
        var blobServiceUri = StorageConnection.read(settings("DataStorage__blobServiceUri", "https://acct.blob.core.windows.net"), "DataStorage");
        assertEquals("https://acct.blob.core.windows.net",
                assertInstanceOf(StorageConnection.WithIdentity.class, blobServiceUri).blobServiceUri().toString());

        var serviceUri = StorageConnection.read(settings("DataStorage__serviceUri", "https://other.blob.core.windows.net"), "DataStorage");
        assertEquals("https://other.blob.core.windows.net", ((StorageConnection.WithIdentity) serviceUri).blobServiceUri().toString());

        var accountName = StorageConnection.read(settings("DataStorage__accountName", "sensorchatdata",
                "DataStorage__credential", "managedidentity"), "DataStorage");
        StorageConnection.WithIdentity byName = (StorageConnection.WithIdentity) accountName;
        assertEquals("https://sensorchatdata.blob.core.windows.net", byName.blobServiceUri().toString());
        assertTrue(byName.identity().managedIdentity());
    }

    @Test
    void storageConnectionStringsAreCheckedAndRedacted() {
        String valid = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + SECRET + ";EndpointSuffix=core.windows.net";
        StorageConnection connection = StorageConnection.read(settings("DataStorage", valid), "DataStorage");
        assertFalse(connection.toString().contains(SECRET));

        SettingException bad = assertThrows(SettingException.class,
                () -> StorageConnection.read(settings("DataStorage", "AccountName=acct;Key=" + SECRET), "DataStorage"));
        assertEquals("DataStorage", bad.setting());
        assertFalse(bad.getMessage().contains(SECRET));

        SettingException missing = assertThrows(SettingException.class, () -> StorageConnection.read(settings(), "DataStorage"));
        assertTrue(missing.getMessage().contains("DataStorage__blobServiceUri"));
    }

    @Test
    void eventHubsConnectionStringOrNamespace() {
        String connectionString = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + SECRET;
        EventHubsConnection byKey = EventHubsConnection.read(settings("TelemetryHub", connectionString), "TelemetryHub");
        assertInstanceOf(EventHubsConnection.WithConnectionString.class, byKey);
        assertFalse(byKey.toString().contains(SECRET));

        EventHubsConnection byIdentity = EventHubsConnection.read(settings(
                "TelemetryHub__fullyQualifiedNamespace", "ns.servicebus.windows.net",
                "TelemetryHub__credential", "managedidentity"), "TelemetryHub");
        EventHubsConnection.WithIdentity identity = assertInstanceOf(EventHubsConnection.WithIdentity.class, byIdentity);
        assertEquals("ns.servicebus.windows.net", identity.fullyQualifiedNamespace());
        assertTrue(identity.identity().managedIdentity());
        assertNull(identity.identity().clientId());

        assertThrows(SettingException.class, () -> EventHubsConnection.read(settings("TelemetryHub", "Endpoint=https://x;Key=y"), "TelemetryHub"));
        assertThrows(SettingException.class, () -> EventHubsConnection.read(settings("TelemetryHub__fullyQualifiedNamespace", "https://ns/"), "TelemetryHub"));
    }

    @Test
    void eventHubsConnectionConfiguresARealProducer() {
        EventHubsConnection byIdentity = EventHubsConnection.read(settings(
                "TelemetryHub__fullyQualifiedNamespace", "ns.servicebus.windows.net"), "TelemetryHub");
        // Building does not connect; it proves the SDK accepts what the settings produced.
        try (EventHubProducerClient producer = byIdentity
                .configure(new EventHubClientBuilder(), "telemetry", IdentitySettings::toCredential)
                .buildProducerClient()) {
            assertEquals("telemetry", producer.getEventHubName());
            assertEquals("ns.servicebus.windows.net", producer.getFullyQualifiedNamespace());
        }
        EventHubsConnection byKey = EventHubsConnection.read(settings("TelemetryHub",
                "Endpoint=sb://ns2.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + SECRET), "TelemetryHub");
        try (EventHubProducerClient producer = byKey
                .configure(new EventHubClientBuilder(), "telemetry", IdentitySettings::toCredential)
                .buildProducerClient()) {
            assertNotNull(producer);
            assertEquals("ns2.servicebus.windows.net", producer.getFullyQualifiedNamespace());
        }
    }

    @Test
    void blobContainerNamesHaveDefaultsAndAreValidated() {
        BlobContainerNames defaults = BlobContainerNames.read(settings());
        assertEquals("telemetry-deadletters", defaults.deadLetters());
        assertEquals("reports", defaults.reports());

        SettingException bad = assertThrows(SettingException.class, () -> BlobContainerNames.read(settings("REPORTS_CONTAINER", "Reports_2026")));
        assertEquals("REPORTS_CONTAINER", bad.setting());
    }
}
