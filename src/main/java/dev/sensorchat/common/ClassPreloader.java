package dev.sensorchat.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Loads, on a background thread, the classes a fresh worker is about to need for its first
 * answers (the Cosmos DB and Blob Storage SDKs, Netty, Reactor, TLS, Jackson), while the first
 * invocation builds its clients on the request thread. A worker's first request spends most of
 * its time loading classes one at a time; with a second processor, loading the rest in parallel
 * shortens it. The same idea as Spring Boot's background pre-initializer, and, like it, skipped on
 * a single processor, where it would only compete with the request.
 *
 * <p>Classes are loaded, not initialised: no static initialiser runs early (so no SDK client,
 * thread or connection exists before it is needed), and two threads cannot deadlock on each
 * other's class initialisation. A name that no longer exists is counted and skipped: a stale list
 * costs speed, never correctness.
 */
public final class ClassPreloader {

    /** The list the app ships, written by the cold-start benchmark (see the README). */
    public static final String APP_LIST = "/dev/sensorchat/preload-classes.txt";

    private static final Logger LOG = Logger.getLogger(ClassPreloader.class.getName());

    /** What one pass loaded. */
    public record Outcome(int loaded, int missing, long millis) {
    }

    private ClassPreloader() {
    }

    /** Starts loading the app's list on a daemon thread, when there is a processor to spare; null otherwise. */
    public static Thread startInBackground(ClassLoader loader) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return null;
        }
        Thread thread = new Thread(() -> {
            try {
                Outcome outcome = load(read(APP_LIST), loader);
                LOG.fine(() -> "preloaded " + outcome.loaded() + " classes in " + outcome.millis() + " ms ("
                        + outcome.missing() + " listed but absent)");
            } catch (RuntimeException e) {
                LOG.warning(() -> "class preloading stopped: " + e); // only speed is lost
            }
        }, "sensorchat-preload");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Loads each named class without initialising it. */
    public static Outcome load(List<String> names, ClassLoader loader) {
        long start = System.nanoTime();
        int loaded = 0;
        int missing = 0;
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                missing++;
            }
        }
        return new Outcome(loaded, missing, (System.nanoTime() - start) / 1_000_000);
    }

    /** Class names from a resource: one per line; blank lines and lines starting with '#' are skipped. An absent list is empty. */
    public static List<String> read(String resource) {
        List<String> names = new ArrayList<>();
        try (InputStream in = ClassPreloader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return names;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
