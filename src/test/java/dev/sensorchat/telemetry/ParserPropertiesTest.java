package dev.sensorchat.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of the telemetry parsers over generated input (jqwik): whatever arrives, the event
 * parser and the CSV reader answer (accepted, or rejected with a reason), never throw;
 * and what the contract allows is accepted with its values intact. Tries are bounded, so the build
 * stays fast; jqwik prints the seed of any failure, to replay it.
 */
class ParserPropertiesTest {

    private static final long NOW = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    private static final TelemetryParser PARSER = new TelemetryParser(TelemetryLimits.defaults());
    private static final CsvReadings CSV = CsvReadings.fromHeader("deviceId,ts,temperature,humidity", TelemetryLimits.defaults());

    @Property(tries = 2000)
    void anyTextIsAnsweredNeverThrown(@ForAll @StringLength(max = 300) String text) {
        assertAnswered(PARSER.parse(text, NOW));
        assertAnswered(CSV.parse(text));
    }

    @Property(tries = 2000)
    void anyMutationOfAnEventIsAnsweredNeverThrown(@ForAll("mutatedEvents") String event) {
        assertAnswered(PARSER.parse(event, NOW));
    }

    @Property(tries = 1000)
    void whatTheContractAllowsIsAcceptedWithItsValues(@ForAll("deviceIds") String deviceId, @ForAll("metrics") Map<String, Double> metrics,
                                                      @ForAll("offsets") long millisBeforeNow) {
        String json = "{\"deviceId\":\"" + deviceId + "\",\"ts\":" + (NOW - millisBeforeNow) + ",\"metrics\":{"
                + metrics.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",")) + "}}";
        TelemetryParser.Result result = PARSER.parse(json, NOW);
        assertTrue(result instanceof TelemetryParser.Accepted, () -> json + " → " + result);
        TelemetryEvent event = ((TelemetryParser.Accepted) result).event();
        assertEquals(deviceId, event.deviceId());
        Reading reading = event.readings().get(0);
        assertEquals(NOW - millisBeforeNow, reading.timestampMs());
        metrics.forEach((name, value) -> assertEquals(value, reading.valueOf(name), name));
    }

    @Property(tries = 1000)
    void csvLinesOfTheHeaderAreAcceptedWithTheirValues(@ForAll("deviceIds") String deviceId, @ForAll("values") double temperature,
                                                      @ForAll("values") double humidity) {
        String line = deviceId + ",2026-11-22T09:59:00Z," + temperature + "," + humidity;
        TelemetryParser.Result result = CSV.parse(line);
        assertTrue(result instanceof TelemetryParser.Accepted, () -> line + " → " + result);
        Reading reading = ((TelemetryParser.Accepted) result).event().readings().get(0);
        assertEquals(temperature, reading.valueOf("temperature"));
        assertEquals(humidity, reading.valueOf("humidity"));
    }

    private static void assertAnswered(TelemetryParser.Result result) {
        assertNotNull(result);
        if (result instanceof TelemetryParser.Rejected rejected) {
            assertNotNull(rejected.rejection().reason());
            assertTrue(rejected.rejection().detail() != null && !rejected.rejection().detail().isBlank(), rejected::toString);
        }
    }

    @Provide
    Arbitrary<String> deviceIds() {
        Arbitrary<String> letters = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(3);
        Arbitrary<String> rest = Arbitraries.strings().withChars("abcXYZ019._:-").ofMaxLength(120);
        return Combinators.combine(letters, rest).as((head, tail) -> head + tail);
    }

    @Provide
    Arbitrary<Map<String, Double>> metrics() {
        Arbitrary<String> names = Combinators.combine(Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_').ofMaxLength(31)).as((c, s) -> c + s);
        return Arbitraries.maps(names, values()).ofMinSize(1).ofMaxSize(32);
    }

    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-TelemetryLimits.MAX_MAGNITUDE, TelemetryLimits.MAX_MAGNITUDE),
                Arbitraries.of(0.0, -0.0, 1e15, -1e15, Double.MIN_VALUE, 21.5));
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.longs().between(0, TelemetryLimits.DEFAULT_ALLOWED_LATENESS.toMillis());
    }

    @Provide
    Arbitrary<String> mutatedEvents() {
        String valid = "{\"deviceId\":\"boiler-1\",\"ts\":\"2026-11-22T09:59:30Z\",\"metrics\":{\"temperature\":21.5,\"humidity\":40}}";
        Arbitrary<Integer> position = Arbitraries.integers().between(0, valid.length() - 1);
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(5),
                Arbitraries.of("{", "}", "[", "]", "\"", ",", ":", "NaN", "1e309", "-", "\\u0000", "\uFFFD", "\uFEFF", "null", "\"deviceId\":1,"));
        return Combinators.combine(position, Arbitraries.integers().between(0, 4), insert)
                .as((at, cut, text) -> valid.substring(0, at) + text + valid.substring(Math.min(valid.length(), at + cut)));
    }

}
