package dev.sensorchat.simulators.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Script lines in, readable replies out. */
class TextsTest {

    @Test
    void scriptsSkipBlankLinesAndCommentsAndStopAtQuit(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("smoke.txt");
        Files.writeString(script, "# a smoke test\nhelp\n\n   \n  devices  \n  # indented comment\nstatus boiler-1\n/quit\nnever sent\n",
                StandardCharsets.UTF_8);
        assertEquals(List.of("help", "devices", "status boiler-1"), MessageLines.script(script));
    }

    @Test
    void linesAreMessagesCommentsOrQuit() {
        assertEquals(Optional.of("alerts critical"), MessageLines.message("  alerts critical "));
        assertEquals(Optional.empty(), MessageLines.message("# note"));
        assertEquals(Optional.empty(), MessageLines.message(""));
        assertTrue(MessageLines.isQuit(" /QUIT "));
        assertFalse(MessageLines.isQuit("/quitting"));
    }

    @Test
    void telegramHtmlBecomesPlainText() {
        assertEquals("boiler-1 is online\nt < 30 & \"ok\" 'x' é &lt;",
                Replies.fromHtml("<b>boiler-1</b> is <i>online</i><br/>t &lt; 30 &amp; &quot;ok&quot; &#39;x&#39; &#xE9; &amp;lt;"));
    }

    @Test
    void multiLineRepliesAreIndentedUnderTheirPrefix() {
        assertEquals("bot: first\n     second", Replies.prefixed("bot: ", "first\nsecond\n"));
    }
}
