package dev.sensorchat.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.AppContext;
import dev.sensorchat.common.Json;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two instances sharing one database: each caches the rules and notices the other's changes. */
@ExtendWith(LocalAzureExtension.class)
class RuleCatalogIT {

    private static String rule(String id, double threshold) {
        return """
                {"id": "%s", "name": "r", "scope": {"kind": "all"}, "metric": "t", "operator": ">", "threshold": %s}"""
                .formatted(id, threshold);
    }

    @Test
    void changesOnAnotherInstanceAreSeenAfterTheRefreshIntervalAndNotQueriedPerUse(LocalAzure azure) throws IOException {
        Map<String, String> settings = azure.appSettings(); // one database for both instances
        settings.put(AppContext.RULES_REFRESH_SECONDS, "10");
        TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
        try (AppContext writer = new AppContext(new AppSettings(settings), clock);
             AppContext reader = new AppContext(new AppSettings(settings), clock)) {
            writer.rules().create(Json.MAPPER.readTree(rule("first", 1)));
            RuleCatalog catalog = reader.ruleCatalog();
            assertEquals(List.of("first"), catalog.current().stream().map(Rule::id).toList());
            for (int i = 0; i < 100; i++) {
                catalog.applicableTo("dev", List.of());
            }
            assertEquals(1, catalog.reloads(), "cached: no query per use");

            writer.rules().create(Json.MAPPER.readTree(rule("second", 2)));
            writer.rules().replace("first", Json.MAPPER.readTree(rule("first", 50)));
            assertEquals(1, catalog.current().size(), "not yet: within the refresh interval");

            clock.advance(Duration.ofSeconds(10));
            List<Rule> refreshed = catalog.current();
            assertEquals(List.of("first", "second"), refreshed.stream().map(Rule::id).sorted().toList());
            assertEquals(50.0, refreshed.stream().filter(r -> r.id().equals("first")).findFirst().orElseThrow().threshold());

            clock.advance(Duration.ofSeconds(10));
            catalog.current();
            assertEquals(2, catalog.reloads(), "no change since: the check found nothing and did not reload");

            writer.rules().delete("second");
            clock.advance(Duration.ofSeconds(10));
            assertEquals(List.of("first"), catalog.current().stream().map(Rule::id).toList(), "deletions are seen too");
        }
    }
}
