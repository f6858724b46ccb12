package dev.switchboard.outcomes;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean": the candidate nearest to a misspelled name, ignoring case. A candidate that contains the name,
 * or is contained in it ({@code email} for {@code email_address}), comes first; then the smallest edit distance.
 */
public final class Suggestions {
    /**
     * Names longer than this get no suggestion: the edit distance costs the product of two lengths, and no
     * action or parameter name comes near it.
     */
    static final int MAX_NAME = 128;

    private Suggestions() {}

    public static String closest(String name, Collection<String> candidates) {
        if (name.length() > MAX_NAME) {
            return null;
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestOverlap = 2;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            int overlap = overlaps(wanted, lower) ? 0 : 1;
            if (overlap > bestOverlap) {
                continue;
            }
            int distance = distance(wanted, lower);
            if (overlap < bestOverlap || distance < bestDistance || (distance == bestDistance && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestOverlap = overlap;
                bestDistance = distance;
            }
        }
        return best;
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
