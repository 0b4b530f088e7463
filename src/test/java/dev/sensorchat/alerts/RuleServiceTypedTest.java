package dev.sensorchat.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorchat.common.ConflictException;
import dev.sensorchat.common.Json;
import dev.sensorchat.common.ValidationException;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.QueryableMemoryStores;
import dev.sensorchat.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The typed rule API holds rules built in code to what the JSON API holds request bodies to. */
class RuleServiceTypedTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    private final QueryableMemoryStores stores = new QueryableMemoryStores();
    private final RuleService rules = new RuleService(stores.store(Containers.RULES, Rule.class),
            new RuleCatalog(stores.store(Containers.RULES, Rule.class), new TestClock(NOW), Duration.ofSeconds(10)), new TestClock(NOW));

    private static Rule rule(String id, RuleScope scope, Long holdSeconds, Integer consecutive, Condition clear) {
        return new Rule(id, "hot", scope, "temperature", Operator.GT, 80, holdSeconds, consecutive, clear, Severity.WARNING, true,
                null, null, null);
    }

    private static ObjectNode json(String id, String scopeKind, String scopeValue) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("id", id).put("name", "hot").put("metric", "temperature")
                .put("operator", ">").put("threshold", 80);
        ObjectNode scope = body.putObject("scope").put("kind", scopeKind);
        if (scopeValue != null) {
            scope.put("value", scopeValue);
        }
        return body;
    }

    private String typedError(Rule rule) {
        return assertThrows(ValidationException.class, () -> rules.validate(rule)).getMessage();
    }

    private String jsonError(ObjectNode body) {
        return assertThrows(ValidationException.class, () -> rules.parse(body.get("id").asText(), body)).getMessage();
    }

    @Test
    void aTypedRuleIsRefusedForTheSameReasonsAsItsJson() {
        assertEquals(jsonError(json("bad id", "all", null)), typedError(rule("bad id", RuleScope.all(), null, null, null)));
        assertEquals(jsonError(json("r", "device", "no/such")), typedError(rule("r", RuleScope.device("no/such"), null, null, null)));
        assertEquals(jsonError(json("r", "all", null).put("holdSeconds", 90_000)), typedError(rule("r", RuleScope.all(), 90_000L, null, null)));
        assertEquals(jsonError(json("r", "all", null).put("consecutive", 1)), typedError(rule("r", RuleScope.all(), null, 1, null)));
        assertEquals(jsonError(json("r", "all", null).put("holdSeconds", 60).put("consecutive", 2)),
                typedError(rule("r", RuleScope.all(), 60L, 2, null)));
        ObjectNode flapping = json("r", "all", null);
        flapping.putObject("clear").put("operator", "<").put("threshold", 90);
        assertEquals(jsonError(flapping), typedError(rule("r", RuleScope.all(), null, null, new Condition(Operator.LT, 90))));
    }

    @Test
    void aTypedRuleIsStoredAsTheJsonApiStoresItsBody() {
        Rule created = rules.create(rule("hot-1", RuleScope.device("boiler-1"), 300L, null, null));
        assertEquals(rules.parse("hot-1", json("hot-1", "device", "boiler-1").put("holdSeconds", 300)), created);
        assertEquals(created.raise(), rules.find("hot-1").orElseThrow().raise());
        assertEquals(NOW, created.updatedAt());
        assertThrows(ConflictException.class, () -> rules.create(rule("hot-1", RuleScope.all(), null, null, null)));
    }
}
