package dev.sensorchat.chat.bot;

import dev.sensorchat.alerts.AlertDocument;
import dev.sensorchat.alerts.AlertLedger;
import dev.sensorchat.alerts.AlertState;
import dev.sensorchat.alerts.Severity;
import dev.sensorchat.chat.Texts;
import java.util.ArrayList;
import java.util.List;

/** Open and acknowledged alerts, newest first: what alert lists and device status show. */
final class OpenAlerts {

    private OpenAlerts() {
    }

    /** @param deviceId null for every device; @param severity null for any */
    static List<AlertDocument> of(AlertLedger alerts, String deviceId, Severity severity) {
        List<AlertDocument> active = new ArrayList<>();
        for (AlertState state : List.of(AlertState.OPEN, AlertState.ACKNOWLEDGED)) {
            active.addAll(alerts.list(state, deviceId, severity, Texts.MAX_LISTED, null).items());
        }
        active.sort((a, b) -> b.openedAt().compareTo(a.openedAt()));
        return active;
    }
}
