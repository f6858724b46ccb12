package dev.switchboard.actions;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/**
 * "Did you mean": the candidate nearest to a misspelled name, ignoring case. A candidate that contains the name,
 * or is contained in it ({@code email} for {@code email_address}), comes first; then the smallest edit distance.
 */
public final class Suggestions {
    private Suggestions() {}

    public static String closest(String name, Collection<String> candidates) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .min(Comparator.comparingInt((String c) -> overlaps(wanted, c.toLowerCase(Locale.ROOT)) ? 0 : 1)
                        .thenComparingInt(c -> distance(wanted, c.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .orElse(null);
    }

    private static boolean overlaps(String a, String b) {
        return a.length() >= 3 && b.length() >= 3 && (a.contains(b) || b.contains(a));
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
