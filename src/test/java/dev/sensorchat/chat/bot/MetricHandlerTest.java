package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.language.IntentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricHandlerTest {

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();

    private String say(String text) {
        return fixture.say(bot, "ops", text).markdown();
    }

    @Test
    void aMetricOverARangeIsSummarisedFromTheReadings() {
        String reply = say("temperature of boiler-1 last hour");
        // 60, 62, … 78: min 60, max 78, mean 69; the latest, 78, was read at 09:55.
        assertTrue(reply.startsWith("**temperature** of **Boiler One** (`boiler-1`), last hour:\n"), reply);
        assertTrue(reply.contains("min **60** · avg **69** · max **78** · latest **78** (09:55 UTC)"), reply);
        assertTrue(reply.endsWith("  10 readings"), reply);
        assertTrue(reply.matches("(?s).*\\n[▁▂▃▄▅▆▇█]{10}  .*"), "one bar per minute window: " + reply);
    }

    @Test
    void andHumidityReusesTheDeviceAndTheRange() {
        say("temperature of boiler-1 last 24h");
        String reply = say("and humidity?");
        assertTrue(reply.startsWith("**humidity** of **Boiler One** (`boiler-1`), last 24 hours:"), reply);
        assertTrue(reply.contains("min **40** · avg **44.5** · max **49**"), reply);
    }

    @Test
    void whatAboutAnotherDeviceReusesTheMetricAndTheRange() {
        say("humidity of boiler-1 last 24h");
        String reply = say("what about gh-1?");
        assertTrue(reply.startsWith("**humidity** of `gh-1`, last 24 hours:"), reply);
        assertTrue(reply.contains("min **55** · avg **56** · max **57** · latest **57** (09:50 UTC)"), reply);
        assertEquals("No humidity readings from `boiler-2` last 24 hours.", say("what about boiler-2?"));
    }

    @Test
    void theDeviceMetricAndRangeAskedAboutAreRemembered() {
        say("temperature of boiler-1 last 24h");
        ConversationDocument state = fixture.conversation("generic:ops");
        assertEquals(IntentType.METRIC, state.lastIntent());
        assertEquals("boiler-1", state.lastDevice());
        assertEquals("temperature", state.lastMetric());
        assertEquals("last 24 hours", state.lastRange().label());
    }

    @Test
    void aMetricWithoutADeviceAsksWhichOne() {
        assertEquals("Which device? For example `humidity of boiler-1 last hour`.", say("humidity"));
    }

    @Test
    void anUnknownDeviceIsNamedWithTheClosestKnownOne() {
        assertEquals("I don't know a device `boiler-9`. Did you mean `boiler-1`?", say("humidity of boiler-9"));
    }

    @Test
    void aLongRangeIsReadFromHourlyWindows() {
        fixture.ingest("tank-1", 26 * 60, Map.of("temperature", 20.0));
        fixture.ingest("tank-1", 1, Map.of("temperature", 30.0));
        String reply = say("temperature of tank-1 last 2 days");
        assertTrue(reply.contains("min **20** · avg **25** · max **30** · latest **30** (09:59 UTC)"), reply);
        assertTrue(reply.matches("(?s).*\\n[▁▂▃▄▅▆▇█]{2}  2 readings"), "one bar per hour: " + reply);
    }
}
