package dev.switchboard.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Every option of a node. Each has one name, used three ways: {@code --name value} on the command line,
 * {@code SWITCHBOARD_NAME} in the environment, and {@code name} as a key of the config file. {@link Settings}
 * decides which one counts (flag, then environment, then file, then the default).
 */
public enum Setting {
    PORT("port", Kind.PORT, "8080", "HTTP port of the public API; 0 picks a free one."),
    MANAGEMENT_PORT("management-port", Kind.PORT_OR_OFF, "off",
            "Port serving /metrics, /healthz and /readyz with no token, for Prometheus and the orchestrator; 'off' serves none "
                    + "(then /metrics answers on the public port to the metrics token only)."),
    DATA_DIR("data-dir", Kind.PATH, "./data", "Holds the embedded SQLite database and the generated admin token and master key."),
    DB_URL("db-url", Kind.DB_URL, "", "A jdbc:postgresql:// URL switches the store to PostgreSQL; empty means SQLite in the data directory."),
    DB_PASSWORD("db-password", Kind.SECRET, "",
            "The PostgreSQL password, kept out of db-url (for example from a secret file: SWITCHBOARD_DB_PASSWORD_FILE); empty uses db-url's own."),
    ADMIN_TOKEN("admin-token", Kind.SECRET, "", "The operator's bearer token for /admin; empty means read or generate <data-dir>/admin-token."),
    MASTER_KEY("master-key", Kind.SECRET, "",
            "Base64 AES-256 keys encrypting credentials at rest, comma-separated: the first encrypts, all decrypt (for rotation); "
                    + "empty means read or generate <data-dir>/master-key. Without it the stored credentials cannot be read."),
    METRICS_TOKEN("metrics-token", Kind.SECRET, "", "Bearer token for /metrics on the public port; empty means the admin token."),
    PUBLIC_HOST("public-host", Kind.TEXT, "localhost", "Host accepted in a token's aud as <host>/<projectId>, besides useparagon.com."),
    PUBLIC_URL("public-url", Kind.HTTP_URL, "",
            "The server's address as browsers and vendors reach it, for OAuth redirect URIs; empty takes it from each request."),
    PUBLIC_BASE_URL("public-base-url", Kind.HTTP_URL, "",
            "The on-prem base of Paragon's host layout, such as https://sb.example.com: its derived hosts are answered on the same routes, "
                    + "and tokens whose aud is <base host>/<projectId> are accepted."),
    CACHE_TTL_MS("cache-ttl-ms", Kind.MILLIS, "2000",
            "How long a node keeps projects, signing keys, integration settings and a user's accounts it read; what another node "
                    + "changed shows within it; 0 turns caching off."),
    VENDOR_CONNECT_TIMEOUT_MS("vendor-connect-timeout-ms", Kind.POSITIVE_MILLIS, "5000", "Time to open a connection to a vendor."),
    VENDOR_ATTEMPT_TIMEOUT_MS("vendor-attempt-timeout-ms", Kind.POSITIVE_MILLIS, "30000", "Time one attempt of a vendor call may take, answer included."),
    VENDOR_RETRY_BUDGET_MS("vendor-retry-budget-ms", Kind.MILLIS, "10000",
            "Time after a call's start past which no retry of it begins (0: no retries)."),
    RATE_LIMIT_MAX_WAIT_MS("rate-limit-max-wait-ms", Kind.MILLIS, "10000",
            "How long a call may wait for its account's rate limit (the definition's rateLimit) before it is answered 429 "
                    + "with Retry-After; 0 answers 429 at once. Never past the retry budget."),
    MAX_BODY_BYTES("max-body-bytes", Kind.BYTES, "10MiB",
            "Largest JSON request body (actions, admin, Users API); larger ones are answered 413. Files stream and are not bound by it."),
    RUN_RETENTION_DAYS("run-retention-days", Kind.COUNT, "30", "Runs and delivered trigger events older than this are deleted, in small batches, every hour (failed events stay for replay); 0 keeps them all."),
    RUN_QUEUE_MAX("run-queue-max", Kind.COUNT, "50000",
            "Runs that may wait in memory for the store's writer; past it, each caller stores its own run (slowed by the store) and the event loops hand new requests to the ordinary path until the writer catches up. 0: every caller stores its own, and the event loops leave every request to the ordinary path."),
    TRIGGER_DELIVERY_INTERVAL_MS("trigger-delivery-interval-ms", Kind.MILLIS, "1000",
            "How often a node looks for trigger events due for delivery (it also looks as soon as one is stored); 0: never (a node that only serves)."),
    TRIGGER_RETRY_HORIZON_HOURS("trigger-retry-horizon-hours", Kind.COUNT, "24",
            "How long an undelivered trigger event is retried (with exponential backoff) before it is marked failed, kept for replay."),
    LOG_FORMAT("log-format", Kind.LOG_FORMAT, "text", "'text' for people, 'json' (one Logstash-style object per line) for log collectors."),
    SHUTDOWN_GRACE_MS("shutdown-grace-ms", Kind.MILLIS, "30000",
            "On SIGTERM, how long requests in flight may take to finish while new ones are refused with 503."),
    EVENT_LOOP("event-loop", Kind.EVENT_LOOP, "auto",
            "The public port's front door, which serves actions and proxied calls on event loops: 'auto' (io_uring where the "
                    + "kernel offers it, else epoll, else Java NIO), 'io_uring', 'epoll' or 'nio' to insist on one, 'off' for Jetty "
                    + "alone on the port (every request on the ordinary path)."),
    ;

