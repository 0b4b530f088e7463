package dev.sensorchat.storage;

import com.azure.cosmos.CosmosException;
import java.time.Duration;
import java.util.Optional;

/** What the Cosmos DB SDK's failures mean to callers. */
final class CosmosErrors {

    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    static final int PRECONDITION_FAILED = 412;

    private CosmosErrors() {
    }

    /**
     * Transient: 429 (throttled, after the SDK's own retries; its retry-after is honoured), 408
     * (timeout), 449 (retry with) and 503 (service unavailable). Everything else is final.
     */
    static Optional<Duration> retryAfter(RuntimeException error) {
        CosmosException cosmos = find(error);
        if (cosmos == null) {
            return Optional.empty();
        }
        return switch (cosmos.getStatusCode()) {
            case 429 -> Optional.of(Optional.ofNullable(cosmos.getRetryAfterDuration()).orElse(Duration.ZERO));
            case 408, 449, 503 -> Optional.of(Duration.ZERO);
            default -> Optional.empty();
        };
    }

    static boolean hasStatus(RuntimeException error, int status) {
        CosmosException cosmos = find(error);
        return cosmos != null && cosmos.getStatusCode() == status;
    }

    private static CosmosException find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CosmosException cosmos) {
                return cosmos;
            }
        }
        return null;
    }
}
