package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.ConversationDocument.Subscription;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionHandlerTest {

    private static final String CHANNEL = "19:ops@thread.skype";

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();

    private String say(String text) {
        return fixture.say(bot, "ops", text).markdown();
    }

    private String inThread(String thread, String text) {
        return bot.reply(fixture.teamsThread(CHANNEL, thread, text)).markdown();
    }

    @Test
    void subscribingSaysWhatWillArriveAndKeepsOneSubscriptionPerScope() {
        assertEquals("Subscribed to critical and higher alerts on `boiler-1`. I'll write here when one opens or resolves.",
                say("subscribe boiler-1 critical"));
        assertEquals("Subscribed to all alerts on devices tagged `greenhouse`. I'll write here when one opens or resolves.",
                say("subscribe tag greenhouse"));
        say("subscribe boiler-1 warning");
        assertEquals(List.of(new Subscription(RuleScope.tag("greenhouse"), Severity.INFO),
                new Subscription(RuleScope.device("boiler-1"), Severity.WARNING)), fixture.conversation("generic:ops").subscriptions());
        assertEquals("Subscriptions:\n• alerts on devices tagged `greenhouse`\n• alerts on `boiler-1`, warning and higher", say("subscriptions"));
    }

    @Test
    void anUnknownDeviceIsNotSubscribedTo() {
        assertEquals("I don't know a device `boiler-7`. Did you mean `boiler-1`?", say("subscribe boiler-7"));
        assertEquals(List.of(), fixture.conversation("generic:ops").subscriptions());
    }

    @Test
    void aChannelWithoutNotificationsIsToldSo() {
        assertEquals("Subscribed to all alerts on all devices. I'll write here when one opens or resolves.\n"
                + "(Notifications for teams are not configured yet, so none will arrive until they are.)", inThread("t1", "subscribe"));
    }

    @Test
    void unsubscribingRemovesOneScopeOrAll() {
        say("subscribe boiler-1");
        say("subscribe gh-1 critical");
        assertEquals("You weren't subscribed to alerts on `boiler-2`. Subscriptions:\n• alerts on `boiler-1`\n• alerts on `gh-1`, critical and higher",
                say("unsubscribe boiler-2"));
        assertEquals("Unsubscribed from alerts on `boiler-1`.", say("unsubscribe boiler-1"));
        assertEquals(List.of(new Subscription(RuleScope.device("gh-1"), Severity.CRITICAL)), fixture.conversation("generic:ops").subscriptions());
        assertEquals("Unsubscribed from everything.", say("unsubscribe"));
        assertEquals("You have no subscriptions.", say("unsubscribe"));
        assertEquals("No subscriptions. Try `subscribe boiler-1` or `subscribe all critical`.", say("subscriptions"));
    }

    @Test
    void aTeamsThreadSubscribesItsChannel() {
        inThread("t1", "subscribe boiler-1");
        assertEquals(List.of(new Subscription(RuleScope.device("boiler-1"), Severity.INFO)),
                fixture.conversation("teams:" + CHANNEL).subscriptions(), "on the channel, where notifications go");
        assertEquals(List.of(), fixture.conversation("teams:" + CHANNEL + ";messageid=t1").subscriptions(), "not on the thread");
        assertEquals("Subscriptions:\n• alerts on `boiler-1`", inThread("t2", "subscriptions"), "every thread sees the channel's");
    }

    @Test
    void unsubscribingFromATeamsThreadRemovesTheChannelsSubscription() {
        inThread("t1", "subscribe boiler-1");
        assertEquals("Unsubscribed from alerts on `boiler-1`.", inThread("t2", "unsubscribe boiler-1"));
        assertEquals(List.of(), fixture.conversation("teams:" + CHANNEL).subscriptions());
        assertEquals("No subscriptions. Try `subscribe boiler-1` or `subscribe all critical`.", inThread("t1", "subscriptions"));
    }
}
