package dev.sensorchat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LineReaderTest {

    private static List<Utf8LineReader.Line> read(byte[] bytes, int maxLine) throws IOException {
        List<Utf8LineReader.Line> lines = new ArrayList<>();
        try (Utf8LineReader reader = new Utf8LineReader(new ByteArrayInputStream(bytes), maxLine)) {
            for (Utf8LineReader.Line line; (line = reader.next()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void splitsOnLfAndCrLfAndKeepsTheLastLineWithoutNewline() throws IOException {
        List<Utf8LineReader.Line> lines = read("\uFEFFa,b\r\nc\n\nd°".getBytes(StandardCharsets.UTF_8), 100);
        assertEquals(List.of("a,b", "c", "", "d°"), lines.stream().map(Utf8LineReader.Line::text).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().map(Utf8LineReader.Line::number).toList());
    }

    @Test
    void aBadLineIsReportedAndTheRestStillReads() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("ok\n".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {'b', (byte) 0xC3, '(', '\n'}); // invalid UTF-8 sequence
        bytes.write(("x".repeat(50) + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.write("end\n".getBytes(StandardCharsets.UTF_8));

        List<Utf8LineReader.Line> lines = read(bytes.toByteArray(), 20);

        assertEquals("ok", lines.get(0).text());
        assertEquals(Utf8LineReader.Problem.INVALID_UTF8, lines.get(1).problem());
        assertEquals(Utf8LineReader.Problem.TOO_LONG, lines.get(2).problem());
        assertNull(lines.get(2).text());
        assertEquals("end", lines.get(3).text());
        assertEquals(4, lines.size());
    }
}
