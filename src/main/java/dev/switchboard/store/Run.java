package dev.switchboard.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The audit record of one action run or proxied call. */
public record Run(String id, String projectId, String userId, String action, String integration,
                  String credentialId, String status, int httpStatus, String errorCode, long durationMs,
                  String requestId, long createdAt, String ignoredParameters) {
    /** The longest list of dropped parameter names a run keeps (runs.ignored_parameters). */
    public static final int MAX_IGNORED_PARAMETERS = 1000;

    /**
     * A new run id: a version 7 UUID (RFC 9562), which starts with the time, so that new runs append to the
     * end of the primary-key index instead of dirtying a random page of it on every insert.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
