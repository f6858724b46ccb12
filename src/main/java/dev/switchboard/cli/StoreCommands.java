package dev.switchboard.cli;

import dev.switchboard.config.DataDirSecrets;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.crypto.SecretBox;
import dev.switchboard.store.Backups;
import dev.switchboard.store.Database;
import dev.switchboard.store.SealedColumns;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The store's upkeep from the command line: backup, restore, and re-encrypting the credentials under a new key. */
final class StoreCommands {
    private StoreCommands() {}

    private static final String KEEP_THE_KEY = """
            !! The credentials in this store are encrypted with the master key (master-key, or <data-dir>/master-key).
            !! Keep the key with the backup's owner, stored apart from it: without it no credential can be read, and every
            !! user would have to connect their accounts again.""";

    /** The node's configuration, when its store is the embedded SQLite one; PostgreSQL has its own tools. */
    private static ServerConfig sqliteStore(CommandSpec spec, String postgresAdvice) {
        ServerConfig config = ServerConfig.from(SettingFlags.resolve(spec));
        if (config.dbUrl() != null) {
            throw new IllegalArgumentException("the store is PostgreSQL (db-url is set): " + postgresAdvice);
        }
        return config;
    }

    /** The node's master keys as serve would use them, without generating one. */
    private static SecretBox secretBox(ServerConfig config) throws IOException {
        if (config.masterKey() != null) {
            return new SecretBox(config.masterKey());
        }
        Path file = config.dataDir().resolve("master-key");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no master key: set master-key, or keep " + file + " where serve made it");
        }
        return new SecretBox(Files.readString(file).strip());
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, modelTransformer = SettingFlags.class,
            description = "Copy the embedded SQLite store to a file while the node runs (a consistent snapshot, VACUUM INTO). "
                    + "PostgreSQL: use pg_dump (docs/operations.md).")
    static final class Backup implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--to", required = true, paramLabel = "FILE", description = "The backup file to write; it must not exist.")
        Path target;

        @Override
        public Integer call() throws Exception {
            ServerConfig config = sqliteStore(spec, "back it up with pg_dump, as docs/operations.md shows");
            Backups.backup(config.dataDir(), target);
            PrintWriter out = spec.commandLine().getOut();
            out.println("backed up " + config.dataDir().resolve(Backups.DATABASE_FILE) + " to " + target + " (" + Files.size(target) + " bytes)");
            out.println(KEEP_THE_KEY);
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, modelTransformer = SettingFlags.class,
            description = "Make a backup file the embedded store again. Stop the node first; the store it replaces is kept beside it.")
    static final class Restore implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--from", required = true, paramLabel = "FILE", description = "A file written by backup.")
        Path backup;

        @Override
        public Integer call() throws Exception {
            ServerConfig config = sqliteStore(spec, "restore it with pg_restore or psql");
            if (!Files.isRegularFile(backup)) {
                throw new IllegalArgumentException("no backup file at " + backup);
            }
            // Before anything moves: the configured key must open what the backup holds.
            SecretBox box = secretBox(config);
            Map<String, Integer> sealed = Backups.sealedValueKeys(backup);
            Map<String, Integer> foreign = new TreeMap<>(sealed);
            foreign.keySet().removeAll(box.keyIds());
            if (!foreign.isEmpty()) {
                throw new IllegalArgumentException("the backup's secrets are sealed with master key ids " + foreign
                        + " (values per key), which the configured master key does not include (" + box.keyIds()
                        + "); configure the key the backup was made with, then restore");
            }
            Path kept = Backups.restore(backup, config.dataDir());
            PrintWriter out = spec.commandLine().getOut();
            out.println("restored " + backup + " to " + config.dataDir().resolve(Backups.DATABASE_FILE)
                    + (kept == null ? "" : "; the store it replaced is kept as " + kept));
            return 0;
        }
    }

    @Command(name = "rotate-encryption-key", mixinStandardHelpOptions = true, modelTransformer = SettingFlags.class,
            description = "Re-encrypt every stored secret under the first master key, while the nodes serve. First give every node "
                    + "master-key=NEW,OLD (a rolling restart), then run this, then drop OLD. --generate-key prints a new key.")
    static final class RotateEncryptionKey implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--generate-key", description = "Only print a new random key (base64, 32 bytes) to put first in master-key.")
        boolean generate;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (generate) {
                out.println(DataDirSecrets.randomBase64(32));
                return 0;
            }
            ServerConfig config = ServerConfig.from(SettingFlags.resolve(spec));
            SecretBox box = secretBox(config);
            try (Database database = Database.open(config.dbUrl(), config.dbPassword(), config.dataDir(), null)) {
                SealedColumns.Rotation rotation = SealedColumns.reseal(database.jdbi(), box);
                out.println("re-encrypted " + rotation.resealed() + " stored secrets under master key " + box.activeKeyId()
                        + "; by key now: " + SealedColumns.countByKey(database.jdbi()));
                if (!rotation.unopenedByKey().isEmpty()) {
                    spec.commandLine().getErr().println("switchboard: " + rotation.unopenedByKey().values().stream().mapToInt(Integer::intValue).sum()
                            + " stored secrets are sealed with master keys that are not configured " + rotation.unopenedByKey()
                            + " (values per key id): add those keys after the new one and run this again");
                    return 1;
                }
            }
            return 0;
        }
    }
}
