package dev.sensorchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.alerts.Condition;
import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.channels.IncomingMessage;
import dev.sensorchat.chat.channels.ReplyAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextsTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void numbersHaveAtMostTwoDecimalsAndNoTrailingZeros() {
        assertEquals("21.57", Texts.number(21.5678));
        assertEquals("21.5", Texts.number(21.50));
        assertEquals("1000", Texts.number(1000));
        assertEquals("0", Texts.number(-0.001));
        assertEquals("12,345", Texts.count(12_345));
    }

    @Test
    void timesAreShortTodayAndDatedOtherwise() {
        assertEquals("09:55 UTC", Texts.time(Instant.parse("2026-11-20T09:55:00Z"), NOW));
        assertEquals("Nov 19 23:05 UTC", Texts.time(Instant.parse("2026-11-19T23:05:00Z"), NOW));
        assertEquals("just now", Texts.ago(NOW.minusSeconds(59), NOW));
        assertEquals("5 min ago", Texts.ago(NOW.minusSeconds(300), NOW));
        assertEquals("47 h ago", Texts.ago(NOW.minusSeconds(47 * 3600), NOW));
        assertEquals("3 days ago", Texts.ago(NOW.minusSeconds(3 * 86400), NOW));
    }

    @Test
    void sparklinesSpanTheRangeAndAverageDownToTheirWidth() {
        assertEquals("▁▅█", Texts.sparkline(List.of(1.0, 2.0, 3.0)));
        assertEquals("▄▄", Texts.sparkline(List.of(5.0, 5.0)));
        assertEquals(Texts.SPARKLINE_WIDTH, Texts.sparkline(java.util.Collections.nCopies(100, 1.0)).length());
    }

    @Test
    void aRuleReadsAsItsConditionScopeWaitAndSeverity() {
        Rule rule = new Rule("r", "r", RuleScope.tag("greenhouse"), "humidity", Operator.GT, 80.5, 7200L, null,
                new Condition(Operator.LE, 70), Severity.CRITICAL, true, null, null, null);
        assertEquals("**humidity > 80.5** on devices tagged `greenhouse`, held 2 h, clears at <= 70, critical", Texts.rule(rule));
    }

    @Test
    void conversationDocumentIdsHoldNoReservedCharactersAndStayShort() {
        IncomingMessage odd = new IncomingMessage("slack", "1", "T1/C2?x#y\\z", "u", null, "hi", new ReplyAddress("slack", Map.of()), 0);
        assertEquals("slack:T1_C2_x_y_z", ChatBot.conversationKey(odd));
        IncomingMessage thread = new IncomingMessage("teams", "1", "a".repeat(300), "u", null, "hi", new ReplyAddress("teams", Map.of()), 0, "b");
        assertEquals("teams:" + ChatBot.sha256("teams:" + "a".repeat(300)).substring(0, 40), ChatBot.conversationKey(thread));
        assertEquals("teams:b", ChatBot.audienceKey(thread));
    }
}
