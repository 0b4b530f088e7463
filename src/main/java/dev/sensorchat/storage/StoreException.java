package dev.sensorchat.storage;

/** An outcome of a document operation that callers are expected to handle. */
public class StoreException extends RuntimeException {

    private final int statusCode;

    public StoreException(String message, int statusCode, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /** The HTTP status the store answered with (409 conflict, 412 stale ETag, ...). */
    public int statusCode() {
        return statusCode;
    }

    /** A document with this id already exists in this partition. */
    public static final class Conflict extends StoreException {
        public Conflict(String container, String id, Throwable cause) {
            super("Document '" + id + "' already exists in container '" + container + "'.", 409, cause);
        }
    }

    /** The document changed since it was read (its ETag no longer matches). */
    public static final class StaleDocument extends StoreException {
        public StaleDocument(String container, String id, Throwable cause) {
            super("Document '" + id + "' in container '" + container + "' changed since it was read.", 412, cause);
        }
    }

    /** An optimistic read-modify-write lost the race more times than allowed. */
    public static final class ContentionExhausted extends StoreException {
        public ContentionExhausted(String container, String id, int attempts) {
            super("Gave up updating '" + id + "' in container '" + container + "' after " + attempts
                    + " concurrent modifications.", 412, null);
        }
    }

    /** A transactional batch was rolled back because one of its operations failed. */
    public static final class BatchFailed extends StoreException {
        private final int failedOperation;

        public BatchFailed(String container, int failedOperation, int statusCode) {
            super("Batch in container '" + container + "' rolled back: operation " + failedOperation
                    + " failed with status " + statusCode + ".", statusCode, null);
            this.failedOperation = failedOperation;
        }

        /** Index of the operation that failed, in the order they were added. */
        public int failedOperation() {
            return failedOperation;
        }
    }

    /** A continuation token that did not come from this query (or was tampered with). */
    public static final class BadContinuation extends StoreException {
        public BadContinuation(Throwable cause) {
            super("The continuation token does not belong to this query.", 400, cause);
        }
    }

    /**
     * The store kept failing with transient errors (throttled, timed out, unavailable) after every
     * retry: an outage, not a bad request. HTTP callers answer 503 with {@code Retry-After}.
     */
    public static final class Unavailable extends StoreException {
        public Unavailable(String store, Throwable cause) {
            super(store + " is unavailable (it kept failing with transient errors after every retry).", 503, cause);
        }
    }
}
