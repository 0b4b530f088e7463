package dev.sensorchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What the bot says about a delivery itself, as opposed to about the fleet. */
final class BotTexts {

    static final String STILL_WORKING = "Still working on that message; the answer will follow.";
    /** A message older than this was held up (a platform retrying through an outage): say so. */
    static final Duration LATE_AFTER = Duration.ofMinutes(5);

    private BotTexts() {
    }

    /** A line that opens the answer to a message that arrived late, or empty. */
    static Optional<String> late(long sentAtEpochSeconds, Instant now) {
        if (sentAtEpochSeconds <= 0) {
            return Optional.empty();
        }
        Instant sent = Instant.ofEpochSecond(sentAtEpochSeconds);
        if (Duration.between(sent, now).compareTo(LATE_AFTER) <= 0) {
            return Optional.empty();
        }
        return Optional.of("(Your message from " + Texts.time(sent, now) + " reached me only now, " + Texts.ago(sent, now)
                + ". This answer is as of now.)\n");
    }
}
