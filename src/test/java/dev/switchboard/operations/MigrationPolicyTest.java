package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Migrations only add, so that a node of the previous release keeps working on the schema a newer node migrated
 * (a rolling upgrade): no DROP, no RENAME, no change of a column's type or nullability, and no NOT NULL column
 * without a default (the old node's INSERTs would fail). Dropping an index is allowed: no statement names one, so an
 * old node's statements still run, only by another plan (V11 dropped the index that only the old pruning used).
 */
class MigrationPolicyTest {
    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("\\bdrop\\b(?!\\s+index\\b)"),
            Pattern.compile("\\brename\\b"),
            Pattern.compile("\\balter\\s+column\\b"),
            Pattern.compile("\\badd\\s+column\\b(?:(?!\\bdefault\\b)[^;])*\\bnot\\s+null\\b(?:(?!\\bdefault\\b)[^;])*$"));

    static List<String> violations(Path file) throws Exception {
        String sql = Files.readString(file).replaceAll("--[^\\n]*", "").toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String statement : sql.split(";")) {
            for (Pattern pattern : FORBIDDEN) {
                if (pattern.matcher(statement.strip()).find()) {
                    found.add(file.getFileName() + ": " + statement.strip().replaceAll("\\s+", " "));
                }
            }
        }
        return found;
    }

    @Test
    void everyMigrationOnlyAdds() throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path file : files.sorted().toList()) {
                found.addAll(violations(file));
            }
        }
        assertThat(found).isEmpty();
        // The rule itself catches what it must (and passes the future migration the upgrade test applies).
        Path dir = Files.createTempDirectory("migrations");
        Files.writeString(dir.resolve("V1.sql"), "ALTER TABLE runs DROP COLUMN error_code;");
        Files.writeString(dir.resolve("V2.sql"), "ALTER TABLE runs ADD COLUMN region VARCHAR(8) NOT NULL;");
        Files.writeString(dir.resolve("V3.sql"), "ALTER TABLE runs RENAME TO action_runs;");
        Files.writeString(dir.resolve("V4.sql"), "ALTER TABLE runs ALTER COLUMN action TYPE TEXT;");
        Files.writeString(dir.resolve("V5.sql"), "CREATE INDEX runs_by_user ON runs (user_id); DROP TABLE runs;");
        for (String name : List.of("V1.sql", "V2.sql", "V3.sql", "V4.sql", "V5.sql")) {
            assertThat(violations(dir.resolve(name))).as(name).isNotEmpty();
        }
        Files.writeString(dir.resolve("V6.sql"), "DROP INDEX runs_by_user;");
        assertThat(violations(dir.resolve("V6.sql"))).as("dropping an index").isEmpty();
        assertThat(violations(Path.of("src/test/resources/db/future/V1000__a_future_release.sql"))).isEmpty();
    }
}
