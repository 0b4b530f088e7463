package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.channels.Reply;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.common.Json;
import dev.sensorchat.storage.Containers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher: which handler answers, and what is saved where. */
class ChatBotTest {

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();

    @Test
    void everyKindOfMessageIsAnswered() {
        List<String> messages = List.of("help", "devices", "status boiler-1", "temperature of boiler-1", "what about gh-1?", "alerts",
                "ack al-000000000000", "resolve al-000000000000", "rules", "alert me when temperature > 80 on boiler-2", "no",
                "delete rule nope", "yes", "subscribe boiler-1", "subscriptions", "unsubscribe", "report today", "make me a sandwich");
        for (String text : messages) {
            Reply reply = fixture.say(bot, "ops", text);
            assertFalse(reply.markdown().isBlank(), text);
        }
    }

    @Test
    void aMessageNoHandlerTakesIsAnError() {
        ChatBot helpless = new ChatBot(fixture.directory, fixture.conversations, fixture.clock, List.of(new HelpHandler()));
        assertEquals("no handler answers DEVICES",
                assertThrows(IllegalStateException.class, () -> fixture.say(helpless, "ops", "devices")).getMessage());
    }

    @Test
    void dialogueStateStaysInTheThreadAndSubscriptionsGoToTheChannel() {
        String channel = "19:ops@thread.skype";
        bot.reply(fixture.teamsThread(channel, "t1", "temperature of boiler-1"));
        bot.reply(fixture.teamsThread(channel, "t1", "subscribe boiler-1"));
        assertEquals("Which device? For example `humidity of boiler-1 last hour`.",
                bot.reply(fixture.teamsThread(channel, "t2", "and humidity?")).markdown(), "another thread has its own dialogue");
        assertTrue(bot.reply(fixture.teamsThread(channel, "t1", "and humidity?")).markdown().startsWith("**humidity** of **Boiler One**"));

        ConversationDocument thread = fixture.conversation("teams:" + channel + ";messageid=t1");
        assertEquals(IntentType.METRIC, thread.lastIntent());
        assertEquals(List.of(), thread.subscriptions());
        ConversationDocument audience = fixture.conversation("teams:" + channel);
        assertNull(audience.lastIntent(), "the channel holds no dialogue");
        assertEquals(1, audience.subscriptions().size());
    }

    @Test
    void elsewhereOneDocumentHoldsDialogueAndSubscriptions() {
        fixture.say(bot, "ops", "temperature of boiler-1");
        fixture.say(bot, "ops", "subscribe boiler-1");
        ConversationDocument conversation = fixture.conversation("generic:ops");
        assertEquals("temperature", conversation.lastMetric());
        assertEquals(1, conversation.subscriptions().size());
        assertEquals(1, fixture.stores.container(Containers.CONVERSATIONS).size(), "one document");
    }

    @Test
    void aConversationStoredByTheUntypedVersionStillLoads() {
        ObjectNode old = (ObjectNode) Json.MAPPER.valueToTree(fixture.conversation(start("generic:legacy")));
        old.put("lastIntent", "METRIC").put("lastDevice", "boiler-1").put("lastMetric", "temperature");
        old.putObject("pending").put("action", "create_rule").put("ruleId", "r-12345678")
                .put("ruleJson", "{\"id\":\"r-12345678\",\"metric\":\"temperature\"}").put("description", "rule `r-12345678`")
                .put("expiresAt", "2026-11-20T10:04:00.000Z");
        fixture.stores.container(Containers.CONVERSATIONS).upsert("generic:legacy", old);

        ConversationDocument loaded = fixture.conversation("generic:legacy");
        assertEquals(IntentType.METRIC, loaded.lastIntent());
        assertNull(loaded.pending(), "an untyped pending action is dropped");
        assertTrue(fixture.say(bot, "legacy", "and humidity?").markdown().startsWith("**humidity** of **Boiler One** (`boiler-1`)"));
        assertEquals("There's nothing waiting for a yes.", fixture.say(bot, "legacy", "yes").markdown());
    }

    @Test
    void aStoredProposalSurvivesTheRoundTrip() {
        fixture.say(bot, "ops", "alert me when temperature > 80 on boiler-2");
        assertTrue(fixture.say(fixture.bot(), "ops", "yes").markdown().startsWith("Saved rule `r-"), "another instance confirms it");
    }

    /** A fresh conversation document, as the bot writes it on a first message. */
    private String start(String key) {
        fixture.say(bot, key.substring("generic:".length()), "help");
        return key;
    }
}
