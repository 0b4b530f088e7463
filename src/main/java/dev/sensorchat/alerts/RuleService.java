package dev.sensorchat.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.NotFoundException;
import dev.sensorchat.common.PreconditionFailedException;
import dev.sensorchat.common.ValidationException.FieldError;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.storage.CosmosStore;
import dev.sensorchat.storage.Page;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.storage.StoreException;
import dev.sensorchat.storage.Stored;
import dev.sensorchat.telemetry.TelemetryParser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Create, read, update and delete alert rules, with validation that names the bad field. */
public final class RuleService {

    public static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_NAME = 100;
    private static final long MAX_HOLD_SECONDS = 86_400;
    private static final int MAX_CONSECUTIVE = 1_000;

    private final CosmosStore<Rule> store;
    private final RuleCatalog catalog;
    private final Clock clock;

    public RuleService(CosmosStore<Rule> store, RuleCatalog catalog, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Optional<Rule> find(String id) {
        return store.find(id, id).map(Stored::value).filter(rule -> !rule.isDeleted());
    }

    public Page<Rule> list(int limit, String continuation) {
        return store.queryPage(SqlQuery.of("SELECT * FROM c WHERE NOT IS_DEFINED(c.deleted) OR c.deleted = false ORDER BY c.id"),
                limit, continuation);
    }

    /** Creates a rule; its id comes from the body or is generated. A taken id is a conflict. */
    public Rule create(JsonNode body) {
        String id = body != null && body.hasNonNull("id") ? body.get("id").asText() : "rule-" + UUID.randomUUID().toString().substring(0, 8);
        return save(parse(id, body));
    }

    /** Creates a rule built in code (the chat's), checked as {@link #validate} does. A taken id is a conflict. */
    public Rule create(Rule rule) {
        return save(validate(rule));
    }

    private Rule save(Rule rule) {
        String id = rule.id();
        Optional<Stored<Rule>> existing = store.find(id, id);
        try {
            if (existing.isPresent() && existing.get().value().isDeleted()) {
                store.replace(rule, existing.get().etag()); // a deleted rule's id may be reused at once
            } else {
                store.create(rule);
            }
        } catch (StoreException.Conflict | StoreException.StaleDocument e) {
            throw new ConflictException("rule '" + id + "' already exists");
        }
        catalog.invalidate();
        return rule;
    }

    /** The rule with its version (the store's ETag), for conditional updates. */
    public Optional<Stored<Rule>> findVersioned(String id) {
        return store.find(id, id).filter(stored -> !stored.value().isDeleted());
    }

    /** Replaces a rule's definition; its state and open alerts stay with it. */
    public Rule replace(String id, JsonNode body) {
        return replace(id, body, null).value();
    }

    /**
     * Replaces a rule's definition if it is still the version {@code ifMatch} names (null or
     * {@code *}: whichever version is there), so an edit based on a stale read cannot undo
     * another one; {@link PreconditionFailedException} otherwise.
     */
    public Stored<Rule> replace(String id, JsonNode body, String ifMatch) {
        if (body != null && body.hasNonNull("id") && !body.get("id").asText().equals(id)) {
            throw ValidationException.of("id", "must match the rule id in the path, or be left out");
        }
        Rule rule = parse(id, body);
        Stored<Rule> existing = findVersioned(id).orElseThrow(() -> new NotFoundException("rule", id));
        if (ifMatch != null && !ifMatch.equals("*") && !unquoted(ifMatch).equals(unquoted(existing.etag()))) {
            throw new PreconditionFailedException("rule '" + id + "' changed since that version was read; read it again");
        }
        Stored<Rule> replaced;
        try {
            replaced = store.replace(rule, existing.etag());
        } catch (StoreException.StaleDocument e) {
            if (ifMatch != null && !ifMatch.equals("*")) {
                throw new PreconditionFailedException("rule '" + id + "' changed since that version was read; read it again");
            }
            throw new ConflictException("rule '" + id + "' was changed meanwhile; read it again");
        }
        catalog.invalidate();
        return replaced;
    }

    private static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** Deletes the rule; false when there was none. Its open alerts stay and can be resolved by hand. */
    public boolean delete(String id) {
        Optional<Stored<Rule>> existing = store.find(id, id).filter(stored -> !stored.value().isDeleted());
        if (existing.isEmpty()) {
            return false;
        }
        store.upsert(existing.get().value().markDeleted(clock.instant()));
        catalog.invalidate();
        return true;
    }

    /** Reads a rule from a request body; every problem found is reported, each with its field. */
    public Rule parse(String id, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ValidationException.of("", "the body must be a JSON object");
        }
        checkId(id, errors);
        String name = text(body, "name", errors, true);
        if (name != null) {
            checkName(name, errors);
        }
        RuleScope scope = scope(body.get("scope"), errors);
        String metric = text(body, "metric", errors, true);
        if (metric != null) {
            checkMetric(metric, errors);
        }
        Operator operator = operator(body.get("operator"), "operator", errors);
        Double threshold = number(body.get("threshold"), "threshold", errors, true);
        Long holdSeconds = integer(body.get("holdSeconds"), "holdSeconds", 1, MAX_HOLD_SECONDS, errors);
        Long consecutive = integer(body.get("consecutive"), "consecutive", 2, MAX_CONSECUTIVE, errors);
        checkOneWait(holdSeconds, consecutive, errors);
        Condition clear = null;
        JsonNode clearNode = body.get("clear");
        if (clearNode != null && !clearNode.isNull()) {
            if (!clearNode.isObject()) {
                errors.add(new FieldError("clear", "must be an object with operator and threshold"));
            } else {
                Operator clearOperator = operator(clearNode.get("operator"), "clear.operator", errors);
                Double clearThreshold = number(clearNode.get("threshold"), "clear.threshold", errors, true);
                if (clearOperator != null && clearThreshold != null) {
                    clear = new Condition(clearOperator, clearThreshold);
                    if (operator != null && threshold != null) {
                        checkHysteresis(new Condition(operator, threshold), clear, errors);
                    }
                }
            }
        }
        Severity severity = Severity.WARNING;
        JsonNode severityNode = body.get("severity");
        if (severityNode != null && !severityNode.isNull()) {
            try {
                severity = Severity.fromLabel(severityNode.asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("severity", e.getMessage()));
            }
        }
        boolean enabled = true;
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull()) {
            if (!enabledNode.isBoolean()) {
                errors.add(new FieldError("enabled", "must be true or false"));
            } else {
                enabled = enabledNode.booleanValue();
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new Rule(id, name, scope, metric, operator, threshold, holdSeconds,
                consecutive == null ? null : consecutive.intValue(), clear, severity, enabled, clock.instant(), null, null);
    }

    /**
     * Checks a rule built in code with the rules a request body is held to, and returns it as it
     * would be stored (updated now); every problem found is reported, each with its field.
     */
    public Rule validate(Rule rule) {
        List<FieldError> errors = new ArrayList<>();
        checkId(rule.id() == null ? "" : rule.id(), errors);
        if (rule.name() == null) {
            errors.add(new FieldError("name", "is required"));
        } else {
            checkName(rule.name(), errors);
        }
        if (rule.scope() == null || rule.scope().kind() == null) {
            errors.add(new FieldError("scope", "is required: {\"kind\": \"device\" | \"tag\" | \"all\", \"value\": ...}"));
        } else {
            scopeValueError(rule.scope().kind(), rule.scope().value()).ifPresent(message -> errors.add(new FieldError("scope.value", message)));
        }
        if (rule.metric() == null) {
            errors.add(new FieldError("metric", "is required"));
        } else {
            checkMetric(rule.metric(), errors);
        }
        if (rule.operator() == null) {
            errors.add(new FieldError("operator", "is required: >, >=, < or <="));
        }
        if (!Double.isFinite(rule.threshold())) {
            errors.add(new FieldError("threshold", "must be a finite number"));
        }
        checkRange(rule.holdSeconds(), "holdSeconds", 1, MAX_HOLD_SECONDS, errors);
        checkRange(rule.consecutive() == null ? null : rule.consecutive().longValue(), "consecutive", 2, MAX_CONSECUTIVE, errors);
        checkOneWait(rule.holdSeconds(), rule.consecutive(), errors);
        if (rule.clear() != null) {
            if (rule.clear().operator() == null || !Double.isFinite(rule.clear().threshold())) {
                errors.add(new FieldError("clear", "must be an object with operator and threshold"));
            } else if (rule.operator() != null) {
                checkHysteresis(rule.raise(), rule.clear(), errors);
            }
        }
        if (rule.severity() == null) {
            errors.add(new FieldError("severity", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new Rule(rule.id(), rule.name(), rule.scope(), rule.metric(), rule.operator(), rule.threshold(), rule.holdSeconds(),
                rule.consecutive(), rule.clear(), rule.severity(), rule.enabled(), clock.instant(), null, null);
    }

    private static void checkId(String id, List<FieldError> errors) {
        if (!RULE_ID.matcher(id).matches()) {
            errors.add(new FieldError("id", "rule ids are 1-64 letters, digits or ._-"));
        } else if (id.equalsIgnoreCase(AlertDocument.OFFLINE)) {
            // Offline alerts of silent devices carry this rule id: a rule of that id would be taken for them.
            errors.add(new FieldError("id", "'" + AlertDocument.OFFLINE + "' is reserved for the built-in offline alerts of silent devices"));
        }
    }

    private static void checkName(String name, List<FieldError> errors) {
        if (name.isBlank() || name.length() > MAX_NAME) {
            errors.add(new FieldError("name", "must be 1-" + MAX_NAME + " characters"));
        }
    }

    private static void checkMetric(String metric, List<FieldError> errors) {
        if (!TelemetryParser.isMetricName(metric)) {
            errors.add(new FieldError("metric", "metric names are 1-32 letters, digits or '_', starting with a letter"));
        }
    }

    private static void checkRange(Long value, String field, long min, long max, List<FieldError> errors) {
        if (value != null && (value < min || value > max)) {
            errors.add(new FieldError(field, wholeNumberRule(min, max)));
        }
    }

    /** A rule waits for a duration or for readings in a row, not both. */
    private static void checkOneWait(Long holdSeconds, Number consecutive, List<FieldError> errors) {
        if (holdSeconds != null && consecutive != null) {
            errors.add(new FieldError("consecutive", "use holdSeconds or consecutive, not both"));
        }
    }

    private static String wholeNumberRule(long min, long max) {
        return "must be a whole number from " + min + " to " + max;
    }

    /** What is wrong with a scope's value for its kind, if anything. */
    private static Optional<String> scopeValueError(RuleScope.Kind kind, String value) {
        boolean valid = switch (kind) {
            case ALL -> true;
            case DEVICE -> value != null && TelemetryParser.isDeviceId(value);
            case TAG -> value != null && TAG.matcher(value).matches();
        };
        return valid ? Optional.empty()
                : Optional.of(kind == RuleScope.Kind.DEVICE ? "must be a device id" : "must be a tag: 1-64 letters, digits or ._:-");
    }

    /** A clear condition must hold only on the far side of the raise threshold, or alerts would flap. */
    private static void checkHysteresis(Condition raise, Condition clear, List<FieldError> errors) {
        boolean raisesHigh = raise.operator() == Operator.GT || raise.operator() == Operator.GE;
        boolean clearsLow = clear.operator() == Operator.LT || clear.operator() == Operator.LE;
        if (raisesHigh != clearsLow) {
            errors.add(new FieldError("clear.operator", raisesHigh ? "a rule that raises on high values clears with < or <="
                    : "a rule that raises on low values clears with > or >="));
        } else if (raisesHigh ? clear.threshold() > raise.threshold() : clear.threshold() < raise.threshold()) {
            errors.add(new FieldError("clear.threshold", "must be on the far side of the raise threshold (hysteresis)"));
        }
    }

    private static RuleScope scope(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("scope", "is required: {\"kind\": \"device\" | \"tag\" | \"all\", \"value\": ...}"));
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("scope", "must be an object"));
            return null;
        }
        RuleScope.Kind kind;
        try {
            kind = RuleScope.Kind.fromLabel(node.path("kind").asText());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("scope.kind", e.getMessage()));
            return null;
        }
        String value = node.path("value").isTextual() ? node.get("value").asText() : null;
        Optional<String> error = scopeValueError(kind, value);
        if (error.isPresent()) {
            errors.add(new FieldError("scope.value", error.get()));
            return null;
        }
        return kind == RuleScope.Kind.ALL ? RuleScope.all() : new RuleScope(kind, value);
    }

    private static String text(JsonNode body, String field, List<FieldError> errors, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    private static Operator operator(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError(field, "is required: >, >=, < or <="));
            return null;
        }
        try {
            return Operator.fromSymbol(node.asText());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return null;
        }
    }

    private static Double number(JsonNode node, String field, List<FieldError> errors, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            errors.add(new FieldError(field, "must be a finite number"));
            return null;
        }
        return node.doubleValue();
    }

    private static Long integer(JsonNode node, String field, long min, long max, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.longValue() < min || node.longValue() > max) {
            errors.add(new FieldError(field, wholeNumberRule(min, max)));
            return null;
        }
        return node.longValue();
    }
}
