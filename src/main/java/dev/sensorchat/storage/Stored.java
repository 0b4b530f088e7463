package dev.sensorchat.storage;

/**
 * A document as stored, with the ETag of that version for optimistic concurrency.
 *
 * @param value the document
 * @param etag  pass to {@link CosmosStore#replace} to write only if nobody changed it since
 */
public record Stored<T>(T value, String etag) {
}
