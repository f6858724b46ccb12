package dev.switchboard.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Reads every log line of a test run (logback-test.xml) for secrets: each one a test handed to Switchboard or a fake
 * issued ({@link #watch}), and anything shaped like a private key or a signed JWT. {@code LogSecretsTest}, which runs
 * last, fails on what it found.
 */
public final class SecretScanningAppender extends AppenderBase<ILoggingEvent> {
    private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
    private static final List<String> FOUND = new CopyOnWriteArrayList<>();
    private static final AtomicLong LINES = new AtomicLong();
    private static final Pattern SHAPES = Pattern.compile("PRIVATE KEY-----|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}"
            + "|whsec_[A-Za-z0-9+/=]{20,}");
    /** Shorter values are too likely to occur by chance (a word, an id). */
    private static final int SHORTEST_WATCHED = 8;

    /** A secret that must never be logged: an access or refresh token, an API key, a token, a key. */
    public static void watch(String secret) {
        if (secret != null && secret.length() >= SHORTEST_WATCHED) {
            WATCHED.add(secret);
        }
    }

    public static List<String> found() {
        return List.copyOf(FOUND);
    }

    public static long linesRead() {
        return LINES.get();
    }

    @Override
    protected void append(ILoggingEvent event) {
        LINES.incrementAndGet();
        String line = event.getLoggerName() + " " + event.getFormattedMessage() + " " + event.getMDCPropertyMap();
        if (SHAPES.matcher(line).find()) {
            FOUND.add("a private key or a signed JWT in: " + shown(line));
        }
        for (String secret : WATCHED) {
            if (line.contains(secret)) {
                // The secret itself is not repeated: this list is printed by a test.
                FOUND.add("a watched secret (" + secret.length() + " characters, starting " + secret.substring(0, 4) + "…) in: "
                        + shown(line.replace(secret, "<SECRET>")));
            }
        }
    }

    private static String shown(String line) {
        String masked = SHAPES.matcher(line).replaceAll("<SECRET-SHAPED>");
        return masked.length() > 300 ? masked.substring(0, 300) + "…" : masked;
    }
}
