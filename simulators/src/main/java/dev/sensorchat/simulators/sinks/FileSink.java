package dev.sensorchat.simulators.sinks;

import dev.sensorchat.simulators.devices.SimEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** NDJSON to a file (gzipped when the name ends in .gz) or to standard output. */
public final class FileSink implements Sink {

    private final BufferedWriter out;
    private final Outcomes outcomes;

    private FileSink(OutputStream stream, Outcomes outcomes) {
        this.outcomes = outcomes;
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    public static FileSink toFile(Path file, Outcomes outcomes) throws IOException {
        OutputStream stream = Files.newOutputStream(file);
        return new FileSink(file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(stream, 1 << 16) : stream, outcomes);
    }

    public static FileSink toStdout(Outcomes outcomes) {
        return new FileSink(new OutputStream() {
            @Override
            public void write(int b) {
                System.out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                System.out.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {
                System.out.flush(); // never close the process's stdout
            }
        }, outcomes);
    }

    @Override
    public void send(List<SimEvent> batch) throws IOException {
        long started = System.nanoTime();
        try {
            for (SimEvent event : batch) {
                out.write(event.line());
                out.write('\n');
            }
        } catch (IOException e) {
            outcomes.failed(batch.size(), "write failed: " + e.getMessage());
            throw e;
        }
        outcomes.acknowledged(batch, System.nanoTime() - started);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
