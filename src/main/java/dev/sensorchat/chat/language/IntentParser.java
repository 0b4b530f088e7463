package dev.sensorchat.chat.language;

import dev.sensorchat.alerts.Operator;
import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.alerts.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out what a chat message asks for. Deterministic and tolerant: any case and punctuation,
 * small typos (edit distance), synonyms ("temp", "°C", "rh"). Keyword rules in a fixed order; no
 * model, so the same words always mean the same thing and every case is testable.
 */
public final class IntentParser {

    private static final Map<String, String> METRIC_SYNONYMS = Map.ofEntries(
            Map.entry("temperature", "temperature"), Map.entry("temp", "temperature"), Map.entry("temps", "temperature"),
            Map.entry("celsius", "temperature"), Map.entry("degrees", "temperature"), Map.entry("heat", "temperature"),
            Map.entry("humidity", "humidity"), Map.entry("hum", "humidity"), Map.entry("humid", "humidity"),
            Map.entry("rh", "humidity"), Map.entry("moisture", "humidity"),
            Map.entry("co2", "co2"), Map.entry("carbon", "co2"),
            Map.entry("pm2.5", "pm2_5"), Map.entry("pm25", "pm2_5"), Map.entry("pm2_5", "pm2_5"), Map.entry("particulates", "pm2_5"),
            Map.entry("vibration", "vibration"), Map.entry("vibrations", "vibration"), Map.entry("vib", "vibration"),
            Map.entry("pressure", "pressure"));
    private static final Set<String> YES = Set.of("yes", "y", "yep", "yeah", "yup", "ok", "okay", "sure", "confirm", "do it", "yes please");
    private static final Set<String> NO = Set.of("no", "n", "nope", "nah", "cancel", "abort", "never mind", "no thanks");
    private static final List<String> COMMANDS = List.of("help", "devices", "status", "alerts", "rules", "subscribe",
            "unsubscribe", "subscriptions", "ack", "resolve");
    private static final Set<String> STOP_WORDS = Set.of("the", "of", "for", "on", "in", "at", "a", "an", "me", "show", "what",
            "whats", "what's", "is", "are", "and", "about", "how", "give", "tell", "please", "to", "from", "with", "my", "get",
            "list", "now", "current", "currently", "latest", "last", "past", "since", "today", "yesterday", "was", "were",
            "it", "its", "there", "any", "all", "when", "if", "than", "be", "do", "does", "did", "i", "you", "can");
    private static final Pattern ALERT_ID = Pattern.compile("\\bal-[0-9a-f]{12}\\b");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    /** "10m", "35%", "5min": amounts, not device ids. */
    private static final Pattern QUANTITY = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:%|s|secs?|m|mins?|h|hrs?|d|w|x)");
    private static final Pattern HOLD = Pattern.compile(
            "\\bfor\\s+(?:at\\s+least\\s+)?(\\d+)\\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\\b");
    private static final Pattern CONSECUTIVE = Pattern.compile("\\b(\\d+)\\s*(?:readings|times|samples|consecutive)\\b");
    private static final Pattern LOOKS_LIKE_ID = Pattern.compile("[a-z0-9._:-]*[a-z][a-z0-9._:-]*\\d[a-z0-9._:-]*|[a-z0-9._:-]*\\d[a-z0-9._:-]*[a-z][a-z0-9._:-]*");
    private static final String[] RULE_TRIGGERS = {"alert me", "alert if", "alert when", "notify me when", "notify me if",
        "warn if", "warn me", "warn when", "tell me when", "tell me if", "let me know when", "let me know if",
        "create rule", "create a rule", "add rule", "add a rule", "new rule", "raise an alert", "raise alert"};

    /** An HTML or XML tag: what a message of plain words never holds, and what must never be read as words. */
    private static final Pattern MARKUP = Pattern.compile("</?[a-z][a-z0-9-]*(?:\\s+[a-z-]+\\s*=\\s*[^\\s>]+)*\\s*/?>");

    /** Understands {@code text}; {@code now} anchors relative times ("last hour"). */
    public Intent parse(String text, Vocabulary vocabulary, Instant now) {
        return parse(text, () -> vocabulary, now);
    }

    /**
     * As {@link #parse(String, Vocabulary, Instant)}, asking for the fleet's vocabulary only when
     * the message may name a device, tag or metric: "help", "/start", "yes", "rules" or an alert id
     * are understood without it, so a conversation's first message does not wait for the device list.
     */
    public Intent parse(String text, Supplier<Vocabulary> fleet, Instant now) {
        Message message = new Message(text);
        if (message.lower.isEmpty()) {
            return Intent.of(IntentType.HELP);
        }
        // "status <script>alert(1)</script>" was once answered with the alert list: words inside
        // markup are not the user's words, so a message with markup is refused, saying so.
        Matcher markup = MARKUP.matcher(text.toLowerCase(Locale.ROOT));
        if (markup.find()) {
            String tag = markup.group();
            return Intent.unusable("it holds markup (`" + (tag.length() > 30 ? tag.substring(0, 30) + "…" : tag)
                    + "`), and I read plain words only");
        }
        Optional<String> badRange = TimeRange.unusable(message.lower);
        if (badRange.isPresent()) {
            return Intent.unusable(badRange.get());
        }
        String bare = message.lower.replaceAll("[^a-z ]", " ").replaceAll("\\s+", " ").strip();
        if (YES.contains(bare)) {
            return Intent.of(IntentType.YES);
        }
        if (NO.contains(bare)) {
            return Intent.of(IntentType.NO);
        }

        Matcher alert = ALERT_ID.matcher(message.lower);
        if (alert.find()) {
            String id = alert.group();
            if (message.has("ack", "acknowledge", "acknowledged", "acked", "seen")) {
                return Intent.of(IntentType.ACK).withAlertId(id);
            }
            if (message.has("resolve", "resolved", "close", "closed", "clear", "fixed", "done")) {
                return Intent.of(IntentType.RESOLVE).withAlertId(id);
            }
            return Intent.of(IntentType.UNKNOWN).withAlertId(id).withSuggestion("`ack " + id + "` or `resolve " + id + "`");
        }

        if (message.has("delete", "remove", "drop") && message.has("rule", "rules")) {
            String ruleId = message.wordAfter("rule").or(() -> message.wordAfter("rules")).or(() -> message.wordBefore("rule")).orElse(null);
            return ruleId == null
                    ? Intent.of(IntentType.UNKNOWN).withSuggestion("`delete rule <id>`; `rules` lists them")
                    : Intent.of(IntentType.DELETE_RULE).withRuleId(ruleId);
        }

        if (Arrays.stream(RULE_TRIGGERS).anyMatch(message::hasPhrase)) {
            return ruleCreation(message, fleet.get());
        }

        if (message.has("subscriptions") || message.hasPhrase("subscribed to") || message.hasPhrase("what am i following")) {
            return Intent.of(IntentType.SUBSCRIPTIONS);
        }
        if (message.startsWith("unsub", "unfollow") || message.hasExactly("mute") || message.hasPhrase("stop notifications")
                || message.hasPhrase("stop alerts") || message.hasPhrase("stop notifying")) {
            return Intent.of(IntentType.UNSUBSCRIBE).withScope(scope(message, fleet.get()).orElse(null)).withSeverity(severity(message));
        }
        if (message.has("subscribe", "follow", "watch") || message.hasPhrase("notify me about") || message.hasPhrase("notify me of")
                || message.hasPhrase("send me alerts")) {
            return Intent.of(IntentType.SUBSCRIBE).withScope(scope(message, fleet.get()).orElse(RuleScope.all())).withSeverity(severity(message));
        }

        if (message.has("rules") || message.hasPhrase("list rules") || message.hasPhrase("show rules")
                || message.hasPhrase("my rules") || message.hasPhrase("alert rules")) {
            return Intent.of(IntentType.RULES);
        }
        if (message.has("help", "commands") || message.hasExactly("hi", "hello", "hey", "start")
                || message.hasPhrase("what can you do") || bare.isEmpty()) {
            return Intent.of(IntentType.HELP);
        }

        // Queries: a time range first, so "24h" is not taken for a device.
        Vocabulary vocabulary = fleet.get();
        Optional<TimeRange.Found> range = TimeRange.find(message.lower, now);
        Message query = range.map(found -> new Message(found.rest())).orElse(message);
        TimeRange timeRange = range.map(TimeRange.Found::range).orElse(null);
        String device = device(query, vocabulary).orElse(null);

        if (query.has("report", "reports")) {
            Intent report = Intent.of(IntentType.REPORT).withRange(timeRange);
            Optional<RuleScope> scope = scope(query, vocabulary);
            return device != null ? report.withDevice(device) : report.withScope(scope.orElse(null));
        }
        if (query.has("alerts", "alarms", "alarm", "alert", "incidents", "problems", "issues")) {
            return Intent.of(IntentType.ALERTS).withDevice(device).withSeverity(severity(query));
        }
        if (query.has("devices", "sensors", "fleet", "things") || query.hasPhrase("list devices")) {
            return devices(query, vocabulary);
        }
        String metric = metric(query, vocabulary).orElse(null);
        if (query.has("status", "state", "health", "overview") || query.hasExactly("details", "info") || query.hasPhrase("how is")
                || query.hasPhrase("how's") || query.hasPhrase("hows")) {
            if (metric == null) {
                return Intent.of(IntentType.STATUS).withDevice(device);
            }
        }
        if (metric != null) {
            return Intent.of(IntentType.METRIC).withMetric(metric).withDevice(device).withRange(timeRange);
        }
        if (device != null) {
            return Intent.of(IntentType.OTHER_DEVICE).withDevice(device).withRange(timeRange);
        }
        if (timeRange != null) {
            return Intent.of(IntentType.METRIC).withRange(timeRange); // "and yesterday?": the last question, another range
        }
        return Intent.of(IntentType.UNKNOWN).withSuggestion(suggestion(message));
    }

    private Intent ruleCreation(Message message, Vocabulary vocabulary) {
        String metric = metric(message, vocabulary).orElse(null);
        Operator operator = operator(message).orElse(null);
        Double threshold = threshold(message, operator).orElse(null);
        if (metric == null || operator == null || threshold == null) {
            return Intent.of(IntentType.UNKNOWN).withSuggestion("a rule like `alert me when temperature > 30 on boiler-1 for 5 minutes`");
        }
        Long hold = null;
        Matcher holdMatch = HOLD.matcher(message.lower);
        if (holdMatch.find()) {
            long amount = Long.parseLong(holdMatch.group(1));
            String unit = holdMatch.group(2);
            hold = unit.startsWith("h") ? amount * 3600 : unit.startsWith("m") ? amount * 60 : amount;
        }
        Integer consecutive = null;
        Matcher consecutiveMatch = CONSECUTIVE.matcher(message.lower);
        if (hold == null && consecutiveMatch.find()) {
            consecutive = Integer.parseInt(consecutiveMatch.group(1));
        }
        Severity severity = explicitSeverity(message).orElse(Severity.WARNING);
        RuleScope scope = scope(message, vocabulary).orElse(RuleScope.all());
        return Intent.of(IntentType.CREATE_RULE)
                .withRule(new RuleDraft(metric, operator, threshold, scope, hold, consecutive, severity))
                .withMetric(metric)
                .withDevice(scope.kind() == RuleScope.Kind.DEVICE ? scope.value() : null);
    }

    private static Optional<Operator> operator(Message message) {
        for (String token : message.tokens) {
            switch (token) {
                case ">" -> {
                    return Optional.of(Operator.GT);
                }
                case ">=" -> {
                    return Optional.of(Operator.GE);
                }
                case "<" -> {
                    return Optional.of(Operator.LT);
                }
                case "<=" -> {
                    return Optional.of(Operator.LE);
                }
                default -> {
                }
            }
        }
        if (message.hasPhrase("at least")) {
            return Optional.of(Operator.GE);
        }
        if (message.hasPhrase("at most")) {
            return Optional.of(Operator.LE);
        }
        if (message.has("above", "over", "exceeds", "exceed", "exceeding", "higher", "greater", "more", "hotter", "rises")) {
            return Optional.of(Operator.GT);
        }
        if (message.has("below", "under", "lower", "less", "fewer", "colder", "drops", "falls")) {
            return Optional.of(Operator.LT);
        }
        return Optional.empty();
    }

    /** The first number after the comparison (before it, if there is none after). */
    private static Optional<Double> threshold(Message message, Operator operator) {
        int from = 0;
        for (int i = 0; i < message.tokens.size(); i++) {
            String token = message.tokens.get(i);
            if (token.matches("[<>]=?|above|over|exceeds?|exceeding|higher|greater|more|below|under|lower|less|least|most|drops|falls|rises")) {
                from = i + 1;
                break;
            }
        }
        for (int i = from; i < message.tokens.size(); i++) {
            String number = message.tokens.get(i).replaceAll("%$", "");
            if (NUMBER.matcher(number).matches()) {
                return Optional.of(Double.parseDouble(number));
            }
        }
        return Optional.empty();
    }

    private static Intent devices(Message message, Vocabulary vocabulary) {
        Intent intent = Intent.of(IntentType.DEVICES);
        Optional<String> tag = message.wordAfter("tag").or(() -> message.wordAfter("tagged")).or(() -> message.wordAfter("tags"));
        if (tag.isPresent()) {
            return intent.withTag(tag.get());
        }
        for (String token : message.tokens) {
            if (vocabulary.tags().contains(token)) {
                return intent.withTag(token);
            }
        }
        Optional<String> location = message.restAfter("location").or(() -> message.restAfter("in")).or(() -> message.restAfter("at"));
        return location.map(intent::withLocation).orElse(intent);
    }

    /** device X, tag X, or everything: for subscriptions and rule scopes. */
    private static Optional<RuleScope> scope(Message message, Vocabulary vocabulary) {
        Optional<String> tag = message.wordAfter("tag").or(() -> message.wordAfter("tagged"));
        if (tag.isPresent()) {
            return Optional.of(RuleScope.tag(tag.get()));
        }
        Optional<String> device = device(message, vocabulary);
        if (device.isPresent()) {
            return Optional.of(RuleScope.device(device.get()));
        }
        for (String token : message.tokens) {
            if (vocabulary.tags().contains(token)) {
                return Optional.of(RuleScope.tag(token));
            }
        }
        if (message.has("all", "everything", "every", "any")) {
            return Optional.of(RuleScope.all());
        }
        return Optional.empty();
    }

    private static Optional<String> device(Message message, Vocabulary vocabulary) {
        List<String> names = new ArrayList<>(vocabulary.deviceNames().keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        for (String name : names) {
            if (message.hasPhrase(name)) {
                return Optional.of(vocabulary.deviceNames().get(name));
            }
        }
        for (String token : message.tokens) {
            String id = vocabulary.deviceIds().get(token);
            if (id != null) {
                return Optional.of(id);
            }
        }
        for (String token : message.tokens) {
            if (token.length() >= 5 && !isReserved(token, vocabulary)) {
                // Typos in letters are forgiven, never in numbers: "boiler-9" is not "boiler-1".
                Optional<String> close = Fuzzy.closest(token, vocabulary.deviceIds().keySet())
                        .filter(candidate -> digits(candidate).equals(digits(token)));
                if (close.isPresent()) {
                    return Optional.of(vocabulary.deviceIds().get(close.get()));
                }
            }
        }
        // Not a device we know, but written like an id ("boiler-9"): pass it on, so the answer can say so.
        for (String token : message.tokens) {
            if (LOOKS_LIKE_ID.matcher(token).matches() && !isReserved(token, vocabulary) && !NUMBER.matcher(token).matches()) {
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> metric(Message message, Vocabulary vocabulary) {
        for (String token : message.tokens) {
            String synonym = METRIC_SYNONYMS.get(token);
            if (synonym != null) {
                return Optional.of(synonym);
            }
            if (vocabulary.metrics().contains(token)) {
                return Optional.of(token);
            }
        }
        for (String token : message.tokens) {
            if (token.length() >= 4 && !STOP_WORDS.contains(token)) {
                Optional<String> synonym = Fuzzy.closest(token, METRIC_SYNONYMS.keySet());
                if (synonym.isPresent()) {
                    return Optional.of(METRIC_SYNONYMS.get(synonym.get()));
                }
                Optional<String> known = Fuzzy.closest(token, vocabulary.metrics());
                if (known.isPresent()) {
                    return known;
                }
            }
        }
        return Optional.empty();
    }

    private static Severity severity(Message message) {
        return explicitSeverity(message).orElse(null);
    }

    private static Optional<Severity> explicitSeverity(Message message) {
        if (message.has("critical", "crit", "urgent")) {
            return Optional.of(Severity.CRITICAL);
        }
        if (message.has("warning", "warnings", "warn")) {
            return Optional.of(Severity.WARNING);
        }
        if (message.hasExactly("info")) {
            return Optional.of(Severity.INFO);
        }
        return Optional.empty();
    }

    private static boolean isReserved(String token, Vocabulary vocabulary) {
        return METRIC_SYNONYMS.containsKey(token) || vocabulary.metrics().contains(token) || STOP_WORDS.contains(token)
                || COMMANDS.contains(token) || ALERT_ID.matcher(token).matches() || QUANTITY.matcher(token).matches();
    }

    private static String digits(String text) {
        return text.replaceAll("\\D", "");
    }

    private static String suggestion(Message message) {
        String first = message.tokens.isEmpty() ? "" : message.tokens.get(0);
        for (String command : COMMANDS) {
            if (Fuzzy.distance(first, command, 2) <= 2 && first.length() >= 3) {
                return "`" + command + "`";
            }
        }
        return "`help`";
    }

    /** A message, lower-cased and split into words. */
    private static final class Message {
        final String lower;
        final List<String> tokens;

        Message(String text) {
            String lower = text.toLowerCase(Locale.ROOT).strip()
                    .replace("°c", " temperature ").replace("℃", " temperature ").replace("°f", " temperature ")
                    .replaceAll("^/", "")
                    .replaceAll("(>=|<=|>|<)", " $1 ")
                    .replaceAll("[,;!?()\"`“”‘’…]", " ")
                    .replaceAll("\\s+", " ")
                    .strip();
            this.lower = lower;
            List<String> words = new ArrayList<>();
            for (String word : lower.split(" ")) {
                String trimmed = word.replaceAll("^['.:]+|['.:]+$", "");
                if (!trimmed.isEmpty()) {
                    words.add(trimmed);
                }
            }
            this.tokens = List.copyOf(words);
        }

        /** Some word is one of the keywords, allowing small typos in longer ones. */
        boolean has(String... keywords) {
            for (String token : tokens) {
                for (String keyword : keywords) {
                    if (Fuzzy.matches(token, keyword)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Some word starts with one of the prefixes (no typo tolerance: "unsubscribe" is not "subscribe"). */
        boolean startsWith(String... prefixes) {
            for (String token : tokens) {
                for (String prefix : prefixes) {
                    if (token.startsWith(prefix)) {
                        return true;
                    }
                }
            }
            return false;
        }

        boolean hasExactly(String... words) {
            for (String word : words) {
                if (tokens.contains(word)) {
                    return true;
                }
            }
            return false;
        }

        boolean hasPhrase(String phrase) {
            return (" " + String.join(" ", tokens) + " ").contains(" " + phrase + " ");
        }

        Optional<String> wordAfter(String keyword) {
            int at = tokens.indexOf(keyword);
            while (at >= 0 && at + 1 < tokens.size()) {
                String next = tokens.get(at + 1);
                if (!STOP_WORDS.contains(next)) {
                    return Optional.of(next);
                }
                at++;
            }
            return Optional.empty();
        }

        Optional<String> wordBefore(String keyword) {
            int at = tokens.indexOf(keyword);
            for (int i = at - 1; i >= 0; i--) {
                if (!STOP_WORDS.contains(tokens.get(i)) && !Set.of("delete", "remove", "drop").contains(tokens.get(i))) {
                    return Optional.of(tokens.get(i));
                }
            }
            return Optional.empty();
        }

        Optional<String> restAfter(String keyword) {
            int at = tokens.indexOf(keyword);
            if (at < 0 || at + 1 >= tokens.size()) {
                return Optional.empty();
            }
            String rest = String.join(" ", tokens.subList(at + 1, tokens.size())).strip();
            return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
        }
    }
}
