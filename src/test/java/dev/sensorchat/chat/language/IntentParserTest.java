package dev.sensorchat.chat.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.alerts.RuleScope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parser's contract: utterances, phrased many ways and with typos, and what each must mean.
 * Columns: utterance | intent | device | metric | other entities (key=value; ...).
 */
class IntentParserTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Vocabulary FLEET = Vocabulary.builder()
            .device("boiler-1", "Boiler One", List.of("boiler", "plant-2"), List.of("temperature", "pressure"))
            .device("boiler-2", null, List.of("boiler"), List.of("temperature", "pressure"))
            .device("gh-1", "Greenhouse North", List.of("greenhouse"), List.of("temperature", "humidity", "co2"))
            .device("gh-2", null, List.of("greenhouse"), List.of("temperature", "humidity", "co2"))
            .device("chiller-3", null, List.of(), List.of("temperature", "vibration", "pm2_5"))
            .build();

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // help and small talk
            "help                                           | HELP          |           |             |",
            "HELP!!                                         | HELP          |           |             |",
            "hepl                                           | HELP          |           |             |",
            "what can you do?                               | HELP          |           |             |",
            "hi                                             | HELP          |           |             |",
            "/start                                         | HELP          |           |             |",
            "/help                                          | HELP          |           |             |",
            "commands                                       | HELP          |           |             |",
            "''                                             | HELP          |           |             |",
            // devices
            "devices                                        | DEVICES       |           |             |",
            "list devices                                   | DEVICES       |           |             |",
            "Show me all the sensors                        | DEVICES       |           |             |",
            "devcies                                        | DEVICES       |           |             |",
            "devices with tag greenhouse                    | DEVICES       |           |             | tag=greenhouse",
            "devices tagged boiler                          | DEVICES       |           |             | tag=boiler",
            "devices in greenhouse                          | DEVICES       |           |             | tag=greenhouse",
            "devices in location plant 2 basement           | DEVICES       |           |             | location=plant 2 basement",
            "which devices are in the roof                  | DEVICES       |           |             | location=the roof",
            "fleet                                          | DEVICES       |           |             |",
            // status
            "status boiler-1                                | STATUS        | boiler-1  |             |",
            "Status of Boiler-1?                            | STATUS        | boiler-1  |             |",
            "staus boiler-1                                 | STATUS        | boiler-1  |             |",
            "/status boiler-1                               | STATUS        | boiler-1  |             |",
            "how is boiler one doing                        | STATUS        | boiler-1  |             |",
            "how's gh-2                                     | STATUS        | gh-2      |             |",
            "state of greenhouse north                      | STATUS        | gh-1      |             |",
            "status boiler1                                 | STATUS        | boiler-1  |             |",
            "status boiler-9                                | STATUS        | boiler-9  |             |",
            "health chiller-3                               | STATUS        | chiller-3 |             |",
            "status                                         | STATUS        |           |             |",
            "overview of chiler-3                           | STATUS        | chiller-3 |             |",
            "info gh-1                                      | STATUS        | gh-1      |             |",
            // metrics
            "temperature of boiler-1 last hour              | METRIC        | boiler-1  | temperature | range=last hour",
            "temp boiler-1                                  | METRIC        | boiler-1  | temperature |",
            "boiler-1 temperature today                     | METRIC        | boiler-1  | temperature | range=today",
            "what's the temprature of boiler-2 yesterday?   | METRIC        | boiler-2  | temperature | range=yesterday",
            "humidity gh-1 last 24h                         | METRIC        | gh-1      | humidity    | range=last 24 hours",
            "show humidty for gh-2 since 10:00              | METRIC        | gh-2      | humidity    | range=since 10:00",
            "rh greenhouse north past 3 days                | METRIC        | gh-1      | humidity    | range=last 3 days",
            "co2 in gh-2 2026-11-20                         | METRIC        | gh-2      | co2         | range=2026-11-20",
            "CO2 gh-1 last 30 minutes                       | METRIC        | gh-1      | co2         | range=last 30 minutes",
            "°C boiler-1                                    | METRIC        | boiler-1  | temperature |",
            "degrees on boiler-2 last 2 hours               | METRIC        | boiler-2  | temperature | range=last 2 hours",
            "vibration chiller-3 last week                  | METRIC        | chiller-3 | vibration   | range=last week",
            "vib chiller-3                                  | METRIC        | chiller-3 | vibration   |",
            "pm2.5 chiller-3 6h                             | METRIC        | chiller-3 | pm2_5       | range=last 6 hours",
            "pm25 at chiller-3                              | METRIC        | chiller-3 | pm2_5       |",
            "pressure boiler-1 last 12h                     | METRIC        | boiler-1  | pressure    | range=last 12 hours",
            "temps for boiler one                           | METRIC        | boiler-1  | temperature |",
            "give me the temperature of boiler-1 for the last 5 hours | METRIC | boiler-1 | temperature | range=last 5 hours",
            "temperature on boiler-1 last day               | METRIC        | boiler-1  | temperature | range=last day",
            "carbon dioxide gh-1                            | METRIC        | gh-1      | co2         |",
            "moisture gh-2 today                            | METRIC        | gh-2      | humidity    | range=today",
            // follow-ups
            "and humidity?                                  | METRIC        |           | humidity    |",
            "and the co2                                    | METRIC        |           | co2         |",
            "what about boiler-2?                           | OTHER_DEVICE  | boiler-2  |             |",
            "how about gh-2                                 | OTHER_DEVICE  | gh-2      |             |",
            "and chiller-3?                                 | OTHER_DEVICE  | chiller-3 |             |",
            "boiler-2                                       | OTHER_DEVICE  | boiler-2  |             |",
            "and yesterday?                                 | METRIC        |           |             | range=yesterday",
            "what about the last 6 hours                    | METRIC        |           |             | range=last 6 hours",
            // alerts
            "alerts                                         | ALERTS        |           |             |",
            "open alerts                                    | ALERTS        |           |             |",
            "show alarms                                    | ALERTS        |           |             |",
            "alerts boiler-1                                | ALERTS        | boiler-1  |             |",
            "any critical alerts?                           | ALERTS        |           |             | severity=critical",
            "warning alerts for gh-2                        | ALERTS        | gh-2      |             | severity=warning",
            "alrets                                         | ALERTS        |           |             |",
            "problems on chiller-3                          | ALERTS        | chiller-3 |             |",
            "ack al-0123456789ab                            | ACK           |           |             | alert=al-0123456789ab",
            "acknowledge al-0123456789ab please             | ACK           |           |             | alert=al-0123456789ab",
            "ACK AL-0123456789AB                            | ACK           |           |             | alert=al-0123456789ab",
            "acknowlege al-0123456789ab                     | ACK           |           |             | alert=al-0123456789ab",
            "resolve al-0123456789ab                        | RESOLVE       |           |             | alert=al-0123456789ab",
            "close al-0123456789ab, it's fixed              | RESOLVE       |           |             | alert=al-0123456789ab",
            "reslove al-0123456789ab                        | RESOLVE       |           |             | alert=al-0123456789ab",
            "al-0123456789ab                                | UNKNOWN       |           |             | alert=al-0123456789ab",
            // rules
            "rules                                          | RULES         |           |             |",
            "list rules                                     | RULES         |           |             |",
            "show my rules                                  | RULES         |           |             |",
            "alert rules                                    | RULES         |           |             |",
            "alert me when temperature > 30 on boiler-1 for 5 minutes | CREATE_RULE | boiler-1 | temperature | op=>; threshold=30.0; scope=device:boiler-1; hold=300",
            "warn if humidity below 20 for tag greenhouse   | CREATE_RULE   |           | humidity    | op=<; threshold=20.0; scope=tag:greenhouse; severity=warning",
            "Alert me if temp goes above 80 on boiler one   | CREATE_RULE   | boiler-1  | temperature | op=>; threshold=80.0; scope=device:boiler-1",
            "notify me when co2 >= 1000                     | CREATE_RULE   |           | co2         | op=>=; threshold=1000.0; scope=all",
            "tell me when vibration exceeds 7.5 on chiller-3 for 3 readings | CREATE_RULE | chiller-3 | vibration | op=>; threshold=7.5; consecutive=3",
            "create rule: pressure < 1.2 on boiler-2 critical | CREATE_RULE | boiler-2  | pressure    | op=<; threshold=1.2; severity=critical",
            "let me know if humidity drops below 35% in greenhouse for 10m | CREATE_RULE | | humidity | op=<; threshold=35.0; scope=tag:greenhouse; hold=600",
            "alert me when temperature is at least 90 on all devices | CREATE_RULE | | temperature | op=>=; threshold=90.0; scope=all",
            "add a rule: temp under 5 for 1 hour            | CREATE_RULE   |           | temperature | op=<; threshold=5.0; hold=3600",
            "alert me when temperature <= -5                | CREATE_RULE   |           | temperature | op=<=; threshold=-5.0",
            "alert me when something happens                | UNKNOWN       |           |             |",
            "delete rule hot-boilers                        | DELETE_RULE   |           |             | rule=hot-boilers",
            "remove rule r-1234abcd                         | DELETE_RULE   |           |             | rule=r-1234abcd",
            "delete the boiler-overheat rule                | DELETE_RULE   |           |             | rule=boiler-overheat",
            "delete rule                                    | UNKNOWN       |           |             |",
            // subscriptions
            "subscribe boiler-1                             | SUBSCRIBE     |           |             | scope=device:boiler-1",
            "subscribe to tag greenhouse critical           | SUBSCRIBE     |           |             | scope=tag:greenhouse; severity=critical",
            "subscribe all                                  | SUBSCRIBE     |           |             | scope=all",
            "subscribe                                      | SUBSCRIBE     |           |             | scope=all",
            "notify me about gh-2                           | SUBSCRIBE     |           |             | scope=device:gh-2",
            "follow greenhouse warning                      | SUBSCRIBE     |           |             | scope=tag:greenhouse; severity=warning",
            "subscirbe boiler-2                             | SUBSCRIBE     |           |             | scope=device:boiler-2",
            "watch chiller-3                                | SUBSCRIBE     |           |             | scope=device:chiller-3",
            "unsubscribe boiler-1                           | UNSUBSCRIBE   |           |             | scope=device:boiler-1",
            "unsubscribe                                    | UNSUBSCRIBE   |           |             |",
            "stop notifications for tag greenhouse          | UNSUBSCRIBE   |           |             | scope=tag:greenhouse",
            "mute gh-2                                      | UNSUBSCRIBE   |           |             | scope=device:gh-2",
            "subscriptions                                  | SUBSCRIPTIONS |           |             |",
            "my subscriptions                               | SUBSCRIPTIONS |           |             |",
            "what am I subscribed to?                       | SUBSCRIPTIONS |           |             |",
            // reports
            "report yesterday                               | REPORT        |           |             | range=yesterday",
            "report for boiler-1 last week                  | REPORT        | boiler-1  |             | range=last week",
            "give me the report for tag greenhouse today    | REPORT        |           |             | range=today; scope=tag:greenhouse",
            "reports                                        | REPORT        |           |             |",
            "fleet report 2026-11-20                        | REPORT        |           |             | range=2026-11-20",
            // confirmations
            "yes                                            | YES           |           |             |",
            "Yes!                                           | YES           |           |             |",
            "ok                                             | YES           |           |             |",
            "yes please                                     | YES           |           |             |",
            "no                                             | NO            |           |             |",
            "Nope.                                          | NO            |           |             |",
            "cancel                                         | NO            |           |             |",
            // not understood
            "make me a sandwich                             | UNKNOWN       |           |             |",
            "stauts                                         | STATUS        |           |             |",
            "rulez                                          | RULES         |           |             |",
            "xyzzy                                          | UNKNOWN       |           |             |",
            // hostile or impossible: refused with the reason, never answered as something else
            "status <script>alert(1)</script>               | UNUSABLE      |           |             |",
            "temperature of boiler-1 <img src=x onerror=alert(1)> | UNUSABLE |        |             |",
            "last 99999999999 days                          | UNUSABLE      |           |             |",
            "temperature of boiler-1 last 400 days          | UNUSABLE      |           |             |",
            "temperature of boiler-1 last 0 hours           | UNUSABLE      |           |             |",
            "temperature of boiler-1 last 52 weeks          | METRIC        | boiler-1  | temperature | range=last 52 weeks",
            "alert me when temperature < 30 and > 20 on boiler-1 | CREATE_RULE | boiler-1 | temperature |",
    })
    void utterancesMeanWhatPeopleMeant(String utterance, String intent, String device, String metric, String others) {
        Intent parsed = new IntentParser().parse(utterance, FLEET, NOW);
        assertEquals(IntentType.valueOf(intent), parsed.type(), () -> utterance + " → " + parsed);
        assertEquals(device, parsed.device(), () -> "device of: " + utterance + " → " + parsed);
        assertEquals(metric, parsed.metric(), () -> "metric of: " + utterance + " → " + parsed);
        Map<String, String> expected = entities(others);
        expected.forEach((key, value) -> assertEquals(value, actual(parsed, key), () -> key + " of: " + utterance + " → " + parsed));
    }

    private static Map<String, String> entities(String text) {
        Map<String, String> entities = new LinkedHashMap<>();
        if (text != null) {
            for (String pair : text.split(";")) {
                int equals = pair.indexOf('=');
                entities.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
        return entities;
    }

    private static String actual(Intent intent, String key) {
        return switch (key) {
            case "tag" -> intent.tag();
            case "location" -> intent.location();
            case "severity" -> intent.severity() != null ? intent.severity().label()
                    : intent.rule() != null ? intent.rule().severity().label() : null;
            case "alert" -> intent.alertId();
            case "rule" -> intent.ruleId();
            case "range" -> intent.range() == null ? null : intent.range().label();
            case "scope" -> scope(intent.scope() != null ? intent.scope() : intent.rule() != null ? intent.rule().scope() : null);
            case "op" -> intent.rule().operator().symbol();
            case "threshold" -> String.valueOf(intent.rule().threshold());
            case "hold" -> String.valueOf(intent.rule().holdSeconds());
            case "consecutive" -> String.valueOf(intent.rule().consecutive());
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static String scope(RuleScope scope) {
        if (scope == null) {
            return null;
        }
        return scope.kind() == RuleScope.Kind.ALL ? "all" : scope.kind().label() + ":" + scope.value();
    }

    /** A conversation's first message is most often one of these: answered without listing the fleet. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "/start | HELP", "help | HELP", "hepl | HELP", "hi | HELP", "what can you do? | HELP", "yes | YES", "no | NO", "rules | RULES",
            "my subscriptions | SUBSCRIPTIONS", "ack al-0123456789ab | ACK", "delete rule r-1 | DELETE_RULE",
            "status <b>x</b> | UNUSABLE",
    })
    void messagesThatNameNoDeviceDoNotAskForTheFleet(String utterance, String intent) {
        int[] asked = {0};
        Intent parsed = parseCountingAsks(utterance, asked);
        assertEquals(IntentType.valueOf(intent), parsed.type(), () -> utterance + " → " + parsed);
        assertEquals(0, asked[0], () -> utterance + " asked for the fleet's vocabulary");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "status boiler-1 | STATUS", "alerts | ALERTS", "devices in the greenhouse | DEVICES", "subscribe boiler | SUBSCRIBE",
            "alert me when temperature > 30 | CREATE_RULE", "temperature last hour | METRIC",
    })
    void messagesThatMayNameADeviceAskForTheFleetOnce(String utterance, String intent) {
        int[] asked = {0};
        Intent parsed = parseCountingAsks(utterance, asked);
        assertEquals(IntentType.valueOf(intent), parsed.type(), () -> utterance + " → " + parsed);
        assertEquals(new IntentParser().parse(utterance, FLEET, NOW), parsed, "the same meaning as with the vocabulary at hand");
        assertEquals(1, asked[0], () -> utterance + " asked for the fleet " + asked[0] + " times");
    }

    /** Parses with the fleet's vocabulary behind a supplier that counts how often it is asked for. */
    private static Intent parseCountingAsks(String utterance, int[] asked) {
        return new IntentParser().parse(utterance, () -> {
            asked[0]++;
            return FLEET;
        }, NOW);
    }

    @org.junit.jupiter.api.Test
    void anUnusableMessageSaysWhatIsWrongInTheUsersTerms() {
        IntentParser parser = new IntentParser();
        String markup = parser.parse("status <script>alert(1)</script>", FLEET, NOW).problem();
        assertTrue(markup.contains("markup") && markup.contains("<script>"), markup);
        String tooLong = parser.parse("temperature of boiler-1 last 99999999999 days", FLEET, NOW).problem();
        assertTrue(tooLong.contains("`last 99999999999 days`") && tooLong.contains("366 days"), tooLong);
        String huge = parser.parse("last " + "9".repeat(500) + " days", FLEET, NOW).problem();
        assertTrue(huge.length() < 200, "a quoted range is cut short: " + huge);
    }
}
