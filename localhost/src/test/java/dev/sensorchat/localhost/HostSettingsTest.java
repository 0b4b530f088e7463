package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSettingsTest {

    @TempDir
    Path dir;

    @Test
    void valuesThenTheEnvironmentAndExpressions() throws Exception {
        Path file = Files.writeString(dir.resolve("local.settings.json"), """
                {"IsEncrypted": false, "Values": {"TELEMETRY_HUB": "telemetry", "A": "from-file", "AzureWebJobs.uploads.Disabled": "true"},
                 "Host": {"LocalHttpPort": 7199}}""");
        HostSettings settings = HostSettings.load(file, Map.of("A", "from-env"));
        assertEquals("from-env", settings.get("A").orElseThrow());
        assertEquals(7199, settings.httpPort());
        assertEquals("hub telemetry/x", settings.resolve("hub %TELEMETRY_HUB%/x", "test"));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> settings.resolve("%NOPE%", "function 'f' schedule"));
        assertTrue(missing.getMessage().contains("NOPE") && missing.getMessage().contains("function 'f' schedule"));
        assertTrue(settings.disabled("uploads"));
        assertEquals(7071, HostSettings.load(dir.resolve("absent.json"), Map.of()).httpPort());
    }
}
