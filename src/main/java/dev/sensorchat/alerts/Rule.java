package dev.sensorchat.alerts;

import java.time.Duration;
import java.time.Instant;

/**
 * An alert rule, as stored in the {@code rules} container (partition key {@code id}).
 *
 * @param id          stable id, chosen by the creator
 * @param name        shown in alerts and chat
 * @param scope       the devices it watches
 * @param metric      the metric it reads
 * @param operator    raise when {@code metric operator threshold} ...
 * @param threshold   ... holds
 * @param holdSeconds if set: only after the condition has held this long (DURATION)
 * @param consecutive if set (> 1): only after this many matching readings in a row (REPEATING)
 * @param clear       resolve when this holds (hysteresis); null means "when the raise condition no longer holds"
 * @param severity    info, warning or critical
 * @param enabled     disabled rules are kept but not evaluated
 * @param updatedAt   last change, set by the API
 * @param deleted     true once deleted through the API: the document stays for {@code ttl} seconds
 *                    so that other instances see the deletion in the change feed
 * @param ttl         Cosmos DB time to live; set only on deleted rules
 */
public record Rule(String id, String name, RuleScope scope, String metric, Operator operator, double threshold,
                   Long holdSeconds, Integer consecutive, Condition clear, Severity severity, boolean enabled,
                   Instant updatedAt, Boolean deleted, Integer ttl) {

    /** Seconds a deleted rule's document stays, long enough for every instance's cache to notice. */
    public static final int DELETED_RULE_TTL_SECONDS = 300;

    public boolean isDeleted() {
        return Boolean.TRUE.equals(deleted);
    }

    public Rule markDeleted(Instant at) {
        return new Rule(id, name, scope, metric, operator, threshold, holdSeconds, consecutive, clear, severity, false,
                at, true, DELETED_RULE_TTL_SECONDS);
    }

    public Condition raise() {
        return new Condition(operator, threshold);
    }

    public Condition clearCondition() {
        return clear != null ? clear : raise().negated();
    }

    public Duration hold() {
        return holdSeconds == null ? Duration.ZERO : Duration.ofSeconds(holdSeconds);
    }

    public int requiredConsecutive() {
        return consecutive == null ? 1 : consecutive;
    }
}
