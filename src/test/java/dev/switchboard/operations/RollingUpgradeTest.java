package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Traffic;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade on one PostgreSQL database. The store starts at the previous release's schema (migrations up to 7);
 * a node of this release migrates it on start. Then a migration of a release after this one (db/future/V1000) is applied
 * while that node serves, which puts this node where an old node is during an upgrade: on a schema newer than it knows.
 * It must keep serving, and another node of this release must start on that schema too.
 */
class RollingUpgradeTest {
    private static final Map<String, Object> MESSAGE = Map.of("channel", "#general", "message", "upgrading");

    @Test
    void nodesKeepServingWhileTheSchemaMovesAhead() throws Exception {
        String dbUrl = TestDatabases.newDatabaseUrl(TestDatabases.Kind.POSTGRES);
        Flyway.configure().dataSource(dbUrl, null, null).locations("classpath:db/migration").target("7").load().migrate();

        try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-upgrade").start(0);
             TestServer first = TestServer.startOn(dbUrl, Files.createTempDirectory("upgrade-a"), Map.of())) {
            TestServer.Project project = first.createProject("upgrade");
            first.configureIntegration(project.id(), "slack", slack.apiUrl());
            first.importCredential(project.id(), "u1", "slack", "xoxb-upgrade");
            String user = Tokens.sign(project.privateKeyPem(), "u1", c -> c);

            int served = Traffic.whileDoing(() -> first.runAction(project, user, "SLACK_SEND_MESSAGE", MESSAGE),
                    () -> Flyway.configure().dataSource(dbUrl, null, null).locations("classpath:db/migration", "classpath:db/future")
                            .load().migrate()).served();
            assertThat(Http.send("GET", first.url("/readyz"), Map.of(), null).status()).isEqualTo(200);

            try (TestServer second = TestServer.startOn(dbUrl, Files.createTempDirectory("upgrade-b"), Map.of())) {
                assertThat(Http.send("GET", second.url("/readyz"), Map.of(), null).status()).isEqualTo(200);
                Answer onSecond = second.runAction(project, user, "SLACK_SEND_MESSAGE", MESSAGE);
                assertThat(onSecond.status()).as(onSecond.text()).isEqualTo(200);
                int runs = second.admin("GET", "/admin/projects/" + project.id() + "/runs?limit=1000", null).json().get("runs").size();
                assertThat(runs).as("the first node's runs, written across the migration, and the second's").isGreaterThanOrEqualTo(served + 1);
            }
        }
    }
}
