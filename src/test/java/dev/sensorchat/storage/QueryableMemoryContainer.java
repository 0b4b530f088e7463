package dev.sensorchat.storage;

import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sensorchat.common.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link InMemoryDocumentContainer} that also answers the app's queries, so services that list
 * (devices, alerts, rules, aggregates, reports) run in unit tests without a server. It understands
 * the SQL the app writes: {@code SELECT ... FROM c [WHERE ...] [ORDER BY c.path [ASC|DESC]]} with
 * comparisons, AND, OR, NOT, parentheses and IS_DEFINED, IS_ARRAY, ARRAY_LENGTH, ARRAY_CONTAINS.
 * A projection returns whole documents: the app reads projections into the same types. The change
 * feed lists the documents written since a continuation (their latest versions), as Cosmos DB does.
 */
public final class QueryableMemoryContainer implements DocumentContainer {

    private static final Pattern QUERY = Pattern.compile(
            "(?is)SELECT\\s+.+?\\s+FROM\\s+c(?:\\s+WHERE\\s+(?<where>.+?))?(?:\\s+ORDER\\s+BY\\s+(?<order>\\S+)(?:\\s+(?<direction>ASC|DESC))?)?\\s*");

    private final InMemoryDocumentContainer documents;
    private final Set<String> partitions = ConcurrentHashMap.newKeySet();
    /** Every write, in order: (partition key, id); an index into it is a change-feed continuation. */
    private final List<String[]> writes = new ArrayList<>();

    public QueryableMemoryContainer(String name) {
        this.documents = new InMemoryDocumentContainer(name);
    }

    @Override
    public String name() {
        return documents.name();
    }

    /** Documents held. */
    public int size() {
        return documents.size();
    }

    @Override
    public Versioned read(String partitionKey, String id) {
        return documents.read(partitionKey, id);
    }

    @Override
    public Written create(String partitionKey, ObjectNode document) {
        Written written = documents.create(partitionKey, document);
        wrote(partitionKey, document.path("id").asText());
        return written;
    }

    @Override
    public Written upsert(String partitionKey, ObjectNode document) {
        Written written = documents.upsert(partitionKey, document);
        wrote(partitionKey, document.path("id").asText());
        return written;
    }

    @Override
    public Written replace(String partitionKey, ObjectNode document, String ifMatch) {
        Written written = documents.replace(partitionKey, document, ifMatch);
        wrote(partitionKey, document.path("id").asText());
        return written;
    }

    @Override
    public Versioned patch(String partitionKey, String id, Patch patch, String ifMatch) {
        Versioned patched = documents.patch(partitionKey, id, patch, ifMatch);
        wrote(partitionKey, id);
        return patched;
    }

    @Override
    public boolean delete(String partitionKey, String id) {
        return documents.delete(partitionKey, id);
    }

    @Override
    public BatchResult batch(String partitionKey, List<DocumentBatch.Operation> operations) {
        BatchResult result = documents.batch(partitionKey, operations);
        operations.forEach(operation -> wrote(partitionKey, operation.id() != null ? operation.id() : operation.document().path("id").asText()));
        return result;
    }

    @Override
    public ResultPage queryPage(SqlQuery query, int pageSize, String continuation) {
        List<ObjectNode> all = run(query);
        int from = continuation == null ? 0 : Integer.parseInt(continuation);
        int to = Math.min(all.size(), from + pageSize);
        return new ResultPage(List.copyOf(all.subList(from, to)), to < all.size() ? Integer.toString(to) : null, 0);
    }

    @Override
    public List<JsonNode> query(SqlQuery query) {
        return List.copyOf(run(query));
    }

