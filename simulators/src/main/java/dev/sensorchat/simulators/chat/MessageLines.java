package dev.sensorchat.simulators.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a line of a script, or of stdin, means: a message, nothing, or the end. */
final class MessageLines {

    static final String QUIT = "/quit";

    private MessageLines() {
    }

    /** The message on a line: empty for blank lines and {@code #} comments. */
    static Optional<String> message(String line) {
        String text = line.strip();
        return text.isEmpty() || text.startsWith("#") ? Optional.empty() : Optional.of(text);
    }

    static boolean isQuit(String line) {
        return line.strip().equalsIgnoreCase(QUIT);
    }

    /** A script's messages, one per line, up to a {@code /quit} line if there is one. */
    static List<String> script(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.stream().takeWhile(line -> !isQuit(line)).map(MessageLines::message).flatMap(Optional::stream).toList();
    }
}
