package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Runs older than run-retention-days are deleted by the node's pruning; younger ones, and all with retention 0, stay. */
class RunRetentionTest {
    @Test
    void runsPastTheRetentionArePrunedAndTheRestKept() throws Exception {
        for (String days : List.of("2", "0")) {
            try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-retention-token").start(0);
                 TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.RUN_RETENTION_DAYS, days))) {
                TestServer.Project project = server.createProject("retention");
                server.configureIntegration(project.id(), "slack", slack.apiUrl());
                server.importCredential(project.id(), "u1", "slack", "xoxb-retention-token");
                String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
                for (int i = 0; i < 5; i++) {
                    assertThat(server.runAction(project, token, "SLACK_LIST_CHANNELS", Map.of()).status()).isEqualTo(200);
                }
                List<String> ids = runIds(server, project);
                assertThat(ids).hasSize(5);
                // Three of them three days old, as if the node had been running for a while.
                long threeDaysAgo = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
                try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("switchboard.db"))) {
                    for (String id : ids.subList(0, 3)) {
                        db.createStatement().executeUpdate("UPDATE runs SET created_at = " + threeDaysAgo + " WHERE id = '" + id + "'");
                    }
                }

                server.node().pruneRunsNow();

                List<String> left = runIds(server, project);
                if (days.equals("0")) {
                    assertThat(left).as("retention 0 keeps every run").containsExactlyInAnyOrderElementsOf(ids);
                } else {
                    assertThat(left).as("the two younger than %s days", days).containsExactlyInAnyOrderElementsOf(ids.subList(3, 5));
                }
            }
        }
    }

    private static List<String> runIds(TestServer server, TestServer.Project project) {
        JsonNode runs = server.admin("GET", "/admin/projects/" + project.id() + "/runs", null).json().get("runs");
        return runs.valueStream().map(run -> run.get("id").asString()).toList();
    }
}