    @Override
    public synchronized ResultPage changes(FeedStart start, int maxItems) {
        int from = start instanceof FromContinuation continuation ? Integer.parseInt(continuation.continuation())
                : start instanceof FromNow ? writes.size() : 0;
        int to = Math.min(writes.size(), from + maxItems);
        List<ObjectNode> changed = new ArrayList<>();
        for (String[] key : writes.subList(from, to)) {
            Versioned current = documents.read(key[0], key[1]);
            if (current != null) {
                changed.add(current.document());
            }
        }
        return new ResultPage(changed, Integer.toString(to), 0);
    }

    private synchronized void wrote(String partitionKey, String id) {
        partitions.add(partitionKey);
        writes.add(new String[] {partitionKey, id});
    }

    private List<ObjectNode> run(SqlQuery query) {
        SqlQuerySpec spec = query.toSpec();
        Matcher parts = QUERY.matcher(spec.getQueryText());
        if (!parts.matches()) {
            throw new UnsupportedOperationException("not a query this container understands: " + spec.getQueryText());
        }
        Map<String, JsonNode> parameters = new HashMap<>();
        for (SqlParameter parameter : spec.getParameters()) {
            parameters.put(parameter.getName(), Json.MAPPER.valueToTree(parameter.getValue(Object.class)));
        }
        Predicate<JsonNode> where = parts.group("where") == null ? document -> true
                : new Condition(parts.group("where"), parameters).parse();
        List<ObjectNode> found = new ArrayList<>();
        for (String partition : query.partitionKey() != null ? Set.of(query.partitionKey()) : partitions) {
            documents.partition(partition).stream().filter(where).forEach(found::add);
        }
        if (parts.group("order") != null) {
            String path = parts.group("order");
            Comparator<ObjectNode> order = Comparator.comparing(document -> Condition.at(document, path), Condition::compare);
            found.sort("DESC".equalsIgnoreCase(parts.group("direction")) ? order.reversed() : order);
        }
        return found;
    }

    /** A recursive-descent reading of a WHERE clause into a predicate. */
    private static final class Condition {

        private static final Pattern TOKEN = Pattern.compile(
                "\\s*(c(?:\\.\\w+|\\[\"[^\"]+\"])+|@\\w+|\\d+(?:\\.\\d+)?|'[^']*'|\"[^\"]*\"|\\w+|<=|>=|!=|<>|[=<>(),])");

        private final List<String> tokens = new ArrayList<>();
        private final Map<String, JsonNode> parameters;
        private int next;

        Condition(String text, Map<String, JsonNode> parameters) {
            this.parameters = parameters;
            Matcher matcher = TOKEN.matcher(text);
            int end = 0;
            while (end < text.length() && matcher.find(end) && matcher.start() == end) {
                tokens.add(matcher.group(1));
                end = matcher.end();
            }
            if (!text.substring(end).isBlank()) {
                throw new UnsupportedOperationException("cannot read the query from: " + text.substring(end));
            }
        }

        Predicate<JsonNode> parse() {
            Predicate<JsonNode> condition = or();
            if (next != tokens.size()) {
                throw new UnsupportedOperationException("unexpected " + tokens.get(next));
            }
            return condition;
        }

        private Predicate<JsonNode> or() {
            Predicate<JsonNode> left = and();
            while (accept("OR")) {
                left = left.or(and());
            }
            return left;
        }

        private Predicate<JsonNode> and() {
            Predicate<JsonNode> left = not();
            while (accept("AND")) {
                left = left.and(not());
            }
            return left;
        }

