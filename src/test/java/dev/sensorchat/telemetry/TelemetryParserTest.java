package dev.sensorchat.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryParserTest {

    private static final long NOW = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    private final TelemetryParser parser = new TelemetryParser(TelemetryLimits.defaults());

    private TelemetryEvent accepted(String json) {
        return assertInstanceOf(TelemetryParser.Accepted.class, parser.parse(json, NOW), json).event();
    }

    private Rejection rejected(String json) {
        return assertInstanceOf(TelemetryParser.Rejected.class, parser.parse(json, NOW), json).rejection();
    }

    @Test
    void singleReadingWithIsoTimestamp() {
        TelemetryEvent event = accepted("""
                {"deviceId": "boiler-1", "ts": "2026-11-22T09:59:30.250Z", "seq": 42,
                 "metrics": {"temperature": 21.4, "humidity": 40}, "meta": {"fw": "1.2", "tags": [1, {"x": null}]}}""");

        assertEquals("boiler-1", event.deviceId());
        assertEquals(42L, event.deviceSeq());
        Reading reading = event.readings().get(0);
        assertEquals(Instant.parse("2026-11-22T09:59:30.250Z").toEpochMilli(), reading.timestampMs());
        assertEquals(21.4, reading.valueOf("temperature"));
        assertEquals(40.0, reading.valueOf("humidity"));
        assertEquals(Double.NaN, reading.valueOf("co2"));
    }

    @Test
    void epochMillisAndOffsetsAreTheSameInstant() {
        long expected = Instant.parse("2026-11-22T09:59:00Z").toEpochMilli();
        assertEquals(expected, accepted("{\"deviceId\":\"a\",\"ts\":" + expected + ",\"metrics\":{\"t\":1}}").readings().get(0).timestampMs());
        assertEquals(expected, accepted("{\"deviceId\":\"a\",\"ts\":\"2026-11-22T10:59:00+01:00\",\"metrics\":{\"t\":1}}")
                .readings().get(0).timestampMs());
    }

    @Test
    void readingsOfTheSameMetricsShareTheirNamesAndOthersKeepTheirOwn() {
        Reading first = accepted("{\"deviceId\":\"a\",\"ts\":" + (NOW - 60_000) + ",\"metrics\":{\"t\":1,\"h\":2}}").readings().get(0);
        Reading same = accepted("{\"deviceId\":\"b\",\"ts\":" + (NOW - 60_000) + ",\"metrics\":{\"t\":3,\"h\":4}}").readings().get(0);
        Reading other = accepted("{\"deviceId\":\"a\",\"ts\":" + (NOW - 60_000) + ",\"metrics\":{\"t\":5,\"co2\":6}}").readings().get(0);
        Reading fewer = accepted("{\"deviceId\":\"a\",\"ts\":" + (NOW - 60_000) + ",\"metrics\":{\"t\":7}}").readings().get(0);

        assertEquals(true, same.hasMetricsOf(first));
        assertEquals(false, other.hasMetricsOf(first));
        assertEquals(false, fewer.hasMetricsOf(first));
        assertEquals(3.0, same.valueOf("t"));
        assertEquals(6.0, other.valueOf("co2"));
        assertEquals(Double.NaN, other.valueOf("h"));
        assertEquals(1, fewer.metricCount());
        assertEquals(2.0, first.valueOf("h"), "an earlier reading is not changed by later ones");
    }

    /**
     * The parser expects the fields and metrics of the last event, in its order, and matches them
     * without the name checks. Whatever the next event holds (another order, a repeat of an
     * expected name, a bad name after good ones, an escaped name) is judged as if nothing were expected.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "same shape         | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"seq\":2,\"metrics\":{\"t\":3,\"h\":4}}`  | accepted",
        "fields reordered   | `{\"metrics\":{\"h\":4,\"t\":3},\"seq\":2,\"ts\":\"2026-11-22T09:59:00Z\",\"deviceId\":\"b\"}`  | accepted",
        "escaped names      | `{\"device\\u0049d\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"\\u0074\":3,\"h\":4}}` | accepted",
        "metric repeated    | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":3,\"t\":4}}`             | invalid_field metrics.t",
        "repeat after all   | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":3,\"h\":4,\"h\":5}}`     | invalid_field metrics.h",
        "bad name after     | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":3,\"h\":4,\"9x\":5}}`    | invalid_metric_name metrics.9x",
        "field repeated     | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":3}}` | invalid_field ts",
        "device repeated    | `{\"deviceId\":\"b\",\"deviceId\":\"c\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":3}}`  | invalid_field deviceId",
        "trailing content   | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"seq\":2,\"metrics\":{\"t\":3,\"h\":4}} x` | invalid_json",
        "unclosed metrics   | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"seq\":2,\"metrics\":{\"t\":3,\"h\":4}`   | invalid_json",
        "value not a number | `{\"deviceId\":\"b\",\"ts\":\"2026-11-22T09:59:00Z\",\"seq\":2,\"metrics\":{\"t\":\"3\",\"h\":4}}`| invalid_field metrics.t",
    })
    void anEventAfterOneOfTheUsualShapeIsJudgedOnItsOwn(String name, String json, String outcome) {
        accepted("{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:58:00Z\",\"seq\":1,\"metrics\":{\"t\":1,\"h\":2}}"); // the shape to expect
        TelemetryParser.Result result = parser.parse(json, NOW);
        if (outcome.equals("accepted")) {
            TelemetryEvent event = assertInstanceOf(TelemetryParser.Accepted.class, result, json).event();
            assertEquals("b", event.deviceId());
            assertEquals(3.0, event.readings().get(0).valueOf("t"));
            assertEquals(4.0, event.readings().get(0).valueOf("h"));
            return;
        }
        Rejection rejection = assertInstanceOf(TelemetryParser.Rejected.class, result, json).rejection();
        String[] expected = outcome.split(" ");
        assertEquals(expected[0], rejection.reason().code(), rejection.toString());
        if (expected.length > 1) {
            assertEquals(expected[1], rejection.field(), rejection.toString());
        }
    }

    @Test
    void burstReadingsComeSortedByTime() {
        TelemetryEvent event = accepted("""
                {"deviceId": "gw:7", "readings": [
                  {"ts": "2026-11-22T09:59:40Z", "metrics": {"t": 2}},
                  {"ts": "2026-11-22T09:59:20Z", "metrics": {"t": 1}},
                  {"ts": "2026-11-22T09:59:50Z", "metrics": {"t": 3, "h": 9}}]}""");

        assertEquals(List.of(1.0, 2.0, 3.0), event.readings().stream().map(r -> r.valueOf("t")).toList());
        assertNull(event.deviceSeq());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json                | `{oops`                                                                            | invalid_json        | ",
            "array                   | `[1,2]`                                                                            | invalid_json        | ",
            "trailing content        | `{\"deviceId\":\"a\",\"ts\":1,\"metrics\":{\"t\":1}} {}`                           | invalid_json        | ",
            "no device               | `{\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1}}`                          | missing_field       | deviceId",
            "device not a string     | `{\"deviceId\":7,\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1}}`           | invalid_field       | deviceId",
            "bad device id           | `{\"deviceId\":\"boiler 1\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1}}` | invalid_device_id   | deviceId",
            "no ts                   | `{\"deviceId\":\"a\",\"metrics\":{\"t\":1}}`                                       | missing_field       | ts",
            "ts without zone         | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00\",\"metrics\":{\"t\":1}}`        | invalid_field       | ts",
            "ts as float             | `{\"deviceId\":\"a\",\"ts\":1.5,\"metrics\":{\"t\":1}}`                             | invalid_field       | ts",
            "no metrics              | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\"}`                             | missing_field       | metrics",
            "empty metrics           | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{}}`              | invalid_field       | metrics",
            "metric as string        | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":\"21\"}}`  | invalid_field       | metrics.t",
            "NaN                     | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":NaN}}`     | non_finite_value    | metrics.t",
            "Infinity                | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":-Infinity}}` | non_finite_value  | metrics.t",
            "overflow                | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1e999}}`   | non_finite_value    | metrics.t",
            "largest double          | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1.7976931348623157e308}}` | value_out_of_range | metrics.t",
            "beyond the range        | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":-1.000001e15}}` | value_out_of_range | metrics.t",
            "bad metric name         | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"temp C\":1}}`  | invalid_metric_name | metrics.temp C",
            "duplicate metric        | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1,\"t\":2}}` | invalid_field     | metrics.t",
            "future                  | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T10:05:01Z\",\"metrics\":{\"t\":1}}`       | future_timestamp    | ts",
            "too late                | `{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:49:59Z\",\"metrics\":{\"t\":1}}`       | too_late            | ts",
            "both shapes             | `{\"deviceId\":\"a\",\"ts\":1,\"metrics\":{\"t\":1},\"readings\":[]}`              | invalid_field       | readings",
            "empty burst             | `{\"deviceId\":\"a\",\"readings\":[]}`                                             | invalid_field       | readings",
            "late reading in burst   | `{\"deviceId\":\"a\",\"readings\":[{\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1}},{\"ts\":\"2026-11-22T09:40:00Z\",\"metrics\":{\"t\":1}}]}` | too_late | readings[0].ts",
            "reading without ts      | `{\"deviceId\":\"a\",\"readings\":[{\"metrics\":{\"t\":1}}]}`                      | missing_field       | readings[0].ts",
    })
    void badEventsAreRejectedWithAReasonAndTheField(String description, String json, String reason, String field) {
        Rejection rejection = rejected(json);
        assertEquals(reason, rejection.reason().code(), description + ": " + rejection);
        assertEquals(field, rejection.field(), description);
    }

    @Test
    void latenessIsASetting() {
        TelemetryParser lenient = new TelemetryParser(TelemetryLimits.withLateness(Duration.ofHours(1)));
        String late = "{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:30:00Z\",\"metrics\":{\"t\":1}}";
        assertInstanceOf(TelemetryParser.Accepted.class, lenient.parse(late, NOW));
        assertEquals(RejectReason.TOO_LATE, rejected(late).reason());
    }

    @Test
    void replacementCharactersMeanTheBytesWereNotUtf8() {
        assertEquals(RejectReason.INVALID_UTF8,
                rejected("{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1},\"meta\":\"\uFFFD\"}").reason());
    }

    @Test
    void sizeCapsAreEnforced() {
        String big = "{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{\"t\":1},\"meta\":\"" + "x".repeat(70_000) + "\"}";
        assertEquals(RejectReason.TOO_LARGE, rejected(big).reason());

        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i <= TelemetryLimits.MAX_METRICS_PER_READING; i++) {
            metrics.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":1");
        }
        assertEquals(RejectReason.TOO_MANY_METRICS,
                rejected("{\"deviceId\":\"a\",\"ts\":\"2026-11-22T09:59:00Z\",\"metrics\":{" + metrics + "}}").reason());

        StringBuilder readings = new StringBuilder();
        for (int i = 0; i <= TelemetryLimits.MAX_READINGS_PER_EVENT; i++) {
            readings.append(i == 0 ? "" : ",").append("{\"ts\":").append(NOW - i).append(",\"metrics\":{\"t\":1}}");
        }
        assertEquals(RejectReason.TOO_MANY_READINGS, rejected("{\"deviceId\":\"a\",\"readings\":[" + readings + "]}").reason());
    }

    @Test
    void deviceIdAndMetricNameRules() {
        assertEquals(true, TelemetryParser.isDeviceId("Boiler-1.plant_2:a"));
        assertEquals(false, TelemetryParser.isDeviceId("a/b"));
        assertEquals(false, TelemetryParser.isDeviceId("x".repeat(129)));
        assertEquals(true, TelemetryParser.isMetricName("pm2_5"));
        assertEquals(false, TelemetryParser.isMetricName("2pm"));
        assertEquals(false, TelemetryParser.isMetricName("co2-level"));
    }
}
