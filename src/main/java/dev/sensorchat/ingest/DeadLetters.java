package dev.sensorchat.ingest;

import java.util.Map;

/** Where rejected input is kept, with its reason: a blob container in the app ({@code BlobStore}). */
@FunctionalInterface
public interface DeadLetters {

    /** Writes the letter unless one of that name exists (a redelivered bad event writes nothing). */
    boolean putIfAbsent(String name, byte[] content, String contentType, Map<String, String> metadata);
}
