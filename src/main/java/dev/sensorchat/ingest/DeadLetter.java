package dev.sensorchat.ingest;

import dev.sensorchat.telemetry.Rejection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A rejected event, kept whole in the dead-letter container with where it came from and why it
 * was rejected. Its name depends only on the event's place in its partition, so writing it again
 * on a redelivery changes nothing.
 *
 * @param reason machine-readable reason code, e.g. {@code too_late}
 * @param field  the offending field, when there is one
 * @param detail human-readable explanation
 * @param source where the event came from
 * @param body   the event exactly as received
 */
public record DeadLetter(String reason, String field, String detail, Source source, String body) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu/MM/dd").withZone(ZoneOffset.UTC);

    /** The event's coordinates in Event Hubs. */
    public record Source(String kind, String eventHub, String partition, long sequenceNumber, String offset,
                         Instant enqueuedTime, String partitionKey) {
    }

    static DeadLetter of(Rejection rejection, Source source, String body) {
        return new DeadLetter(rejection.reason().code(), rejection.field(), rejection.detail(), source, body);
    }

    /** {@code eventhub/<yyyy>/<MM>/<dd>/<partition>/<sequenceNumber>.json}, by enqueued day (UTC). */
    public String blobName() {
        return "eventhub/" + DAY.format(source.enqueuedTime()) + "/" + source.partition() + "/" + source.sequenceNumber() + ".json";
    }
}
