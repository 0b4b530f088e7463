package dev.sensorchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.config.AppSettings;
import dev.sensorchat.config.SettingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The composition root reads nothing and connects to nothing until asked, then builds once. */
class AppContextTest {

    @Test
    void constructionNeedsNoSettingsAndAMissingOneFailsAtFirstUse() {
        try (AppContext app = new AppContext(new AppSettings(Map.of()))) {
            SettingException e = assertThrows(SettingException.class, app::cosmosDatabase);
            assertEquals("CosmosDb", e.setting());
        }
    }

    @Test
    void clientsAndStoresAreBuiltOncePerProcess() {
        // Identity-based storage: building the client needs no network.
        AppSettings settings = new AppSettings(Map.of("DataStorage__blobServiceUri", "https://acct.blob.core.windows.net"));
        try (AppContext app = new AppContext(settings)) {
            assertSame(app.blobStore("reports"), app.blobStore("reports"));
            assertSame(app.health(), app.health());
        }
    }

    @Test
    void invalidConnectionModeNamesTheSetting() {
        AppSettings settings = new AppSettings(Map.of(
                "CosmosDb", "AccountEndpoint=https://127.0.0.1:1/;AccountKey=a2V5;",
                AppContext.COSMOS_CONNECTION_MODE, "tcp"));
        try (AppContext app = new AppContext(settings)) {
            assertEquals(AppContext.COSMOS_CONNECTION_MODE, assertThrows(SettingException.class, app::cosmosDatabase).setting());
        }
    }

    @Test
    void aTelegramSecretThatSetWebhookWouldRefuseIsASettingError() {
        for (String refused : new String[] {"has space", "ümlaut", "x".repeat(257), "semi;colon"}) {
            try (AppContext app = new AppContext(new AppSettings(Map.of(AppContext.TELEGRAM_WEBHOOK_SECRET, refused)))) {
                SettingException e = assertThrows(SettingException.class, app::chatChannels, refused);
                assertEquals(AppContext.TELEGRAM_WEBHOOK_SECRET, e.setting());
            }
        }
        try (AppContext app = new AppContext(new AppSettings(Map.of(AppContext.TELEGRAM_WEBHOOK_SECRET, "Ok_secret-" + "9".repeat(246))))) {
            assertTrue(app.chatChannels().containsKey("telegram"));
        }
    }

    @Test
    void versionComesFromTheBuild() {
        assertEquals(System.getProperty("sensorchat.expectedVersion"), AppContext.version());
    }
}
