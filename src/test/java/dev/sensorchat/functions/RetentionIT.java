package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.AppContext;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.chat.IdempotencyRecord;
import dev.sensorchat.storage.Containers;
import dev.sensorchat.storage.SqlQuery;
import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestExecutionContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retention: dead letters deleted after DEADLETTER_TTL_DAYS; idempotency records carry IDEMPOTENCY_TTL_DAYS. */
@ExtendWith(LocalAzureExtension.class)
class RetentionIT {

    @Test
    void deadLettersOlderThanTheirLifetimeAreDeletedAndNewerOnesKept(LocalAzure azure) {
        Map<String, String> settings = new HashMap<>(Map.of(AppContext.DEADLETTER_TTL_DAYS, "30",
                dev.sensorchat.config.BlobContainerNames.DEADLETTER_CONTAINER, "deadletters-" + UUID.randomUUID().toString().substring(0, 8)));
        try (AppContext app = azure.newAppContext(settings)) {
            BlobStore deadLetters = app.deadLetters();
            deadLetters.put("eventhub/2026/11/22/0/1.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
            deadLetters.put("uploads/abc.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json", Map.of());

            run(app, Instant.now().plus(Duration.ofDays(29)));
            assertEquals(2, deadLetters.list("").size(), "29 days on, both are kept");
            TestExecutionContext context = run(app, Instant.now().plus(Duration.ofDays(31)));
            assertEquals(List.of(), deadLetters.list(""));
            assertEquals("retention deadLettersDeleted=2 olderThanDays=30", context.loggedMessages().get(0));
        }
    }

    private static TestExecutionContext run(AppContext app, Instant now) {
        TestExecutionContext context = new TestExecutionContext("retention");
        new RetentionFunction(app::deadLetters, app::deadLetterLifetime, Clock.fixed(now, ZoneOffset.UTC)).run("{}", context);
        return context;
    }

    @Test
    void idempotencyRecordsExpireAfterTheirConfiguredLifetime(LocalAzure azure) {
        Map<String, String> settings = new HashMap<>(ChatDeliveries.settings("http://127.0.0.1:9"));
        settings.put(AppContext.IDEMPOTENCY_TTL_DAYS, "2");
        try (AppContext app = azure.newAppContext(settings)) {
            new ChatWebhook(app).deliver(ChatDeliveries.generic(UUID.randomUUID().toString(), "c-1", "help",
                    ChatDeliveries.Signing.VALID, Instant.now()));
            List<IdempotencyRecord> records = app.store(Containers.IDEMPOTENCY, IdempotencyRecord.class)
                    .query(SqlQuery.of("SELECT * FROM c"));
            assertEquals(1, records.size());
            assertEquals(2 * 86_400, records.get(0).ttl());
        }
    }
}
