package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.auth.Role;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.common.Json;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertHandlerTest {

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();
    private String hot;
    private String damp;

    private String say(String text) {
        return fixture.say(bot, "ops", text).markdown();
    }

    @BeforeEach
    void twoOpenAlerts() {
        rule("hot", "temperature", ">", 80, "warning");
        rule("damp", "humidity", ">", 90, "critical");
        fixture.ingest("boiler-2", 3, Map.of("temperature", 85.0));
        fixture.ingest("gh-1", 2, Map.of("humidity", 95.0));
        hot = fixture.alerts.list(AlertState.OPEN, "boiler-2", null, 5, null).items().get(0).id();
        damp = fixture.alerts.list(AlertState.OPEN, "gh-1", null, 5, null).items().get(0).id();
    }

    private void rule(String id, String metric, String operator, double threshold, String severity) {
        fixture.rules.create(Json.MAPPER.createObjectNode().put("id", id).put("name", id).put("metric", metric).put("operator", operator)
                .put("threshold", threshold).put("severity", severity).set("scope", Json.MAPPER.createObjectNode().put("kind", "all")));
    }

    @Test
    void openAlertsAreListedNewestFirstWithWhatToSay() {
        assertEquals("**2 open alerts**\n"
                + "• `" + damp + "` damp on `gh-1` — critical, open since 09:58 UTC\n"
                + "• `" + hot + "` hot on `boiler-2` — warning, open since 09:57 UTC\n"
                + "Say `ack <id>` or `resolve <id>`.", say("alerts"));
    }

    @Test
    void alertsAreFilteredBySeverityAndDevice() {
        assertTrue(say("alerts critical").startsWith("**1 open critical alert**\n• `" + damp + "`"));
        assertTrue(say("alerts on boiler-2").startsWith("**1 open on `boiler-2` alert**\n• `" + hot + "`"));
        assertEquals("No open info alerts.", say("alerts info"));
    }

    @Test
    void anAcknowledgementIsRecordedWithWhoMadeItAndAcknowledgedAlertsStayListed() {
        assertEquals("Acknowledged `" + hot + "`: hot on `boiler-2`.", say("ack " + hot));
        AlertDocument alert = fixture.alerts.find(hot).orElseThrow();
        assertEquals(AlertState.ACKNOWLEDGED, alert.state());
        assertEquals("generic:Ada", alert.transitions().get(1).by());
        assertTrue(say("alerts").contains("`" + hot + "` hot on `boiler-2` — warning, acknowledged since 09:57 UTC"));
    }

    @Test
    void aWebUserActsOnAlertsOnlyWithARoleThatMayAndIsToldWhichRoleItTakes() {
        String refused = bot.reply(fixture.web("vera", Role.VIEWER, "ack " + hot)).markdown();
        assertEquals("Your role (viewer) cannot do that; it needs operator. Ask an admin for the role.", refused);
        assertEquals(AlertState.OPEN, fixture.alerts.find(hot).orElseThrow().state(), "nothing happened");
        assertTrue(bot.reply(fixture.web("vera", Role.VIEWER, "alerts")).markdown().startsWith("**2 open alerts**"), "asking is a viewer's");
        assertTrue(bot.reply(fixture.web("vera", Role.VIEWER, "report yesterday")).markdown().endsWith("it needs admin. Ask an admin for the role."));

        assertEquals("Resolved `" + damp + "`: damp on `gh-1`.", bot.reply(fixture.web("olga", Role.OPERATOR, "resolve " + damp)).markdown());
        assertEquals("web:olga", fixture.alerts.find(damp).orElseThrow().transitions().get(1).by());
        // Platform channels carry no role: their members act as before.
        assertEquals("Acknowledged `" + hot + "`: hot on `boiler-2`.", say("ack " + hot));
    }

    @Test
    void aSecondAcknowledgementSaysWhyNot() {
        say("ack " + hot);
        assertEquals("Can't acknowledge `" + hot + "`: alert " + hot + " is acknowledged; only open alerts can be acknowledged.",
                say("ack " + hot));
    }

    @Test
    void resolvingClosesTheAlertOnce() {
        assertEquals("Resolved `" + damp + "`: damp on `gh-1`.", say("resolve " + damp));
        assertEquals(AlertState.RESOLVED, fixture.alerts.find(damp).orElseThrow().state());
        assertEquals("Can't resolve `" + damp + "`: alert " + damp + " is already resolved.", say("resolve " + damp));
        assertTrue(say("alerts").startsWith("**1 open alert**"));
    }

    @Test
    void anUnknownAlertIsSaidToBeUnknown() {
        assertEquals("There is no alert `al-000000000000`. `alerts` lists the open ones.", say("ack al-000000000000"));
        assertEquals("There is no alert `al-000000000000`. `alerts` lists the open ones.", say("resolve al-000000000000"));
    }
}