        private Predicate<JsonNode> not() {
            if (accept("NOT")) {
                return not().negate();
            }
            if (accept("(")) {
                Predicate<JsonNode> inner = or();
                expect(")");
                return inner;
            }
            java.util.function.Function<JsonNode, JsonNode> left = operand();
            String operator = tokens.size() > next ? tokens.get(next) : "";
            if (!operator.matches("=|!=|<>|<|<=|>|>=")) {
                return document -> left.apply(document) != null && left.apply(document).asBoolean();
            }
            next++;
            java.util.function.Function<JsonNode, JsonNode> right = operand();
            return document -> {
                JsonNode a = left.apply(document);
                JsonNode b = right.apply(document);
                if (a == null || b == null || a.isNumber() != b.isNumber() || a.isTextual() != b.isTextual()) {
                    return operator.equals("!=") || operator.equals("<>") ? a != null && b != null && !a.equals(b) : false;
                }
                int order = compare(a, b);
                return switch (operator) {
                    case "=" -> order == 0;
                    case "!=", "<>" -> order != 0;
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
            };
        }

        /** A value of the document: a path, a parameter, a literal or a function; null when undefined. */
        private java.util.function.Function<JsonNode, JsonNode> operand() {
            String token = tokens.get(next++);
            if (token.startsWith("c.") || token.startsWith("c[")) {
                return document -> at(document, token);
            }
            if (token.startsWith("@")) {
                JsonNode value = parameters.get(token);
                return document -> value;
            }
            if (token.startsWith("'") || token.startsWith("\"")) {
                JsonNode value = TextNode.valueOf(token.substring(1, token.length() - 1));
                return document -> value;
            }
            if (token.matches("\\d.*")) {
                JsonNode value = Json.MAPPER.valueToTree(Double.parseDouble(token));
                return document -> value;
            }
            if (token.equalsIgnoreCase("true") || token.equalsIgnoreCase("false")) {
                JsonNode value = BooleanNode.valueOf(Boolean.parseBoolean(token));
                return document -> value;
            }
            expect("(");
            List<java.util.function.Function<JsonNode, JsonNode>> arguments = new ArrayList<>();
            do {
                arguments.add(operand());
            } while (accept(","));
            expect(")");
            return switch (token.toUpperCase(Locale.ROOT)) {
                case "IS_DEFINED" -> document -> BooleanNode.valueOf(arguments.get(0).apply(document) != null);
                case "IS_ARRAY" -> document -> {
                    JsonNode value = arguments.get(0).apply(document);
                    return BooleanNode.valueOf(value != null && value.isArray());
                };
                case "ARRAY_LENGTH" -> document -> {
                    JsonNode value = arguments.get(0).apply(document);
                    return value != null && value.isArray() ? IntNode.valueOf(value.size()) : null;
                };
                case "ARRAY_CONTAINS" -> document -> {
                    JsonNode array = arguments.get(0).apply(document);
                    JsonNode wanted = arguments.get(1).apply(document);
                    boolean contains = false;
                    if (array != null && array.isArray()) {
                        for (JsonNode element : array) {
                            contains |= element.equals(wanted);
                        }
                    }
                    return BooleanNode.valueOf(contains);
                };
                default -> throw new UnsupportedOperationException("function " + token);
            };
        }

        static JsonNode at(JsonNode document, String path) {
            JsonNode node = document;
            Matcher step = Pattern.compile("\\.(\\w+)|\\[\"([^\"]+)\"]").matcher(path.substring(1));
            while (node != null && step.find()) {
                node = node.get(step.group(1) != null ? step.group(1) : step.group(2));
            }
            return node == null || node.isMissingNode() || node.isNull() ? null : node;
        }

        /** Cosmos DB's order: undefined first, then numbers, then strings. */
        static int compare(JsonNode a, JsonNode b) {
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : -1) : 1;
            }
            if (a.isNumber() && b.isNumber()) {
                return Double.compare(a.asDouble(), b.asDouble());
            }
            if (a.isBoolean() && b.isBoolean()) {
                return Boolean.compare(a.asBoolean(), b.asBoolean());
            }
            return a.asText().compareTo(b.asText());
        }

        private boolean accept(String token) {
            if (next < tokens.size() && tokens.get(next).equalsIgnoreCase(token)) {
                next++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw new UnsupportedOperationException("expected " + token + " at " + (next < tokens.size() ? tokens.get(next) : "the end"));
            }
        }
    }
}