    /** What values a setting takes: each parses the text given and says, if it cannot, what it expected. */
    public enum Kind {
        TEXT, SECRET, PATH, PORT, PORT_OR_OFF, MILLIS, POSITIVE_MILLIS, COUNT, BYTES, DB_URL, HTTP_URL, LOG_FORMAT, EVENT_LOOP;

        Object parse(String text) {
            String value = text.strip();
            return switch (this) {
                case TEXT, SECRET -> value;
                case PATH -> Path.of(value);
                case PORT -> port(value);
                case PORT_OR_OFF -> value.equalsIgnoreCase("off") || value.isEmpty() ? -1 : port(value);
                case MILLIS -> Duration.ofMillis(whole(value, 0, "a number of milliseconds (0 or more)"));
                case POSITIVE_MILLIS -> Duration.ofMillis(whole(value, 1, "a number of milliseconds (1 or more)"));
                case COUNT -> (int) whole(value, 0, "a whole number (0 or more)");
                case BYTES -> bytes(value);
                case DB_URL -> {
                    if (!value.isEmpty() && !value.startsWith("jdbc:postgresql://")) {
                        throw new IllegalArgumentException("is not a jdbc:postgresql:// URL (leave it empty for SQLite)");
                    }
                    yield value;
                }
                case HTTP_URL -> {
                    if (!value.isEmpty()) {
                        URI uri;
                        try {
                            uri = URI.create(value);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("is not a URL");
                        }
                        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                            throw new IllegalArgumentException("is not an http(s) address such as https://sb.example.com");
                        }
                    }
                    yield value;
                }
                case LOG_FORMAT -> {
                    String format = value.toLowerCase(Locale.ROOT);
                    if (!List.of("text", "json").contains(format)) {
                        throw new IllegalArgumentException("is neither 'text' nor 'json'");
                    }
                    yield format;
                }
                case EVENT_LOOP -> {
                    String loop = value.toLowerCase(Locale.ROOT);
                    if (!List.of("auto", "io_uring", "epoll", "nio", "off").contains(loop)) {
                        throw new IllegalArgumentException("is none of 'auto', 'io_uring', 'epoll', 'nio', 'off'");
                    }
                    yield loop;
                }
            };
        }

        private static int port(String value) {
            return (int) whole(value, 0, 65_535, "a port (0 to 65535)");
        }

        private static long whole(String value, long min, String expected) {
            return whole(value, min, Long.MAX_VALUE, expected);
        }

        private static long whole(String value, long min, long max, String expected) {
            long parsed;
            try {
                parsed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not " + expected);
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("is out of range: expected " + expected);
            }
            return parsed;
        }

        /** A size in bytes, with an optional binary unit: 1048576, 512KiB, 10MiB, 1GiB. */
        private static long bytes(String value) {
            String number = value;
            long unit = 1;
            for (String[] suffix : new String[][] {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"}}) {
                if (value.endsWith(suffix[0])) {
                    number = value.substring(0, value.length() - 3).strip();
                    unit = Long.parseLong(suffix[1]);
                }
            }
            long count = whole(number, 1, Long.MAX_VALUE / unit, "a size in bytes, such as 1048576 or 10MiB (1 byte or more)");
            return count * unit;
        }
    }

    private final String key;
    private final Kind kind;
    private final String defaultValue;
    private final String description;

    Setting(String key, Kind kind, String defaultValue, String description) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The name in the config file. */
    public String key() {
        return key;
    }

    public String flag() {
        return "--" + key;
    }

    public String environmentVariable() {
        return "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public Kind kind() {
        return kind;
    }

    public boolean secret() {
        return kind == Kind.SECRET;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public static Setting byKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        return null;
    }
}
