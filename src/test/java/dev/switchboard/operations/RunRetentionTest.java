package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Runs older than run-retention-days are deleted by the node's pruning, in every project that has runs (even a run
 * whose project is gone, stored by the run writer after the project's deletion); younger ones, and all with retention
 * 0, stay. On both stores, since pruning walks the projects through the runs' own index.
 */
class RunRetentionTest {
    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void runsPastTheRetentionArePrunedAndTheRestKept(TestDatabases.Kind kind) throws Exception {
        for (String days : List.of("2", "0")) {
            String dbUrl = TestDatabases.newDatabaseUrl(kind);
            Path dataDir = Files.createTempDirectory("switchboard-retention");
            try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-retention-token").start(0);
                 TestServer server = TestServer.startOn(dbUrl, dataDir, Map.of(Setting.RUN_RETENTION_DAYS, days))) {
                TestServer.Project first = projectWithRuns(server, slack, "retention-a", 5);
                TestServer.Project second = projectWithRuns(server, slack, "retention-b", 4);
                List<String> firstIds = runIds(server, first);
                List<String> secondIds = runIds(server, second);
                // Some of them three days old, as if the node had been running for a while.
                long threeDaysAgo = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
                String url = dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("switchboard.db");
                try (Connection db = DriverManager.getConnection(url, "postgres", "postgres");
                     PreparedStatement age = db.prepareStatement("UPDATE runs SET created_at = ? WHERE id = ?");
                     PreparedStatement orphan = db.prepareStatement("""
                             INSERT INTO runs (id, project_id, user_id, action, status, http_status, duration_ms, request_id, created_at)
                             VALUES (?, 'proj_gone', 'u1', 'SLACK_LIST_CHANNELS', 'succeeded', 200, 1, 'req-orphan', ?)""")) {
                    for (String id : Stream.concat(firstIds.subList(0, 3).stream(), secondIds.subList(0, 1).stream()).toList()) {
                        age.setLong(1, threeDaysAgo);
                        age.setString(2, id);
                        assertThat(age.executeUpdate()).isEqualTo(1);
                    }
                    List<String> orphanIds = List.of("run-orphan-old", "run-orphan-young");
                    for (String id : orphanIds) {
                        orphan.setString(1, id);
                        orphan.setLong(2, id.endsWith("old") ? threeDaysAgo : System.currentTimeMillis());
                        orphan.executeUpdate();
                    }

                    server.node().pruneRunsNow();

                    List<String> firstLeft = runIds(server, first);
                    List<String> secondLeft = runIds(server, second);
                    List<String> allLeft = allRunIds(db);
                    if (days.equals("0")) {
                        assertThat(firstLeft).as("retention 0 keeps every run").containsExactlyInAnyOrderElementsOf(firstIds);
                        assertThat(secondLeft).containsExactlyInAnyOrderElementsOf(secondIds);
                        assertThat(allLeft).containsAll(orphanIds);
                    } else {
                        assertThat(firstLeft).as("the two younger than %s days", days).containsExactlyInAnyOrderElementsOf(firstIds.subList(3, 5));
                        assertThat(secondLeft).as("the three younger, in the other project").containsExactlyInAnyOrderElementsOf(secondIds.subList(1, 4));
                        assertThat(allLeft).as("the gone project's runs").contains("run-orphan-young").doesNotContain("run-orphan-old");
                        assertThat(allLeft).hasSize(6);
                    }
                }
            }
        }
    }

    private static TestServer.Project projectWithRuns(TestServer server, SlackFake slack, String name, int runs) {
        TestServer.Project project = server.createProject(name);
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        server.importCredential(project.id(), "u1", "slack", "xoxb-retention-token");
        String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        for (int i = 0; i < runs; i++) {
            assertThat(server.runAction(project, token, "SLACK_LIST_CHANNELS", Map.of()).status()).isEqualTo(200);
        }
        assertThat(runIds(server, project)).hasSize(runs);
        return project;
    }

    private static List<String> runIds(TestServer server, TestServer.Project project) {
        JsonNode runs = server.admin("GET", "/admin/projects/" + project.id() + "/runs", null).json().get("runs");
        return runs.valueStream().map(run -> run.get("id").asString()).toList();
    }

    private static List<String> allRunIds(Connection db) throws Exception {
        List<String> ids = new ArrayList<>();
        try (var rows = db.createStatement().executeQuery("SELECT id FROM runs")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
