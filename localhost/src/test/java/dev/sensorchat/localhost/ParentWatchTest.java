package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With real processes: a parent that starts a child and is then killed, as an IDE stops Maven. */
class ParentWatchTest {

    /** Starts {@link Child}, prints its pid, and waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Child.class.getName())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            System.out.println("child " + child.pid());
            new CountDownLatch(1).await();
        }
    }

    /** Watches its parent, then waits forever: only the watch can end it. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ParentWatch.exitWithParent();
            new CountDownLatch(1).await();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void aChildStopsWhenTheProcessThatStartedItIsKilled() throws Exception {
        Process parent = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Parent.class.getName())
                .redirectErrorStream(true).start();
        long[] childPid = {-1};
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("child "), "the parent started its child: " + line);
            childPid[0] = Long.parseLong(line.substring("child ".length()).strip());
            ProcessHandle child = ProcessHandle.of(childPid[0]).orElseThrow();
            assertTrue(child.isAlive());

            parent.destroy(); // SIGTERM to the parent alone, as when an IDE stops Maven

            assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
            child.onExit().get(20, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "the orphan stopped itself");
        } finally {
            parent.destroyForcibly();
            ProcessHandle.of(childPid[0]).ifPresent(ProcessHandle::destroyForcibly); // never leave an orphan behind
        }
    }
}
