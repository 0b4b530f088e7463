package dev.sensorchat.chat.language;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** The intent parser over generated text (jqwik): every message is understood or explained, and markup is never acted on. */
class IntentParserPropertiesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Vocabulary FLEET = Vocabulary.builder()
            .device("boiler-1", "Boiler One", List.of("boiler"), List.of("temperature", "pressure")).build();

    @Property(tries = 2000)
    void anyMessageIsUnderstoodOrExplainedNeverThrown(@ForAll @StringLength(max = 200) String text) {
        Intent intent = new IntentParser().parse(text, FLEET, NOW);
        assertNotNull(intent.type());
        if (intent.type() == IntentType.UNUSABLE) {
            assertTrue(intent.problem() != null && !intent.problem().isBlank());
        }
    }

    @Property(tries = 1000)
    void hostileFragmentsInAMessageAreNeverActedOn(@ForAll("hostile") String fragment) {
        Intent intent = new IntentParser().parse("status boiler-1 " + fragment, FLEET, NOW);
        assertTrue(intent.type() == IntentType.UNUSABLE || intent.type() == IntentType.STATUS, () -> fragment + " → " + intent);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.of("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</b>", "<iframe src=//x>",
                "<svg onload=alert(1)>", "<a href=javascript:alert(1)>x</a>", "<SCRIPT>alert(1)</SCRIPT>");
    }
}
