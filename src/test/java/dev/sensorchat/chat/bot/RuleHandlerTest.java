package dev.sensorchat.chat.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.channels.Reply;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RuleHandlerTest {

    private static final List<Reply.Choice> YES_NO = List.of(new Reply.Choice("Yes", "yes"), new Reply.Choice("No", "no"));
    private static final Pattern RULE_ID = Pattern.compile("r-[0-9a-f]{8}");

    private final BotFixture fixture = new BotFixture().withFleet();
    private final ChatBot bot = fixture.bot();

    private Reply reply(String text) {
        return fixture.say(bot, "ops", text);
    }

    private String say(String text) {
        return reply(text).markdown();
    }

    private static String ruleId(String text) {
        Matcher matcher = RULE_ID.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group();
    }

    @Test
    void aRuleIsProposedWithYesAndNoAndSavedOnlyOnYes() {
        Reply proposal = reply("alert me when temperature > 30 on boiler-1 for 5 minutes");
        String id = ruleId(proposal.markdown());
        assertEquals("I'll create rule `" + id + "`: **temperature > 30** on `boiler-1`, held 5 min, warning.\n"
                + "Reply **yes** to save it or **no** to cancel.", proposal.markdown());
        assertEquals(YES_NO, proposal.choices());
        assertTrue(fixture.rules.find(id).isEmpty(), "nothing saved before the yes");

        assertEquals("Saved rule `" + id + "`: **temperature > 30** on `boiler-1`, held 5 min, warning.", say("yes"));
        Rule saved = fixture.rules.find(id).orElseThrow();
        assertEquals(List.of("temperature > 30", RuleScope.device("boiler-1"), "temperature", Operator.GT, 30.0, 300L, Severity.WARNING, true),
                List.of(saved.name(), saved.scope(), saved.metric(), saved.operator(), saved.threshold(), saved.holdSeconds(),
                        saved.severity(), saved.enabled()));
        assertNull(saved.consecutive());
        assertNull(fixture.conversation("generic:ops").pending());
        assertEquals("There's nothing waiting for a yes.", say("yes"));
    }

    @Test
    void theProposalIsKeptAsATypedRule() {
        String id = ruleId(say("alert me when humidity < 20 on tag greenhouse 3 times critical"));
        ConversationDocument.PendingAction pending = fixture.conversation("generic:ops").pending();
        ConversationDocument.CreateRule create = assertInstanceOf(ConversationDocument.CreateRule.class, pending);
        assertEquals(id, create.rule().id());
        assertEquals(RuleScope.tag("greenhouse"), create.rule().scope());
        assertEquals(3, create.rule().consecutive());
        assertEquals(Severity.CRITICAL, create.rule().severity());
        assertEquals(BotFixture.NOW.plus(RuleHandler.CONFIRMATION_TIMEOUT), create.expiresAt());
    }

    @Test
    void aRuleTheServiceRefusesIsExplained() {
        assertEquals("I can't make that rule: consecutive: must be a whole number from 2 to 1000.",
                say("alert me when temperature > 30 on boiler-1 5000 times"));
        assertEquals("I can't make that rule: holdSeconds: must be a whole number from 1 to 86400.",
                say("alert me when temperature > 30 on boiler-1 for 30 hours"));
        assertNull(fixture.conversation("generic:ops").pending());
    }

    @Test
    void noCancelsWhatWasProposed() {
        String id = ruleId(say("alert me when temperature > 80 on boiler-2"));
        assertEquals("Cancelled: rule `" + id + "`: **temperature > 80** on `boiler-2`, warning.", say("no"));
        assertTrue(fixture.rules.find(id).isEmpty());
        assertEquals("OK.", say("no"));
    }

    @Test
    void anExpiredConfirmationSaysSoAndChangesNothing() {
        String id = ruleId(say("alert me when temperature > 80 on boiler-2"));
        fixture.clock.advance(RuleHandler.CONFIRMATION_TIMEOUT.plus(Duration.ofSeconds(1)));
        assertEquals("That request expired; please ask again.", say("yes"));
        assertTrue(fixture.rules.find(id).isEmpty());
        assertEquals("There's nothing waiting for a yes.", say("yes"));
    }

    @Test
    void aDeletionIsProposedAndDoneOnYes() {
        String id = ruleId(say("alert me when temperature > 80 on boiler-2"));
        say("yes");
        Reply proposal = reply("delete rule " + id);
        assertEquals("Delete rule `" + id + "`: **temperature > 80** on `boiler-2`, warning?\nReply **yes** to delete it or **no** to keep it.",
                proposal.markdown());
        assertEquals(YES_NO, proposal.choices());
        assertEquals("Cancelled: deleting rule `" + id + "` (**temperature > 80** on `boiler-2`, warning).", say("no"));
        assertTrue(fixture.rules.find(id).isPresent());
        say("delete rule " + id);
        assertEquals("Deleted rule `" + id + "`.", say("yes"));
        assertTrue(fixture.rules.find(id).isEmpty());
    }

    @Test
    void rulesAreListed() {
        assertEquals("No rules yet. Try `alert me when temperature > 30 on boiler-1 for 5 minutes`.", say("rules"));
        String id = ruleId(say("alert me when temperature > 80 on boiler-2"));
        say("yes");
        assertEquals("**1 rule**\n• `" + id + "` **temperature > 80** on `boiler-2`, warning", say("rules"));
        assertEquals("There is no rule `nope`. `rules` lists them.", say("delete rule nope"));
    }
}
