package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.crypto.SecretBox;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.operations.BackupRestoreTest.Ran;
import dev.switchboard.store.SealedColumns;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Traffic;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Rotating the master key of a PostgreSQL cluster without downtime: nodes restarted with the new key first (NEW,OLD),
 * the stored secrets re-encrypted while they serve, after which a node with the new key alone reads everything.
 */
class KeyRotationTest {
    private static final String OLD = TestServer.MASTER_KEY;
    private static final String NEW = "bmV3LW1hc3Rlci1rZXktMzItYnl0ZXMtbG9uZy0tLS0=";
    private static final Map<String, Object> MESSAGE = Map.of("channel", "#general", "message", "rotating");

    @Test
    void everySecretIsReencryptedUnderTheNewKeyWhileTheClusterServes() throws Exception {
        String dbUrl = TestDatabases.newDatabaseUrl(TestDatabases.Kind.POSTGRES);
        String newId = new SecretBox(NEW).activeKeyId();
        String oldId = new SecretBox(OLD).activeKeyId();
        try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-rotated").start(0)) {
            TestServer.Project project;
            try (TestServer before = TestServer.startOn(dbUrl, Files.createTempDirectory("rotation-a"), Map.of())) {
                project = before.createProject("rotation");
                TestServer.expect(before.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack", Map.of("enabled", true,
                        "clientId", "slack-client", "clientSecret", "slack-client-secret-to-rotate", "urls", Map.of("api", slack.apiUrl()))), 200);
                before.importCredential(project.id(), "u1", Map.of("integration", "slack", "accessToken", "xoxb-rotated",
                        "refreshToken", "xoxe-1-refresh-to-rotate", "expiresAt", java.time.Instant.now().plusSeconds(3600).toString()));
                before.importCredential(project.id(), "u2", Map.of("integration", "stripe", "apiKey", "sk_test_rotated_api_key"));
            }
            Jdbi store = Jdbi.create(dbUrl);
            assertThat(SealedColumns.countByKey(store)).isEqualTo(Map.of(oldId, 4));

            // The rolling restart: the node now writes with NEW and still reads OLD.
            try (TestServer both = TestServer.startOn(dbUrl, Files.createTempDirectory("rotation-b"), Map.of(Setting.MASTER_KEY, NEW + "," + OLD))) {
                String user = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
                Ran rotated = Traffic.whileDoing(() -> both.runAction(project, user, "SLACK_SEND_MESSAGE", MESSAGE),
                        () -> BackupRestoreTest.switchboard("rotate-encryption-key", "--db-url", dbUrl, "--master-key", NEW + "," + OLD,
                                "--data-dir", Files.createTempDirectory("rotation-cli").toString())).result();
                assertThat(rotated.exitCode()).as(rotated.err()).isZero();
                assertThat(rotated.out()).contains("re-encrypted 4 stored secrets under master key " + newId);
            }
            assertThat(SealedColumns.countByKey(store)).isEqualTo(Map.of(newId, 4));
            Ran again = BackupRestoreTest.switchboard("rotate-encryption-key", "--db-url", dbUrl, "--master-key", NEW,
                    "--data-dir", Files.createTempDirectory("rotation-cli").toString());
            assertThat(again.out()).as("nothing left to do").contains("re-encrypted 0 stored secrets");

            // OLD is gone from the configuration: everything still opens.
            try (TestServer after = TestServer.startOn(dbUrl, Files.createTempDirectory("rotation-c"), Map.of(Setting.MASTER_KEY, NEW))) {
                Answer sent = after.runAction(project, Tokens.sign(project.privateKeyPem(), "u1", c -> c), "SLACK_SEND_MESSAGE", MESSAGE);
                assertThat(sent.status()).as(sent.text()).isEqualTo(200);
            }

            // A key that opens nothing: named, and the command fails.
            Ran lost = BackupRestoreTest.switchboard("rotate-encryption-key", "--db-url", dbUrl, "--master-key", OLD,
                    "--data-dir", Files.createTempDirectory("rotation-cli").toString());
            assertThat(lost.exitCode()).isEqualTo(1);
            assertThat(lost.err()).contains("4 stored secrets are sealed with master keys that are not configured {" + newId + "=4}");
            assertThat(SealedColumns.countByKey(store)).isEqualTo(Map.of(newId, 4));
        }
    }

    @Test
    void generateKeyPrintsAFreshKey() {
        Ran generated = BackupRestoreTest.switchboard("rotate-encryption-key", "--generate-key");
        assertThat(generated.exitCode()).isZero();
        assertThat(new SecretBox(generated.out().strip()).activeKeyId()).hasSize(8);
    }
}
