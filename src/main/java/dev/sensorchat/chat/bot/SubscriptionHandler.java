package dev.sensorchat.chat.bot;

import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.ChatDirectory;
import dev.sensorchat.chat.ConversationDocument.Subscription;
import dev.sensorchat.chat.ConversationDocument;
import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * "subscribe …", "unsubscribe [...]" and "subscriptions". Subscriptions belong to the audience
 * (a Teams thread's channel, else the conversation itself), so every thread of a channel sees and
 * changes the same ones.
 */
public final class SubscriptionHandler implements Handler {

    private static final Set<IntentType> ANSWERS = EnumSet.of(IntentType.SUBSCRIBE, IntentType.UNSUBSCRIBE, IntentType.SUBSCRIPTIONS);
    private final ChatDirectory directory;
    private final Predicate<String> canNotify;

    /** @param canNotify whether a channel is configured to send notifications */
    public SubscriptionHandler(ChatDirectory directory, Predicate<String> canNotify) {
        this.directory = directory;
        this.canNotify = canNotify;
    }

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        return ANSWERS.contains(intent.type());
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        List<Subscription> current = subscriptions(conversation.audience());
        return switch (intent.type()) {
            case SUBSCRIBE -> subscribe(intent, conversation.message().channel());
            case UNSUBSCRIBE -> unsubscribe(intent.scope(), current);
            default -> Turn.say(Texts.subscriptions(current));
        };
    }

    private Turn subscribe(Intent intent, String channel) {
        RuleScope scope = intent.scope() != null ? intent.scope() : RuleScope.all();
        if (scope.kind() == RuleScope.Kind.DEVICE && directory.registry().find(scope.value()).isEmpty()) {
            return Turn.say(Texts.unknownDevice(scope.value(), directory.closest(scope.value())));
        }
        Subscription subscription = new Subscription(scope, intent.severity() != null ? intent.severity() : Severity.INFO);
        return Turn.forAudience(Texts.subscribed(subscription, canNotify.test(channel) ? null : channel),
                s -> s.withSubscriptions(s.subscribing(subscription)));
    }

    /** @param scope null for every subscription */
    private static Turn unsubscribe(RuleScope scope, List<Subscription> current) {
        if (scope == null) {
            return Turn.forAudience(Texts.unsubscribedFromAll(!current.isEmpty()), s -> s.withSubscriptions(List.of()));
        }
        boolean found = current.stream().anyMatch(subscription -> subscription.scope().equals(scope));
        return Turn.forAudience(found ? Texts.unsubscribed(scope) : Texts.notSubscribed(scope, current),
                s -> s.withSubscriptions(subscriptions(s).stream().filter(sub -> !sub.scope().equals(scope)).toList()));
    }

    private static List<Subscription> subscriptions(ConversationDocument audience) {
        return audience.subscriptions() == null ? List.of() : audience.subscriptions();
    }
}
