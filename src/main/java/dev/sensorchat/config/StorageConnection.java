package dev.sensorchat.config;

import java.net.URI;
import java.util.Map;

/**
 * A Storage connection named {@code X}, as the Functions Storage extensions read it:
 * <ul>
 *   <li>{@code X} = a connection string, or {@code UseDevelopmentStorage=true} for Azurite on its
 *       default ports, or</li>
 *   <li>{@code X__blobServiceUri} (or {@code X__serviceUri}) = {@code https://<account>.blob.core.windows.net},
 *       or {@code X__accountName}, with an identity (see {@link IdentitySettings}).</li>
 * </ul>
 */
public sealed interface StorageConnection {

    /** Azurite's well-known development account on its default ports. The key is public. */
    String DEVELOPMENT_STORAGE = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
            + "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
            + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /** Key- or SAS-based access. {@code toString} leaves the secret out. */
    record WithConnectionString(String connectionString) implements StorageConnection {
        @Override
        public String toString() {
            return "StorageConnection.WithConnectionString[redacted]";
        }
    }

    record WithIdentity(URI blobServiceUri, IdentitySettings identity) implements StorageConnection {
    }

    static StorageConnection read(AppSettings settings, String name) {
        var connectionString = settings.find(name);
        if (connectionString.isPresent()) {
            Map<String, String> parts = ConnectionStrings.parse(connectionString.get());
            if (ConnectionStrings.isTrue(parts, "UseDevelopmentStorage")) {
                return new WithConnectionString(DEVELOPMENT_STORAGE);
            }
            boolean hasSecret = parts.containsKey("AccountKey") || parts.containsKey("SharedAccessSignature");
            boolean hasAccount = parts.containsKey("AccountName") || parts.containsKey("BlobEndpoint");
            if (!hasSecret || !hasAccount) {
                throw new SettingException(name, "is not a Storage connection string; expected "
                        + "AccountName=...;AccountKey=...; (or BlobEndpoint=...;SharedAccessSignature=...;) "
                        + "or UseDevelopmentStorage=true.");
            }
            return new WithConnectionString(connectionString.get());
        }
        IdentitySettings identity = IdentitySettings.read(settings, name);
        for (String suffix : new String[] {"__blobServiceUri", "__serviceUri"}) {
            var uri = settings.find(name + suffix);
            if (uri.isPresent()) {
                return new WithIdentity(settings.endpoint(name + suffix, uri.get()), identity);
            }
        }
        var accountName = settings.find(name + "__accountName");
        if (accountName.isPresent()) {
            if (!accountName.get().matches("[a-z0-9]{3,24}")) {
                throw new SettingException(name + "__accountName", "must be a storage account name (3-24 lowercase letters and digits).");
            }
            return new WithIdentity(URI.create("https://" + accountName.get() + ".blob.core.windows.net"), identity);
        }
        throw new SettingException(name, "is missing; set it to a Storage connection string, or set '" + name
                + "__blobServiceUri' (or '" + name + "__accountName') to connect with an identity.");
    }
}
