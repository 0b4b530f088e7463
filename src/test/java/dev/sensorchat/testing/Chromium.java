package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Chromium for the browser tests: {@code -Dsensorchat.chromium=PATH} when set, else
 * {@code /usr/bin/chromium}, else the first of {@code chromium}, {@code chromium-browser},
 * {@code google-chrome} and {@code google-chrome-stable} on the PATH. Without one the test is
 * skipped, and says so; {@code .ci/run} installs Debian's {@code chromium}.
 */
public final class Chromium {

    private Chromium() {
    }

    /**
     * The browser, or aborts (skips) {@code test}. Call it from the test method, not from {@code @BeforeAll}:
     * a test aborted there is counted as skipped, while an aborted class setup shows as no test at all.
     */
    public static Path findOrSkip(String test) {
        return find().orElseGet(() -> {
            String why = test + " SKIPPED: no Chromium found: install Debian's chromium package "
                    + "(apt-get install chromium) or set -Dsensorchat.chromium=/path/to/chromium";
            System.out.println(why);
            Assumptions.abort(why);
            return null;
        });
    }

    /** The browser, if there is one (a configured path that is not executable fails). */
    public static Optional<Path> find() {
        String configured = System.getProperty("sensorchat.chromium", "").trim();
        if (!configured.isEmpty()) {
            Path chromium = Path.of(configured);
            assertTrue(Files.isExecutable(chromium), "-Dsensorchat.chromium=" + configured + " is not an executable file");
            return Optional.of(chromium);
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
