package dev.sensorchat.chat.language;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the fleet is called: device ids and names, tags and metrics, so the parser can recognise
 * them (and forgive typos in them).
 *
 * @param deviceIds lower-case id → id
 * @param deviceNames lower-case display name → id
 * @param tags lower-case tags
 * @param metrics metric names as stored
 */
public record Vocabulary(Map<String, String> deviceIds, Map<String, String> deviceNames, Set<String> tags, Set<String> metrics) {

    public static Vocabulary empty() {
        return new Vocabulary(Map.of(), Map.of(), Set.of(), Set.of());
    }

    /** Builds one from devices: (id, name, tags, metrics they report). */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, String> ids = new TreeMap<>();
        private final Map<String, String> names = new TreeMap<>();
        private final Set<String> tags = new TreeSet<>();
        private final Set<String> metrics = new TreeSet<>();

        public Builder device(String id, String name, Iterable<String> deviceTags, Iterable<String> deviceMetrics) {
            ids.put(id.toLowerCase(Locale.ROOT), id);
            if (name != null && !name.equalsIgnoreCase(id)) {
                names.put(name.toLowerCase(Locale.ROOT), id);
            }
            deviceTags.forEach(tag -> tags.add(tag.toLowerCase(Locale.ROOT)));
            deviceMetrics.forEach(metrics::add);
            return this;
        }

        public Vocabulary build() {
            return new Vocabulary(Map.copyOf(ids), Map.copyOf(names), Set.copyOf(tags), Set.copyOf(metrics));
        }
    }
}
