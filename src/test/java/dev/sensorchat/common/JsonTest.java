package dev.sensorchat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    private static String problemOf(String json) {
        try {
            Json.STRICT_READER.readTree(json);
            throw new AssertionError("parsed: " + json);
        } catch (JsonProcessingException e) {
            return Json.problemOf(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "nesting     | nested too deeply (at most 1000 levels)",
            "nan         | NaN and Infinity are not JSON numbers",
            "infinity    | NaN and Infinity are not JSON numbers",
            "duplicate   | the key \"threshold\" appears twice",
            "digits      | a number has too many digits (at most 1000)",
            "truncated   | it ends before it is complete",
            "garbage     | Unrecognized token 'hello'"})
    void unreadableJsonIsExplainedWithoutLibraryInternals(String kind, String expected) {
        String json = switch (kind) {
            case "nesting" -> "[".repeat(1200) + "]".repeat(1200);
            case "nan" -> "{\"t\": NaN}";
            case "infinity" -> "{\"t\": -Infinity}";
            case "duplicate" -> "{\"threshold\": 80, \"threshold\": 1}";
            case "digits" -> "{\"t\": " + "9".repeat(1500) + "}";
            case "truncated" -> "{\"name\": ";
            default -> "hello";
        };
        String problem = problemOf(json);
        assertTrue(problem.contains(expected), problem);
        assertFalse(problem.contains("`") || problem.contains("Constraints") || problem.contains("Feature"), problem);
        if (!kind.equals("nesting") && !kind.equals("digits")) { // limits are checked before a location is known
            assertTrue(problem.matches("(?s).*\\(line \\d+, column \\d+\\)$"), "says where: " + problem);
        }
        assertEquals(1, problem.lines().count());
    }
}
