package dev.sensorchat.localhost.eventhubs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event as stored in a partition of a {@link LocalEventHub}.
 *
 * @param partitionId the partition, "0" to "n-1"
 * @param sequenceNumber per partition, from 0, increasing by one per event
 * @param offset per partition, the number of body bytes (UTF-8) enqueued before this event, so the
 *     first event is at 0 and an event's offset plus its body's byte length is the next one's
 * @param enqueuedTime the hub clock's instant when the publish call that carried it was accepted
 * @param partitionKey the key it was published with, or null
 * @param body the event body, verbatim
 */
public record EventRecord(String partitionId, long sequenceNumber, long offset, Instant enqueuedTime,
                          String partitionKey, String body) {

    public EventRecord {
        Objects.requireNonNull(partitionId, "partitionId");
        Objects.requireNonNull(enqueuedTime, "enqueuedTime");
        Objects.requireNonNull(body, "body");
    }

    /**
     * This event's entry of the trigger's {@code SystemPropertiesArray} binding data, with the keys the
     * app reads: {@code SequenceNumber} (a long), {@code Offset} (a string, as Event Hubs offsets are),
     * {@code EnqueuedTimeUtc} (ISO-8601 with a Z) and {@code PartitionKey} (null when none).
     */
    public Map<String, Object> systemProperties() {
        return systemProperties(enqueuedTime.toString());
    }

    /**
     * A batch's entries. Events of one publish share an enqueued time, and formatting it was an eighth of
     * the delivery thread's time, so each distinct one is formatted once.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Map<String, Object>[] systemPropertiesOf(List<EventRecord> batch) {
        Map<String, Object>[] properties = new Map[batch.size()];
        Instant formatted = null;
        String text = null;
        for (int i = 0; i < properties.length; i++) {
            EventRecord event = batch.get(i);
            if (!event.enqueuedTime.equals(formatted)) {
                formatted = event.enqueuedTime;
                text = formatted.toString();
            }
            properties[i] = event.systemProperties(text);
        }
        return properties;
    }

    private Map<String, Object> systemProperties(String enqueuedTimeUtc) {
        Map<String, Object> properties = new LinkedHashMap<>(8);
        properties.put("SequenceNumber", sequenceNumber);
        properties.put("Offset", Long.toString(offset));
        properties.put("EnqueuedTimeUtc", enqueuedTimeUtc);
        properties.put("PartitionKey", partitionKey);
        return properties;
    }
}
