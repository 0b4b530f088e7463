package dev.sensorchat.simulators.chat;

import java.util.Locale;

/** The platforms the client can act as; the name is also the webhook's route segment. */
public enum Channel {
    GENERIC, TELEGRAM, TEAMS, SLACK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
