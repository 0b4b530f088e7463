package dev.sensorchat.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sensorchat.alerts.Rule;
import dev.sensorchat.common.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The enabled rules a batch is evaluated with, and their fingerprint. Segments record the
 * fingerprint and the stream keeps each rule set once, so a replay after a rule change still
 * evaluates a batch with the rules it had.
 */
public record Rules(String fingerprint, List<Rule> rules) {

    public static final Rules NONE = of(List.of());

    public static Rules of(List<Rule> all) {
        List<Rule> enabled = all.stream().filter(Rule::enabled).sorted(Comparator.comparing(Rule::id)).toList();
        String json = json(enabled);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return new Rules(HexFormat.of().formatHex(digest, 0, 8), enabled);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Rules parse(String json) {
        try {
            return of(List.of(Json.MAPPER.readValue(json, Rule[].class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rule set does not parse: " + e.getOriginalMessage(), e);
        }
    }

    public String json() {
        return json(rules);
    }

    private static String json(List<Rule> rules) {
        try {
            return Json.MAPPER.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the stream gets the rules in force. */
    @FunctionalInterface
    public interface Source {
        /** The rules now; the same instance while nothing changed. */
        Rules current();
    }
}
