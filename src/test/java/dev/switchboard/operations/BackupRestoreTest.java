package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Traffic;
import dev.switchboard.testing.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code backup} copies the SQLite store of a node that keeps serving; {@code restore} puts it back (after checking that
 * the configured master key opens it), and a node started on it has exactly what the backup had.
 */
class BackupRestoreTest {
    record Ran(int exitCode, String out, String err) {}

    static Ran switchboard(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Ran(code, out.toString(), err.toString());
    }

    private static final Map<String, Object> MESSAGE = Map.of("channel", "#general", "message", "hello");

    @Test
    void anOnlineBackupRestoresToWhatItHeld(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backups/switchboard-1.db");
        try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-backed-up").acceptToken("xoxb-after-backup").start(0)) {
            TestServer server = TestServer.startOn(null, data, Map.of());
            TestServer.Project project;
            try {
                project = server.createProject("backed-up");
                server.configureIntegration(project.id(), "slack", slack.apiUrl());
                server.importCredential(project.id(), "before", "slack", "xoxb-backed-up");
                String before = Tokens.sign(project.privateKeyPem(), "before", c -> c);

                // The node keeps serving while the backup is taken.
                Ran backedUp = Traffic.whileDoing(() -> server.runAction(project, before, "SLACK_SEND_MESSAGE", MESSAGE),
                        () -> switchboard("backup", "--data-dir", data.toString(), "--to", backup.toString())).result();
                assertThat(backedUp.exitCode()).as(backedUp.err()).isZero();
                assertThat(backedUp.out()).contains("backed up").contains("without it no credential can be read");
                assertThat(Files.getPosixFilePermissions(backup)).hasSize(2);

                Ran again = switchboard("backup", "--data-dir", data.toString(), "--to", backup.toString());
                assertThat(again.exitCode()).isEqualTo(2);
                assertThat(again.err()).contains("exists already");

                // Written after the backup: gone once it is restored.
                server.importCredential(project.id(), "after", "slack", "xoxb-after-backup");
            } finally {
                server.close();
            }

            Ran wrongKey = switchboard("restore", "--data-dir", data.toString(), "--from", backup.toString(),
                    "--master-key", "b3RoZXIta2V5LW9mLTMyLWJ5dGVzLWxvbmctLS0tLS0=");
            assertThat(wrongKey.exitCode()).isEqualTo(2);
            assertThat(wrongKey.err()).contains("the backup's secrets are sealed with master key ids");
            Ran restored = switchboard("restore", "--data-dir", data.toString(), "--from", backup.toString(), "--master-key", TestServer.MASTER_KEY);
            assertThat(restored.exitCode()).as(restored.err()).isZero();
            assertThat(restored.out()).contains("the store it replaced is kept as");
            try (Stream<Path> files = Files.list(data)) {
                assertThat(files.map(f -> f.getFileName().toString())).anyMatch(name -> name.startsWith("switchboard.db.before-restore-"));
            }

            try (TestServer again = TestServer.startOn(null, data, Map.of())) {
                Answer kept = again.runAction(project, Tokens.sign(project.privateKeyPem(), "before", c -> c), "SLACK_SEND_MESSAGE", MESSAGE);
                assertThat(kept.status()).as(kept.text()).isEqualTo(200);
                Answer lost = again.runAction(project, Tokens.sign(project.privateKeyPem(), "after", c -> c), "SLACK_SEND_MESSAGE", MESSAGE);
                assertThat(lost.status()).as("connected after the backup: not in it").isEqualTo(400);
                assertThat(lost.json().get("code").asString()).isEqualTo("integration_not_connected");
            }
        }
    }

    @Test
    void aPostgresStoreIsBackedUpWithItsOwnTools(@TempDir Path dir) {
        Ran refused = switchboard("backup", "--db-url", "jdbc:postgresql://db/switchboard", "--to", dir.resolve("x.db").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("pg_dump");
        Ran notABackup = switchboard("restore", "--data-dir", dir.resolve("data").toString(), "--from", dir.resolve("missing.db").toString(),
                "--master-key", TestServer.MASTER_KEY);
        assertThat(notABackup.exitCode()).isEqualTo(2);
        assertThat(List.of(notABackup.err())).singleElement().asString().contains("missing.db");
    }
}
