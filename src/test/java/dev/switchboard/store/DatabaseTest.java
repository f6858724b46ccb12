package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    @Test
    void theNewestMigrationIsTheOneStartUpChecksFor() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            int newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertThat(Database.LATEST_MIGRATION).as("Database.LATEST_MIGRATION").isEqualTo(newest);
        }
    }

    @Test
    void aCurrentDatabaseOpensWithoutMigratingAndAnEmptyOneIsMigrated() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-db");
        try (Database first = Database.open(null, dir)) {
            assertThat(Database.schemaVersion(first.dataSource)).isEqualTo(Database.LATEST_MIGRATION);
            first.jdbi().useHandle(h -> h.execute("INSERT INTO projects (id, name, created_at) VALUES ('p1', 'kept', 0)"));
        }
        try (Database again = Database.open(null, dir)) {
            String name = again.jdbi().withHandle(h -> h.createQuery("SELECT name FROM projects WHERE id = 'p1'").mapTo(String.class).one());
            assertThat(name).isEqualTo("kept");
        }
    }
}
