package dev.switchboard.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a Switchboard node needs to start, read from its {@link Settings} (see {@link Setting} for each).
 *
 * @param port           HTTP port; 0 picks a free one
 * @param managementPort port of /metrics, /healthz and /readyz without a token; -1 for none
 * @param dataDir        holds the embedded SQLite database and generated secrets
 * @param dbUrl          a {@code jdbc:postgresql://} URL switches to PostgreSQL; null means SQLite in dataDir
 * @param dbPassword     the PostgreSQL password when it is not in dbUrl; null for none
 * @param adminToken     operator secret; null means read or generate {@code <dataDir>/admin-token}
 * @param masterKey      base64 AES-256 keys for credentials at rest; null means read or generate {@code <dataDir>/master-key}
 * @param metricsToken   bearer token of /metrics on the public port; null means the admin token
 * @param publicHost     host names accepted in a token's {@code aud} besides {@code useparagon.com}, comma-separated
 * @param publicUrl      the server's address as browsers and vendors reach it (OAuth redirect URIs); null takes it from each request
 * @param vendorTimeouts connect and per-attempt timeouts, the retry budget and the longest rate-limit wait of vendor calls
 * @param cacheTtl       how long a node keeps rows it read (projects, signing keys, integration settings, a user's
 *                       accounts) before reading them again; what another node of a cluster changed shows within it.
 *                       Zero turns the caches off.
 * @param maxBodyBytes   largest JSON request body
 * @param runRetention   runs older than this are deleted; zero keeps them
 * @param runQueueMax    runs that may wait in memory for the store's writer
 * @param logFormat      {@code text} or {@code json}
 * @param shutdownGrace  how long requests in flight may take to finish on SIGTERM
 * @param triggerDeliveryInterval how often a node looks for trigger events to deliver; zero: never
 * @param triggerRetryHorizon     how long an undelivered trigger event is retried
 * @param eventLoop      the front door's transport ({@code auto}, {@code io_uring}, {@code epoll}, {@code nio}), or {@code off}
 */
public record ServerConfig(
        int port,
        int managementPort,
        Path dataDir,
        String dbUrl,
        String dbPassword,
        String adminToken,
        String masterKey,
        String metricsToken,
        String publicHost,
        String publicUrl,
        VendorTimeouts vendorTimeouts,
        Duration cacheTtl,
        long maxBodyBytes,
        Duration runRetention,
        int runQueueMax,
        String logFormat,
        Duration shutdownGrace,
        Duration triggerDeliveryInterval,
        Duration triggerRetryHorizon,
        String eventLoop) {

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(2);

    public static ServerConfig from(Settings settings) {
        String acceptedHosts = settings.get(Setting.PUBLIC_HOST);
        String baseUrl = settings.text(Setting.PUBLIC_BASE_URL);
        if (baseUrl != null) {
            acceptedHosts = acceptedHosts + "," + URI.create(baseUrl).getHost();
        }
        Duration retryBudget = settings.get(Setting.VENDOR_RETRY_BUDGET_MS);
        Duration rateLimitWait = settings.get(Setting.RATE_LIMIT_MAX_WAIT_MS);
        return new ServerConfig(
                settings.get(Setting.PORT),
                settings.get(Setting.MANAGEMENT_PORT),
                settings.get(Setting.DATA_DIR),
                settings.text(Setting.DB_URL),
                settings.text(Setting.DB_PASSWORD),
                settings.text(Setting.ADMIN_TOKEN),
                settings.text(Setting.MASTER_KEY),
                settings.text(Setting.METRICS_TOKEN),
                acceptedHosts,
                settings.text(Setting.PUBLIC_URL),
                new VendorTimeouts(settings.get(Setting.VENDOR_CONNECT_TIMEOUT_MS), settings.get(Setting.VENDOR_ATTEMPT_TIMEOUT_MS),
                        retryBudget, rateLimitWait.compareTo(retryBudget) < 0 ? rateLimitWait : retryBudget),
                settings.get(Setting.CACHE_TTL_MS),
                settings.<Long>get(Setting.MAX_BODY_BYTES),
                Duration.ofDays(settings.<Integer>get(Setting.RUN_RETENTION_DAYS)),
                settings.<Integer>get(Setting.RUN_QUEUE_MAX),
                settings.get(Setting.LOG_FORMAT),
                settings.get(Setting.SHUTDOWN_GRACE_MS),
                settings.get(Setting.TRIGGER_DELIVERY_INTERVAL_MS),
                Duration.ofHours(settings.<Integer>get(Setting.TRIGGER_RETRY_HORIZON_HOURS)),
                settings.get(Setting.EVENT_LOOP));
    }

    /**
     * @param rateLimitWait how long a call may wait for its account's rate limit before it is answered 429; at most the
     *                      retry budget
     */
    public record VendorTimeouts(Duration connect, Duration attempt, Duration retryBudget, Duration rateLimitWait) {
        public VendorTimeouts(Duration connect, Duration attempt, Duration retryBudget) {
            this(connect, attempt, retryBudget, retryBudget);
        }

        public static VendorTimeouts defaults() {
            return new VendorTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10));
        }

        /** The deadline, in {@link System#nanoTime()}, of a call starting now: no retry starts after it. */
        public long deadlineFromNow() {
            return System.nanoTime() + retryBudget.toNanos();
        }
    }
}
