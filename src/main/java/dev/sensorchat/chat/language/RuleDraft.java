package dev.sensorchat.chat.language;

import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;

/**
 * A rule as understood from a sentence such as "alert me when temperature > 30 on boiler-1 for
 * 5 minutes", before the person confirms it.
 */
public record RuleDraft(String metric, Operator operator, double threshold, RuleScope scope, Long holdSeconds,
                        Integer consecutive, Severity severity) {

    /** The rule this draft describes, enabled, not yet validated or stored. */
    public Rule toRule(String id, String name) {
        return new Rule(id, name, scope, metric, operator, threshold, holdSeconds, consecutive, null, severity, true, null, null, null);
    }
}
