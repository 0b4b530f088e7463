package dev.sensorchat.config;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.util.Locale;
import java.util.Optional;

/**
 * How an identity-based connection {@code X} authenticates, in the Functions host's terms:
 * {@code X__credential=managedidentity} selects the managed identity, and {@code X__clientId}
 * picks a user-assigned one. Without {@code X__credential}, {@link DefaultAzureCredentialBuilder}
 * is used, which finds a developer's Azure CLI or IDE sign-in locally and the managed identity in
 * Azure.
 *
 * @param managedIdentity true when {@code X__credential=managedidentity}
 * @param clientId        the user-assigned identity's client id, or null for the system-assigned one
 */
public record IdentitySettings(boolean managedIdentity, String clientId) {

    static IdentitySettings read(AppSettings settings, String connection) {
        String credentialSetting = connection + "__credential";
        boolean managed = settings.find(credentialSetting)
                .map(value -> {
                    if (!value.toLowerCase(Locale.ROOT).equals("managedidentity")) {
                        throw new SettingException(credentialSetting,
                                "must be 'managedidentity' or left unset (to use DefaultAzureCredential).");
                    }
                    return true;
                })
                .orElse(false);
        return new IdentitySettings(managed, settings.find(connection + "__clientId").orElse(null));
    }

    public Optional<String> userAssignedClientId() {
        return Optional.ofNullable(clientId);
    }

    /** Builds the credential; callers share one per distinct settings, as token caches live in it. */
    public TokenCredential toCredential() {
        if (managedIdentity) {
            ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
            userAssignedClientId().ifPresent(builder::clientId);
            return builder.build();
        }
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        userAssignedClientId().ifPresent(builder::managedIdentityClientId);
        return builder.build();
    }
}
