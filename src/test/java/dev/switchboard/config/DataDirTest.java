package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory holds the database and the key that opens its secrets: both are the owner's alone. */
class DataDirTest {
    private static Set<PosixFilePermission> mode(Path path) throws Exception {
        return Files.getPosixFilePermissions(path);
    }

    @Test
    void theDatabaseAndItsJournalAreReadableByTheOwnerOnly(@TempDir Path parent) throws Exception {
        Path dataDir = parent.resolve("data");
        try (Database database = Database.open(null, dataDir)) {
            database.jdbi().useHandle(h -> h.execute("CREATE TABLE probe (x INTEGER)"));
            for (String name : new String[] {"switchboard.db", "switchboard.db-wal", "switchboard.db-shm"}) {
                assertThat(mode(dataDir.resolve(name))).as(name).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
        assertThat(mode(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aDatabaseLeftWithAWiderModeIsNarrowed(@TempDir Path dataDir) throws Exception {
        Files.createFile(dataDir.resolve("switchboard.db"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (Database ignored = Database.open(null, dataDir)) {
            assertThat(mode(dataDir.resolve("switchboard.db"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void anEmptySecretFileStopsTheStartInsteadOfBeingUsedOrReplaced(@TempDir Path dataDir) throws Exception {
        Path key = dataDir.resolve("master-key");
        Files.writeString(key, "  \n");
        assertThatThrownBy(() -> DataDirSecrets.readOrCreate(key, () -> "new")).hasMessageContaining("is empty");
        assertThat(Files.readString(key)).as("left as it was").isEqualTo("  \n");
        assertThat(DataDirSecrets.readOrCreate(dataDir.resolve("admin-token"), () -> "generated")).isEqualTo("generated");
        assertThat(mode(dataDir.resolve("admin-token"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
