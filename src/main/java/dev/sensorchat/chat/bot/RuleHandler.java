package dev.sensorchat.chat.bot;

import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleService;
import dev.sensorchat.chat.ChatBot;
import dev.sensorchat.chat.ConversationDocument.CreateRule;
import dev.sensorchat.chat.ConversationDocument.DeleteRule;
import dev.sensorchat.chat.ConversationDocument.PendingAction;
import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.chat.language.RuleDraft;
import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * "rules", and rule changes that wait for confirmation: "alert me when …" and "delete rule …"
 * propose, "yes" carries out, "no" cancels. The proposal is remembered in the conversation for
 * {@link #CONFIRMATION_TIMEOUT}.
 */
public final class RuleHandler implements Handler {

    private static final Set<IntentType> ANSWERS =
            EnumSet.of(IntentType.RULES, IntentType.CREATE_RULE, IntentType.DELETE_RULE, IntentType.YES, IntentType.NO);
    public static final Duration CONFIRMATION_TIMEOUT = Duration.ofMinutes(5);

    private final RuleService rules;
    private final Clock clock;

    public RuleHandler(RuleService rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        return ANSWERS.contains(intent.type());
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        PendingAction pending = conversation.state().pending();
        return switch (intent.type()) {
            case RULES -> Turn.say(Texts.rules(rules.list(100, null).items()));
            case CREATE_RULE -> proposeRule(intent.rule(), conversation);
            case DELETE_RULE -> proposeDeletion(intent.ruleId());
            case YES -> confirm(pending);
            default -> pending == null ? Turn.say(Texts.NOTHING_TO_CANCEL)
                    : Turn.remembering(Texts.cancelled(pending), s -> s.withPending(null));
        };
    }

    private Turn proposeRule(RuleDraft draft, Conversation conversation) {
        // One id per message, so a redelivered message proposes the same rule.
        String id = "r-" + ChatBot.sha256(conversation.key() + "\n" + conversation.message().messageId()).substring(0, 8);
        Rule rule;
        try {
            rule = rules.validate(draft.toRule(id, Texts.ruleName(draft.metric(), draft.operator().symbol(), draft.threshold())));
        } catch (ValidationException e) {
            return Turn.say(Texts.invalidRule(e.getMessage()));
        }
        return propose(new CreateRule(rule, clock.instant().plus(CONFIRMATION_TIMEOUT)));
    }

    private Turn proposeDeletion(String ruleId) {
        Optional<Rule> rule = rules.find(ruleId);
        if (rule.isEmpty()) {
            return Turn.say(Texts.noSuchRule(ruleId));
        }
        return propose(new DeleteRule(rule.get(), clock.instant().plus(CONFIRMATION_TIMEOUT)));
    }

    private static Turn propose(PendingAction action) {
        return Turn.remembering(Texts.proposal(action), s -> s.withPending(action)).offering(Texts.CONFIRM);
    }

    private Turn confirm(PendingAction pending) {
        if (pending == null) {
            return Turn.say(Texts.NOTHING_PENDING);
        }
        if (clock.instant().isAfter(pending.expiresAt())) {
            return Turn.remembering(Texts.EXPIRED, s -> s.withPending(null));
        }
        if (pending instanceof CreateRule) {
            try {
                rules.create(pending.rule());
            } catch (ConflictException alreadySaved) {
                // a retried confirmation: the rule is there, which is what was asked
            }
        } else {
            rules.delete(pending.rule().id());
        }
        return Turn.remembering(Texts.done(pending), s -> s.withPending(null));
    }
}
