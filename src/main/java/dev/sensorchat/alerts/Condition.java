package dev.sensorchat.alerts;

/** {@code value <operator> threshold}, e.g. {@code temperature > 80}. */
public record Condition(Operator operator, double threshold) {

    public boolean test(double value) {
        return operator.test(value, threshold);
    }

    /** The exact opposite, used as the clear condition when a rule gives none. */
    public Condition negated() {
        return switch (operator) {
            case GT -> new Condition(Operator.LE, threshold);
            case GE -> new Condition(Operator.LT, threshold);
            case LT -> new Condition(Operator.GE, threshold);
            case LE -> new Condition(Operator.GT, threshold);
        };
    }
}
