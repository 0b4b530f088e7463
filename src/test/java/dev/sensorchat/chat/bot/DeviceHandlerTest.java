package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.language.IntentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceHandlerTest {

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();

    private String say(String text) {
        return fixture.say(bot, "ops", text).markdown();
    }

    @Test
    void devicesAreListedOnlineOrSilentWithTheirLatestValues() {
        assertEquals("**3 devices**\n"
                + "• **Boiler One** (`boiler-1`) — online · humidity 49 · temperature 78\n"
                + "• `boiler-2` — silent · temperature 70\n"
                + "• `gh-1` — online · humidity 57", say("devices"));
    }

    @Test
    void devicesAreFilteredByTagOrLocation() {
        assertEquals("**1 device with tag `greenhouse`**\n• `gh-1` — online · humidity 57", say("devices with tag greenhouse"));
        assertTrue(say("devices in plant 2").startsWith("**1 device in plant 2**\n• **Boiler One**"));
        assertEquals("No devices with tag `nothing`.", say("devices with tag nothing"));
    }

    @Test
    void longListsAreCut() {
        for (int i = 0; i < 22; i++) {
            fixture.ingest(String.format("pump-%02d", i), 1, Map.of("pressure", 2.0));
        }
        String reply = say("devices");
        assertTrue(reply.startsWith("**25 devices**"), reply);
        assertEquals(20, reply.lines().filter(line -> line.startsWith("• ")).count());
        assertTrue(reply.endsWith("\n…and 5 more"), reply);
    }

    @Test
    void statusShowsLastSeenLatestValuesAndAlerts() {
        assertEquals("**Boiler One** (`boiler-1`) is online, last seen 5 min ago (09:55 UTC).\n"
                + "• humidity: **49** (09:55 UTC)\n"
                + "• temperature: **78** (09:55 UTC)\n"
                + "No open alerts.", say("status boiler-1"));
        assertTrue(say("status boiler-2").startsWith("`boiler-2` is **silent**, last seen 40 min ago (09:20 UTC)."));
    }

    @Test
    void statusListsOpenAlertsAndThoseResolvedToday() {
        fixture.rules.create(dev.sensorchat.common.Json.MAPPER.createObjectNode().put("id", "hot").put("name", "Hot")
                .put("metric", "temperature").put("operator", ">").put("threshold", 80)
                .set("scope", dev.sensorchat.common.Json.MAPPER.createObjectNode().put("kind", "all")));
        fixture.ingest("boiler-2", 1, Map.of("temperature", 85.0));
        String open = say("status boiler-2");
        String alertId = fixture.alerts.list(AlertState.OPEN, "boiler-2", null, 5, null).items().get(0).id();
        assertTrue(open.endsWith("Open alerts:\n• `" + alertId + "` Hot on `boiler-2` — warning, open since 09:59 UTC"), open);
        fixture.alerts.resolve(alertId, "test", null);
        fixture.clock.advance(Duration.ofMinutes(1));
        String resolved = say("status boiler-2");
        assertTrue(resolved.endsWith("No open alerts.\nResolved in the last 24 h:\n• `" + alertId + "` Hot — warning, 09:59 UTC to 10:00 UTC"),
                resolved);
    }

    @Test
    void statusWithoutADeviceUsesTheOneTalkedAboutOrAsks() {
        assertEquals("Which device? For example `status boiler-1`; `devices` lists them.", say("status"));
        say("temperature of gh-1");
        assertTrue(say("status").startsWith("`gh-1` is online"));
        assertEquals(IntentType.STATUS, fixture.conversation("generic:ops").lastIntent());
        assertEquals("temperature", fixture.conversation("generic:ops").lastMetric(), "the metric stays for later follow-ups");
    }

    @Test
    void whatAboutAnotherDeviceAfterAStatusAsksForItsStatus() {
        say("status boiler-1");
        assertTrue(say("what about gh-1?").startsWith("`gh-1` is online, last seen 10 min ago"));
    }

    @Test
    void anUnknownDeviceIsNamedWithTheClosestKnownOne() {
        assertEquals("I don't know a device `boiler-7`. Did you mean `boiler-1`?", say("status boiler-7"));
        assertEquals("I don't know a device `zebra-99`. `devices` lists them.", say("status zebra-99"));
    }
}
