package dev.sensorchat.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a stream line by line (LF or CRLF) with bounded memory: a line longer than the cap is
 * skipped, not buffered. Each line is decoded as strict UTF-8, so one bad line is reported as such
 * without spoiling the rest.
 */
final class Utf8LineReader implements Closeable {

    /** One line: its 1-based number and text, or why it has no text. */
    record Line(long number, String text, Problem problem) {
    }

    enum Problem { TOO_LONG, INVALID_UTF8 }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[1024];
    private int bufferLength;
    private int bufferPosition;
    private long number;

    Utf8LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        int length = 0;
        boolean tooLong = false;
        boolean sawAnything = false;
        while (true) {
            if (bufferPosition == bufferLength) {
                bufferLength = in.read(buffer);
                bufferPosition = 0;
                if (bufferLength <= 0) {
                    bufferLength = 0;
                    if (!sawAnything) {
                        return null;
                    }
                    break;
                }
            }
            sawAnything = true;
            byte b = buffer[bufferPosition++];
            if (b == '\n') {
                break;
            }
            if (tooLong) {
                continue;
            }
            if (length == maxLineBytes + 1) { // +1 leaves room for a CR before the LF
                tooLong = true;
                continue;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(line.length * 2, maxLineBytes + 1));
            }
            line[length++] = b;
        }
        number++;
        if (tooLong) {
            return new Line(number, null, Problem.TOO_LONG);
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        int start = number == 1 && length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return new Line(number, decoder.decode(ByteBuffer.wrap(line, start, length - start)).toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, Problem.INVALID_UTF8);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
