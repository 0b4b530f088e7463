package dev.sensorchat.chat.language;

import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;

/**
 * A rule as understood from a sentence such as "alert me when temperature > 30 on boiler-1 for
 * 5 minutes", before the person confirms it.
 */
public record RuleDraft(String metric, Operator operator, double threshold, RuleScope scope, Long holdSeconds,
                        Integer consecutive, Severity severity) {
}
