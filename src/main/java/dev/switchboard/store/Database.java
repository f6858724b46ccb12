package dev.switchboard.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.DataDirSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool, migrations and JDBI handle. SQLite in the data directory by default; PostgreSQL
 * when a {@code jdbc:postgresql:} URL is given. The same migrations and SQL run on both.
 */
public final class Database implements AutoCloseable {
    final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean postgres;

    private Database(HikariDataSource dataSource, boolean postgres) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** The version of the newest file in {@code db/migration} ({@code DatabaseTest} checks that they agree). */
    static final int LATEST_MIGRATION = 11;

    /**
     * The newest migration applied, or -1 before the first: when it is the newest shipped, starting skips Flyway
     * (loading it is most of a second of start-up) and with it the check of applied migrations' checksums.
     */
    static int schemaVersion(javax.sql.DataSource dataSource) {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            return schemaVersion(connection);
        } catch (java.sql.SQLException noConnection) {
            return -1;
        }
    }

    static int schemaVersion(java.sql.Connection connection) {
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            int newest = -1;
            while (rows.next()) {
                if (!rows.getBoolean(2)) {
                    return -1; // a failed migration: Flyway says what to do
                }
                String version = rows.getString(1);
                if (version != null && version.matches("\\d+")) {
                    newest = Math.max(newest, Integer.parseInt(version));
                }
            }
            return newest;
        } catch (java.sql.SQLException noHistoryYet) {
            return -1;
        }
    }

    public static Database open(String dbUrl, Path dataDir) {
        return open(dbUrl, null, dataDir, null);
    }

    /**
     * @param password the PostgreSQL password when the URL holds none; null for none
     * @param meters   where the pool reports its connections and waits (HikariCP's own Micrometer metrics); null for none
     */
    public static Database open(String dbUrl, String password, Path dataDir, io.micrometer.core.instrument.MeterRegistry meters) {
        HikariConfig hikari = new HikariConfig();
        if (password != null) {
            hikari.setPassword(password);
        }
        if (meters != null) {
            hikari.setMetricRegistry(meters);
        }
        boolean postgres = dbUrl != null && !dbUrl.isBlank();
        if (postgres) {
            if (!dbUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--db-url must be a jdbc:postgresql:// URL");
            }
            hikari.setJdbcUrl(dbUrl);
            hikari.setMaximumPoolSize(16);
        } else {
            ownerOnly(dataDir);
            // WAL lets readers proceed while one writer commits; busy_timeout queues writers instead of failing.
            // Transactions begin IMMEDIATE, taking the write lock up front: a deferred one that read first could
            // not upgrade after another connection's commit and would fail at once (SQLITE_BUSY_SNAPSHOT).
            // No generated keys: ids are made here, and the driver would otherwise run a query after every insert.
            hikari.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("switchboard.db")
                    + "?foreign_keys=on&journal_mode=WAL&busy_timeout=10000&synchronous=NORMAL&transaction_mode=IMMEDIATE"
                    + "&jdbc.get_generated_keys=false");
            hikari.setMaximumPoolSize(8);
        }
        hikari.setPoolName("switchboard-db");
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            // A newer node of the cluster may have applied migrations this one does not know: they only add, so it runs on.
            if (schemaVersion(dataSource) < LATEST_MIGRATION) {
                Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            }
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, postgres);
    }

    /**
     * The database is its owner's alone (it holds the encrypted credentials, and its directory the key beside
     * them): SQLite gives its WAL and shared-memory files the database file's own mode. Files of an earlier start
     * with wider modes are narrowed; a data directory Switchboard creates is its owner's alone too.
     */
    private static void ownerOnly(Path dataDir) {
        try {
            DataDirSecrets.createPrivateDirectory(dataDir);
            Path db = dataDir.resolve("switchboard.db");
            if (!Files.exists(db)) {
                Files.createFile(db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            for (String name : new String[] {"switchboard.db", "switchboard.db-wal", "switchboard.db-shm"}) {
                Path file = dataDir.resolve(name);
                if (Files.exists(file)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes: its own access rules apply
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + dataDir, e);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public boolean isPostgres() {
        return postgres;
    }

    /**
     * Why this node should not take requests, or null when it may: the store must answer, and hold every migration
     * this version of Switchboard knows (a newer node may have applied more; the migrations only add).
     */
    public String notReadyReason() {
        if (!isHealthy()) {
            return "the store does not answer";
        }
        try {
            int applied = schemaVersion(dataSource);
            return applied >= LATEST_MIGRATION ? null : "the store's schema is at migration " + applied + ", this node needs " + LATEST_MIGRATION;
        } catch (RuntimeException e) {
            return "the store's migration history is unreadable";
        }
    }

    public boolean isHealthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
