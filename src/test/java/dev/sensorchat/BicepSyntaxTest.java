package dev.sensorchat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sensorchat.testing.NpmServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every Bicep file parses: tree-sitter-bicep from npm stands in for the Bicep CLI, which these
 * machines do not have (src/test/bicep-syntax). Grammar only; {@link BicepDriftTest} checks what
 * the templates say.
 */
class BicepSyntaxTest {

    @Test
    void everyTemplateParses() throws Exception {
        Path checker = Path.of("src/test/bicep-syntax");
        Path log = Files.createDirectories(Path.of("target")).resolve("bicep-syntax-npm.log");
        NpmServers.ensureInstalled(checker, log);
        Process node = new ProcessBuilder("node", checker.resolve("check-syntax.mjs").toString(), "bicep")
                .redirectErrorStream(true)
                .start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(1, TimeUnit.MINUTES);
        assertEquals(0, node.exitValue(), output);
    }
}
