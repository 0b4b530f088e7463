package dev.sensorchat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppSettingsTest {

    private static AppSettings settings(String... keyValues) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new AppSettings(map);
    }

    @Test
    void blankValuesCountAsMissing() {
        AppSettings settings = settings("EMPTY", "", "BLANK", "  ", "SET", " value ");
        assertEquals(Optional.empty(), settings.find("EMPTY"));
        assertEquals(Optional.empty(), settings.find("BLANK"));
        assertEquals(Optional.of("value"), settings.find("SET"));
    }

    @Test
    void requiredSettingNamesItselfWhenMissing() {
        SettingException missing = assertThrows(SettingException.class, () -> settings().require("REPORT_SCHEDULE", "a CRON expression"));
        assertEquals("REPORT_SCHEDULE", missing.setting());
        assertEquals("App setting 'REPORT_SCHEDULE' is missing; set it to a CRON expression.", missing.getMessage());
    }

    @Test
    void numbersAreCheckedWithoutEchoingTheValue() {
        assertEquals(7, settings().positiveInt("N", 7));
        assertEquals(42, settings("N", "42").positiveInt("N", 7));
        for (String bad : new String[] {"0", "-3", "ten", "1.5"}) {
            SettingException e = assertThrows(SettingException.class, () -> settings("N", bad).positiveInt("N", 7));
            assertEquals("App setting 'N' must be a positive whole number.", e.getMessage());
        }
        assertEquals(Duration.ofMillis(1500), settings("T", "1500").millis("T", Duration.ZERO));
        assertEquals(Duration.ofSeconds(3), settings().millis("T", Duration.ofSeconds(3)));
    }

    @Test
    void flagsAcceptTheUsualSpellings() {
        assertTrue(settings("F", "TRUE").flag("F", false));
        assertTrue(settings("F", "1").flag("F", false));
        assertFalse(settings("F", "no").flag("F", true));
        assertTrue(settings().flag("F", true));
        assertThrows(SettingException.class, () -> settings("F", "maybe").flag("F", true));
    }

    @Test
    void endpointsMustBeAbsoluteHttpUris() {
        assertEquals("example.com", settings().endpoint("E", "https://example.com:443/").getHost());
        for (String bad : new String[] {"example.com", "ftp://example.com", "https://", "not a uri"}) {
            assertThrows(SettingException.class, () -> settings().endpoint("E", bad), bad);
        }
    }
}
