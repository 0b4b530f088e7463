package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionsTest {

    @Test
    void aNamespaceIsConsumedWithTheSdkAndTheEmulatorOrNothingWithTheLocalHub() {
        try (Connections connections = new Connections(new HostSettings(Map.of(
                "Real", "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc",
                "Emulator", "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
                "Identity__fullyQualifiedNamespace", "contoso.servicebus.windows.net", "Local", "local"), 0))) {
            assertTrue(connections.isRealEventHubs("Real"));
            assertTrue(connections.isRealEventHubs("Identity"));
            assertFalse(connections.isRealEventHubs("Emulator"), "without Docker the emulator is not there: the local hub stands in");
            assertFalse(connections.isRealEventHubs("Local"));
            assertFalse(connections.isRealEventHubs("Unset"));
        }
    }
}
