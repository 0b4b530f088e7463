package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.chat.ChatBot;
import org.junit.jupiter.api.Test;

class HelpHandlerTest {

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();

    private String say(String text) {
        return fixture.say(bot, "ops", text).markdown();
    }

    @Test
    void helpShowsAnExampleOfEachCapability() {
        String help = say("help");
        assertTrue(help.startsWith("I know your devices, their readings and alerts. Try:\n"), help);
        for (String example : new String[] {"`devices`", "`status boiler-1`", "`temperature of boiler-1 last hour`", "`and humidity?`",
                "`ack al-…`", "`delete rule <id>`", "`subscribe boiler-1`", "`report yesterday`"}) {
            assertTrue(help.contains(example), example);
        }
    }

    @Test
    void whatIsNotUnderstoodPointsToHelp() {
        assertEquals("Sorry, I didn't get that. Did you mean `help`? Say `help` for what I can do.", say("make me a sandwich"));
    }
}
