package dev.switchboard.outcomes;

/**
 * A caller's text as a message may repeat it: quoted, and cut when long, so that no answer or log line grows with
 * what the caller sent (an action name of megabytes is answered in a line).
 */
public final class Echo {
    /** The most characters of a caller's text repeated in a message. */
    public static final int MAX_CHARS = 80;

    private Echo() {}

    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= MAX_CHARS) {
            return "'" + text + "'";
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return "'" + text.substring(0, end) + "…' (" + text.length() + " characters)";
    }
}
