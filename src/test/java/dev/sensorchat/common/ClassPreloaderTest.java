package dev.sensorchat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClassPreloaderTest {

    /** Counts how often {@link Probe} was initialised. */
    static final AtomicInteger PROBE_INITIALISED = new AtomicInteger();

    /** A listed class whose static initialiser must not run early. */
    static final class Probe {
        static {
            PROBE_INITIALISED.incrementAndGet();
        }
    }

    /** Delegates everything, and records what it was asked to load. */
    static final class RecordingLoader extends ClassLoader {
        final List<String> asked = new ArrayList<>();

        RecordingLoader() {
            super(ClassPreloaderTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void listedClassesAreLoadedWithoutRunningTheirInitialisersAndAbsentOnesAreCounted() {
        RecordingLoader loader = new RecordingLoader();
        String probe = Probe.class.getName();
        ClassPreloader.Outcome outcome = ClassPreloader.load(List.of(probe, "dev.sensorchat.NoSuchClass", "java.util.zip.CRC32C"), loader);

        assertEquals(2, outcome.loaded());
        assertEquals(1, outcome.missing());
        assertEquals(List.of(probe, "dev.sensorchat.NoSuchClass", "java.util.zip.CRC32C"), loader.asked);
        assertEquals(0, PROBE_INITIALISED.get(), "loaded, not initialised: no static initialiser runs early");
    }

    /**
     * The list the app ships names classes the app can load: a list gone stale after a dependency
     * change (classes renamed or gone) would silently stop speeding up the first answers.
     */
    @Test
    void theShippedListNamesTheSdkClassesTheFirstAnswersNeedAndAllOfThemExist() {
        List<String> names = ClassPreloader.read(ClassPreloader.APP_LIST);

        assertTrue(names.size() > 1_000, "the list holds the SDKs' classes: " + names.size());
        assertTrue(names.contains("com.azure.cosmos.CosmosClient") && names.contains("com.azure.storage.blob.BlobServiceClient"), "the two SDKs");
        assertTrue(names.stream().noneMatch(name -> name.startsWith("dev.sensorchat.localhost.")), "nothing of the local host's own");
        List<String> absent = names.stream().filter(name -> ClassPreloader.load(List.of(name), getClass().getClassLoader()).missing() > 0).toList();
        assertEquals(List.of(), absent, "write the list again (README, P4)");
    }

    @Test
    void anAbsentListIsEmpty() {
        assertEquals(List.of(), ClassPreloader.read("/dev/sensorchat/no-such-list.txt"));
    }
}
