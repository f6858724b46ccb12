package dev.switchboard.values;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** ISO 3166-1 alpha-2 country codes, from a code in any case or an English country name, as the JDK knows them. */
public final class Countries {
    private static final Set<String> CODES = Set.of(Locale.getISOCountries());
    /** Codes by upper-cased English name ("UNITED STATES" -> US). */
    private static final Map<String, String> BY_NAME = CODES.stream().collect(Collectors.toUnmodifiableMap(
            code -> Locale.of("", code).getDisplayCountry(Locale.ENGLISH).toUpperCase(Locale.ROOT), code -> code, (a, b) -> a));

    private Countries() {}

    /** @return the two-letter code, or null when the text names no country */
    public static String code(String given) {
        String text = given == null ? "" : given.strip().toUpperCase(Locale.ROOT);
        if (text.length() == 2 && CODES.contains(text)) {
            return text;
        }
        return BY_NAME.get(text);
    }
}
