package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.sensorchat.AppContext;
import dev.sensorchat.blob.BlobStore;
import dev.sensorchat.observability.Invocation;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Once a day ({@code %RETENTION_SCHEDULE%}): deletes dead letters older than {@code DEADLETTER_TTL_DAYS}.
 * Cosmos DB expires windows and idempotency records by itself (their {@code ttl}); blobs have no
 * such field, so this does it for the dead-letter container. (In Azure a lifecycle management rule
 * on the storage account can do the same; this works everywhere, the local emulator included.)
 */
public final class RetentionFunction {

    private final Supplier<BlobStore> deadLetters;
    private final Supplier<Duration> keep;
    private final Clock clock;

    public RetentionFunction() {
        this(() -> AppContext.shared().deadLetters(), () -> AppContext.shared().deadLetterLifetime(), Clock.systemUTC());
    }

    RetentionFunction(Supplier<BlobStore> deadLetters, Supplier<Duration> keep, Clock clock) {
        this.deadLetters = deadLetters;
        this.keep = keep;
        this.clock = clock;
    }

    @FunctionName("retention")
    public void run(@TimerTrigger(name = "timer", schedule = "%RETENTION_SCHEDULE%") String timerInfo, ExecutionContext context) {
        try (Invocation ignored = Invocations.open(context)) {
            Duration lifetime = keep.get();
            int deleted = deadLetters.get().deleteOlderThan("", clock.instant().minus(lifetime));
            context.getLogger().info(() -> "retention deadLettersDeleted=" + deleted + " olderThanDays=" + lifetime.toDays());
        }
    }
}
