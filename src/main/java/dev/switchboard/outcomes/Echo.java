package dev.switchboard.outcomes;

/**
 * A caller's text as a message may repeat it: quoted, and cut when long, so that no answer or log line grows with
 * what the caller sent (an action name of megabytes is answered in a line).
 */
public final class Echo {
    /** The most characters of a caller's text repeated in a message. */
    public static final int MAX_CHARS = 80;

    private Echo() {}

    /** {@code 'text'}, or {@code 'the first 80 characters…' (N characters)}. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= MAX_CHARS ? "'" + text + "'" : "'" + start(text) + "…' (" + text.length() + " characters)";
    }

    /** The text as it is, or its first 80 characters and how long it was: for names within a path. */
    public static String cut(String text) {
        return text.length() <= MAX_CHARS ? text : start(text) + "…(" + text.length() + " characters)";
    }

    private static String start(String text) {
        return text.substring(0, Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS);
    }
}
