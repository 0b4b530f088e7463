package dev.sensorchat.simulators.devices;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated devices: how many of each kind, what they are called, their tags and locations,
 * and how often they report. Everything is drawn from the seed.
 *
 * @param mix        weight per kind, e.g. thermostat=50, air-quality=30, machine=20
 * @param prefixes   id prefix per kind (ids are {@code <prefix>-<n>}, n from 1)
 * @param tags       tags given to every device of a kind (plus the kind itself)
 * @param locations  locations handed out in turn
 * @param intervalMs how often each device reports, on average
 * @param jitter     how much each interval varies, as a fraction (0.1 = ±10 %)
 */
public record Fleet(int count, Map<DeviceKind, Integer> mix, Map<DeviceKind, String> prefixes, Map<DeviceKind, List<String>> tags,
                    List<String> locations, long intervalMs, double jitter) {

    public static Map<DeviceKind, Integer> parseMix(String text) {
        Map<DeviceKind, Integer> mix = new EnumMap<>(DeviceKind.class);
        for (String part : text.split(",")) {
            String[] kv = part.split("[=:]");
            if (kv.length != 2) {
                throw new IllegalArgumentException("mix is kind=weight[,kind=weight...], e.g. thermostat=50,machine=50");
            }
            int weight = Integer.parseInt(kv[1].strip());
            if (weight < 0) {
                throw new IllegalArgumentException("mix weights are not negative");
            }
            mix.put(DeviceKind.parse(kv[0]), weight);
        }
        if (mix.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("mix needs at least one positive weight");
        }
        return mix;
    }

    /** The devices, in a stable order: kinds interleaved by weight, numbered per kind. */
    public List<DeviceProfile> profiles(long seed) {
        List<DeviceKind> kinds = new ArrayList<>();
        mix.forEach((kind, weight) -> {
            if (weight > 0) {
                kinds.add(kind);
            }
        });
        int total = mix.values().stream().mapToInt(Integer::intValue).sum();
        Map<DeviceKind, Integer> numbered = new LinkedHashMap<>();
        List<DeviceProfile> profiles = new ArrayList<>(count);
        double[] credit = new double[kinds.size()];
        for (int i = 0; i < count; i++) {
            // Smooth weighted round-robin: deterministic and evenly spread.
            int best = 0;
            for (int k = 0; k < kinds.size(); k++) {
                credit[k] += (double) mix.get(kinds.get(k)) / total;
                if (credit[k] > credit[best]) {
                    best = k;
                }
            }
            credit[best] -= 1;
            DeviceKind kind = kinds.get(best);
            int n = numbered.merge(kind, 1, Integer::sum);
            String id = prefixes.getOrDefault(kind, kind.defaultPrefix()) + "-" + n;
            List<String> deviceTags = new ArrayList<>();
            deviceTags.add(kind.label());
            deviceTags.addAll(tags.getOrDefault(kind, List.of()));
            String location = locations.isEmpty() ? null : locations.get(i % locations.size());
            profiles.add(DeviceProfile.draw(i, id, kind, List.copyOf(deviceTags), location, intervalMs, jitter,
                    new SplittableRandom(seed * 1_000_003L + i)));
        }
        return profiles;
    }
}
