package dev.sensorchat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** The browser, or aborts (skips) {@code test}. */
    public static Path findOrSkip(String test) {
        String configured = System.getProperty("sensorchat.chromium", "").trim();
        if (!configured.isEmpty()) {
            Path chromium = Path.of(configured);
            assertTrue(Files.isExecutable(chromium), "-Dsensorchat.chromium=" + configured + " is not an executable file");
            return chromium;
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        Path chromium = candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst().orElse(null);
        if (chromium == null) {
            String why = test + " SKIPPED: no Chromium found: install Debian's chromium package "
                    + "(apt-get install chromium) or set -Dsensorchat.chromium=/path/to/chromium";
            System.out.println(why);
            Assumptions.abort(why);
        }
        return chromium;
    }
}
