package dev.sensorchat.config;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import java.util.Map;
import java.util.function.Function;

/**
 * An Event Hubs connection named {@code X}, as the Functions Event Hubs extension reads it:
 * <ul>
 *   <li>{@code X} = {@code Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...}, or</li>
 *   <li>{@code X__fullyQualifiedNamespace} = {@code <namespace>.servicebus.windows.net} with an
 *       identity (see {@link IdentitySettings}).</li>
 * </ul>
 */
public sealed interface EventHubsConnection {

    /** Points an SDK builder at the hub through this connection. */
    EventHubClientBuilder configure(EventHubClientBuilder builder, String hubName,
                                    Function<IdentitySettings, TokenCredential> credentials);

    record WithConnectionString(String connectionString) implements EventHubsConnection {
        @Override
        public EventHubClientBuilder configure(EventHubClientBuilder builder, String hubName,
                                               Function<IdentitySettings, TokenCredential> credentials) {
            return builder.connectionString(connectionString, hubName);
        }

        @Override
        public String toString() {
            return "EventHubsConnection.WithConnectionString[redacted]";
        }
    }

    record WithIdentity(String fullyQualifiedNamespace, IdentitySettings identity) implements EventHubsConnection {
        @Override
        public EventHubClientBuilder configure(EventHubClientBuilder builder, String hubName,
                                               Function<IdentitySettings, TokenCredential> credentials) {
            return builder.credential(fullyQualifiedNamespace, hubName, credentials.apply(identity));
        }
    }

    static EventHubsConnection read(AppSettings settings, String name) {
        var connectionString = settings.find(name);
        if (connectionString.isPresent()) {
            Map<String, String> parts = ConnectionStrings.parse(connectionString.get());
            String endpoint = parts.getOrDefault("Endpoint", "");
            boolean hasSecret = parts.containsKey("SharedAccessKey") || parts.containsKey("SharedAccessSignature");
            if (!endpoint.startsWith("sb://") || !hasSecret) {
                throw new SettingException(name, "is not an Event Hubs connection string; expected "
                        + "Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...");
            }
            return new WithConnectionString(connectionString.get());
        }
        String namespaceSetting = name + "__fullyQualifiedNamespace";
        String namespace = settings.find(namespaceSetting).orElseThrow(() -> new SettingException(name,
                "is missing; set it to an Event Hubs connection string, or set '" + namespaceSetting
                        + "' to <namespace>.servicebus.windows.net to connect with an identity."));
        if (!namespace.matches("[A-Za-z0-9.-]+(:\\d+)?") || !namespace.contains(".")) {
            throw new SettingException(namespaceSetting, "must be a host name such as <namespace>.servicebus.windows.net.");
        }
        return new WithIdentity(namespace, IdentitySettings.read(settings, name));
    }
}
