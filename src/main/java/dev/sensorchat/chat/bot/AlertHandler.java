package dev.sensorchat.chat.bot;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.NotFoundException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/** "alerts" (by severity or device), "ack al-…" and "resolve al-…", recorded as done by the writer. */
public final class AlertHandler implements Handler {

    private static final Set<IntentType> ANSWERS = EnumSet.of(IntentType.ALERTS, IntentType.ACK, IntentType.RESOLVE);
    private final AlertLedger alerts;
    private final Clock clock;

    public AlertHandler(AlertLedger alerts, Clock clock) {
        this.alerts = alerts;
        this.clock = clock;
    }

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        return ANSWERS.contains(intent.type());
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        if (intent.type() == IntentType.ALERTS) {
            return Turn.say(Texts.alerts(OpenAlerts.of(alerts, intent.device(), intent.severity()),
                    Texts.alertFilter(intent.severity(), intent.device()), clock.instant()));
        }
        boolean acknowledge = intent.type() == IntentType.ACK;
        String alertId = intent.alertId();
        try {
            AlertDocument alert = acknowledge ? alerts.acknowledge(alertId, conversation.who(), null)
                    : alerts.resolve(alertId, conversation.who(), null);
            return Turn.say(acknowledge ? Texts.acknowledged(alert) : Texts.resolved(alert));
        } catch (NotFoundException e) {
            return Turn.say(Texts.noSuchAlert(alertId));
        } catch (ConflictException e) {
            return Turn.say(Texts.cannot(acknowledge ? "acknowledge" : "resolve", alertId, e.getMessage()));
        }
    }
}
