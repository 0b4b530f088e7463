package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.chat.ChatBot;
import org.junit.jupiter.api.Test;

class ReportHandlerTest {

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();

    private String say(String text) {
        return fixture.say(bot, "ops", text).markdown();
    }

    @Test
    void aDevicesReportSummarisesItsMetricsAndLinksTheFullReport() {
        String reply = say("report for boiler-1 today");
        // Today so far, rounded out to whole hours: it is 10:00.
        assertTrue(reply.startsWith("**Report: today** (2026-11-20T00:00:00Z to 2026-11-20T10:00:00Z) on `boiler-1`\n"), reply);
        assertTrue(reply.contains("\n• 1 device, 1 reporting, availability "), reply);
        assertTrue(reply.contains("\n• 20 readings\n"), "10 messages of two metrics: " + reply);
        assertTrue(reply.contains("\n• alerts: 0 opened, 0 resolved, 0 open at the end"), reply);
        assertTrue(reply.contains("\n• humidity: min 40, avg 44.5, max 49\n• temperature: min 60, avg 69, max 78"), reply);
        assertTrue(reply.matches("(?s).*\\nFull report \\(HTML, for one hour\\): http://\\S+fleet\\.html\\?\\S+"), reply);
    }

    @Test
    void aReportWithoutARangeCoversYesterdayForTheWholeFleet() {
        String reply = say("report");
        assertTrue(reply.startsWith("**Report: yesterday** (2026-11-19T00:00:00Z to 2026-11-20T00:00:00Z) on all devices\n"
                + "• 3 devices, 0 reporting, availability 0 %\n• 0 readings"), reply);
    }

    @Test
    void aTagsReportCoversItsDevices() {
        assertTrue(say("report tag greenhouse today").contains("on devices tagged `greenhouse`\n• 1 device, 1 reporting"));
    }

    @Test
    void aReportThatCannotBeMadeSaysWhy() {
        assertEquals("I don't know a device `boiler-7`. Did you mean `boiler-1`?", say("report for boiler-7 today"));
        assertEquals("I can't make that report: a report covers at most 93 days.", say("report last 200 days"));
    }
}
