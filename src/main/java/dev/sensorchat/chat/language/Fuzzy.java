package dev.sensorchat.chat.language;

import java.util.Collection;
import java.util.Optional;

/** Tolerance for typos: edit distance, allowed to grow with word length. */
public final class Fuzzy {

    private Fuzzy() {
    }

    /** Edits allowed for a word of this length: none up to 3 letters, 1 up to 7, then 2. */
    static int allowedEdits(int length) {
        return length <= 3 ? 0 : length <= 7 ? 1 : 2;
    }

    public static boolean matches(String word, String target) {
        if (word.equals(target)) {
            return true;
        }
        int allowed = allowedEdits(Math.min(word.length(), target.length()));
        return allowed > 0 && Math.abs(word.length() - target.length()) <= allowed && distance(word, target, allowed) <= allowed;
    }

    /** The candidate closest to {@code word} within the allowed edits, exact matches first. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.equals(word)) {
                return Optional.of(candidate);
            }
            int allowed = allowedEdits(Math.min(word.length(), candidate.length()));
            if (allowed == 0 || Math.abs(word.length() - candidate.length()) > allowed) {
                continue;
            }
            int d = distance(word, candidate, allowed);
            if (d <= allowed && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Edit distance counting a swap of neighbouring letters as one edit ("hepl" → "help"), as typos
     * usually are (optimal string alignment). Returns limit + 1 once it must exceed {@code limit}.
     */
    public static int distance(String a, String b, int limit) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
                rowMin = Math.min(rowMin, d[i][j]);
            }
            if (rowMin > limit + 1) {
                return limit + 1;
            }
        }
        return Math.min(d[a.length()][b.length()], limit + 1);
    }
}
