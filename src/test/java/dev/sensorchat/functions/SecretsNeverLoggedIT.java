package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.testing.ChatDeliveries;
import dev.sensorchat.testing.LocalAzure;
import dev.sensorchat.testing.LocalAzureExtension;
import dev.sensorchat.testing.TestLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No configured secret appears in any line the integration suite logged: webhook secrets, bot
 * tokens, function keys, storage and Cosmos DB keys. Runs last (see junit-platform.properties), over
 * everything this JVM wrote to standard output and error and every java.util.logging record
 * ({@link TestLogs}): the SDKs' logs, the functions' logs, failures and their stack traces.
 */
@ExtendWith(LocalAzureExtension.class)
@Order(Integer.MAX_VALUE)
class SecretsNeverLoggedIT {

    @Test
    void noSecretInAnyLogLineOfTheSuite(LocalAzure azure) throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("GENERIC_WEBHOOK_SECRET", ChatDeliveries.GENERIC_SECRET);
        secrets.put("TELEGRAM_WEBHOOK_SECRET", ChatDeliveries.TELEGRAM_SECRET);
        secrets.put("TELEGRAM_BOT_TOKEN", ChatDeliveries.TELEGRAM_BOT_TOKEN);
        secrets.put("TEAMS_SECURITY_TOKEN", Base64.getEncoder().encodeToString(ChatDeliveries.TEAMS_KEY));
        secrets.put("the Teams key itself", new String(ChatDeliveries.TEAMS_KEY, StandardCharsets.UTF_8));
        secrets.put("SLACK_SIGNING_SECRET", ChatDeliveries.SLACK_SECRET);
        secrets.put("SLACK_BOT_TOKEN", ChatDeliveries.SLACK_BOT_TOKEN);
        secrets.put("a function key", LocalHostIT.FUNCTION_KEY);
        secrets.put("the master key", LocalHostIT.MASTER_KEY);
        secrets.put("a Cosmos DB key given to health", HealthFunctionIT.SECRET_KEY);
        secrets.put("the Cosmos DB key", azure.cosmosKey());
        Matcher storageKey = Pattern.compile("AccountKey=([^;]+)").matcher(azure.storageConnectionString());
        if (storageKey.find()) {
            secrets.put("the storage account key", storageKey.group(1));
        }

        Path log = TestLogs.file();
        assertTrue(log != null && Files.size(log) > 100_000, "the suite's log was captured: " + log);
        List<String> leaks = new ArrayList<>();
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            int[] number = {0};
            lines.forEach(line -> {
                number[0]++;
                secrets.forEach((name, value) -> {
                    if (line.contains(value)) {
                        leaks.add(name + " in line " + number[0] + ": " + line.replace(value, "<" + name + ">"));
                    }
                });
            });
        }
        assertEquals(List.of(), leaks.stream().limit(20).toList(), leaks.size() + " log lines hold a secret (" + log + ")");
    }
}
