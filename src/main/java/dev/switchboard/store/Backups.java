package dev.switchboard.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Copies of the embedded SQLite store. A backup is taken online with {@code VACUUM INTO}: one consistent snapshot of a
 * running node's database, compacted, in a new file. A restore puts such a file back while the node is stopped, keeping
 * the store it replaces beside it. (PostgreSQL is backed up with its own tools: pg_dump; see docs/operations.md.)
 */
public final class Backups {
    public static final String DATABASE_FILE = "switchboard.db";

    private Backups() {}

    public static void backup(Path dataDir, Path target) throws IOException, SQLException {
        Path database = dataDir.resolve(DATABASE_FILE);
        if (!Files.isRegularFile(database)) {
            throw new IllegalArgumentException("no SQLite store at " + database + " (is --data-dir right? PostgreSQL is backed up with pg_dump)");
        }
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists already; a backup never overwrites a file");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database + "?busy_timeout=10000");
             var vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toAbsolutePath().toString());
            vacuum.execute();
        }
        // The copy holds encrypted credentials: readable by its owner alone, as the store is.
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Checks that the file is a sound Switchboard store, then makes it the data directory's store.
     *
     * @return where the store it replaced was kept, or null when there was none
     */
    public static Path restore(Path backup, Path dataDir) throws IOException, SQLException {
        if (!Files.isRegularFile(backup)) {
            throw new IllegalArgumentException("no backup file at " + backup);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + backup.toAbsolutePath() + "?open_mode=1");
             Statement statement = connection.createStatement()) {
            try (ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
                String result = check.next() ? check.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    throw new IllegalArgumentException(backup + " fails SQLite's integrity check: " + result);
                }
            }
            if (Database.schemaVersion(connection) < 1) {
                throw new IllegalArgumentException(backup + " is not a Switchboard store (it has no migration history)");
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException(backup + " is not a readable SQLite database: " + e.getMessage());
        }
        Files.createDirectories(dataDir);
        Path database = dataDir.resolve(DATABASE_FILE);
        // The replaced store and its write-ahead log go aside together, under one name: a log left behind would be
        // replayed into the restored store.
        Path kept = dataDir.resolve(DATABASE_FILE + ".before-restore-" + Instant.now().toEpochMilli());
        boolean keptAny = false;
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path part = dataDir.resolve(DATABASE_FILE + suffix);
            if (Files.exists(part)) {
                Files.move(part, kept.resolveSibling(kept.getFileName() + suffix));
                keptAny = true;
            }
        }
        Files.copy(backup, database);
        Files.setPosixFilePermissions(database, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return keptAny ? kept : null;
    }

    /** The key ids that sealed the values of a store file, and how many each: to check a restore has its key. */
    public static java.util.Map<String, Integer> sealedValueKeys(Path store) {
        try {
            return SealedColumns.countByKey(Jdbi.create("jdbc:sqlite:" + store.toAbsolutePath() + "?open_mode=1"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(store + " is not a readable Switchboard store: " + e.getMessage());
        }
    }
}
