package dev.sensorchat.alerts;

import java.time.Instant;

/**
 * What one rule remembers about one device between readings, so a condition can span batches
 * and instances.
 *
 * @param consecutive   matching readings in a row so far (while no alert is open)
 * @param matchingSince when the current run of matching readings began (while no alert is open)
 * @param lastTs        the latest reading evaluated; older readings are not evaluated again
 * @param openAlertId   the open (or acknowledged) alert of this rule on this device, if any
 */
public record RuleState(int consecutive, Instant matchingSince, Instant lastTs, String openAlertId) {

    public static final RuleState INITIAL = new RuleState(0, null, null, null);
}
