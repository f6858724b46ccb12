package dev.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a Switchboard node needs to start. Built by the {@code serve} command from flags and
 * environment variables (flag wins), or directly by tests.
 *
 * @param port        HTTP port; 0 picks a free one
 * @param dataDir     holds the embedded SQLite database and generated secrets
 * @param dbUrl       a {@code jdbc:postgresql://} URL switches to PostgreSQL; null means SQLite in dataDir
 * @param adminToken  operator secret; null means read or generate {@code <dataDir>/admin-token}
 * @param masterKey   base64 AES-256 key for credentials at rest; null means read or generate {@code <dataDir>/master-key}
 * @param publicHost  host names accepted in a token's {@code aud} besides {@code useparagon.com}, comma-separated
 * @param publicUrl   the server's address as browsers and vendors reach it (OAuth redirect URIs); null takes it from each request
 * @param vendorTimeouts connect and per-attempt timeouts, and the retry budget of vendor calls
 * @param cacheTtl    how long a node keeps rows it read (projects, signing keys, integration settings, a user's
 *                    accounts) before reading them again; what another node of a cluster changed shows within it.
 *                    Zero turns the caches off.
 */
public record ServerConfig(
        int port,
        Path dataDir,
        String dbUrl,
        String adminToken,
        String masterKey,
        String publicHost,
        String publicUrl,
        VendorTimeouts vendorTimeouts,
        Duration cacheTtl) {

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(2);

    public ServerConfig {
        if (cacheTtl == null || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("the cache time to live must be zero or more milliseconds, not " + cacheTtl);
        }
    }

    public record VendorTimeouts(Duration connect, Duration attempt, Duration retryBudget) {
        public static VendorTimeouts defaults() {
            return new VendorTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10));
        }

        /** The deadline, in {@link System#nanoTime()}, of a call starting now: no retry starts after it. */
        public long deadlineFromNow() {
            return System.nanoTime() + retryBudget.toNanos();
        }
    }
}
