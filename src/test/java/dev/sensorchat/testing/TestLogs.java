package dev.sensorchat.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Everything a test JVM logs, kept in one file per JVM ({@code target/test-logs/<pid>.log}): its
 * standard output and error (the SDKs' SLF4J logs go there), and every java.util.logging record,
 * whichever handler it would otherwise reach. {@code SecretsNeverLoggedIT} reads it at the end of
 * the suite. Registered for the JUnit Platform in {@code META-INF/services}.
 */
public final class TestLogs implements LauncherSessionListener {

    private static volatile Path file;

    /** The log of this JVM so far, or null before the session opened. */
    public static Path file() {
        return file;
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (file != null) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-logs"));
            file = dir.resolve(ProcessHandle.current().pid() + ".log");
            OutputStream log = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            PrintStream shared = new PrintStream(log, true, StandardCharsets.UTF_8);
            System.setOut(new PrintStream(new Tee(System.out, shared), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(System.err, shared), true, StandardCharsets.UTF_8));
            SimpleFormatter format = new SimpleFormatter();
            LogManager.getLogManager().getLogger("").addHandler(new Handler() {
                @Override
                public void publish(LogRecord record) {
                    shared.print(format.format(record));
                }

                @Override
                public void flush() {
                    shared.flush();
                }

                @Override
                public void close() {
                    shared.flush();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
