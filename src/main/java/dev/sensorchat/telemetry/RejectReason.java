package dev.sensorchat.telemetry;

import java.util.Locale;

/** Why an event or upload line was not accepted; the code is what dead letters and receipts carry. */
public enum RejectReason {
    /** The bytes are not valid UTF-8 (the Functions host turns invalid sequences into U+FFFD). */
    INVALID_UTF8,
    /** Not a single JSON object. */
    INVALID_JSON,
    /** A required field is absent. */
    MISSING_FIELD,
    /** A field has the wrong type or an unusable value. */
    INVALID_FIELD,
    /** A metric value is NaN or infinite. */
    NON_FINITE_VALUE,
    /** A metric value is beyond ±{@link TelemetryLimits#MAX_MAGNITUDE}. */
    VALUE_OUT_OF_RANGE,
    /** The reading claims to be from more than 5 minutes in the future. */
    FUTURE_TIMESTAMP,
    /** The reading is older than the allowed lateness. */
    TOO_LATE,
    /** The event is larger than the size cap. */
    TOO_LARGE,
    /** A reading has more metrics than the cap. */
    TOO_MANY_METRICS,
    /** A burst has more readings than the cap. */
    TOO_MANY_READINGS,
    /** The device id does not match the contract. */
    INVALID_DEVICE_ID,
    /** A metric name is not a short identifier. */
    INVALID_METRIC_NAME;

    /** Machine-readable code, e.g. {@code too_late}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
