package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each node caches projects, signing keys, integration settings and users' accounts for the cache TTL. Two
 * nodes on one PostgreSQL: what one node changes, the other sees at once where waiting would fail a user
 * (a newly connected account), and within the TTL otherwise (a retired key, a removed account).
 */
class ClusterCacheTest {
    private static final Duration TTL = Duration.ofMillis(1000);
    private static final String SLACK_TOKEN = "xoxb-cluster-cache";

    private static SlackFake slack;
    private static TestServer nodeA;
    private static TestServer nodeB;
    private Project project;

    @BeforeAll
    static void start() throws Exception {
        slack = new SlackFake(3, 2).acceptToken(SLACK_TOKEN).start(0);
        String dbUrl = TestDatabases.newDatabaseUrl(TestDatabases.Kind.POSTGRES);
        nodeA = TestServer.startOn(dbUrl, VendorTimeouts.defaults(), Files.createTempDirectory("node-a"), TTL);
        nodeB = TestServer.startOn(dbUrl, VendorTimeouts.defaults(), Files.createTempDirectory("node-b"), TTL);
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        slack.close();
    }

    @BeforeEach
    void newProject() {
        project = nodeA.createProject("cluster");
        nodeA.configureIntegration(project.id(), "slack", slack.apiUrl());
    }

    private Answer send(TestServer node, String token) {
        return node.runAction(project, token, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "hi"));
    }

    /** Polls until the answer's status matches; @return how long that took */
    private static Duration until(Supplier<Answer> call, IntPredicate status) throws InterruptedException {
        long started = System.nanoTime();
        Answer last = call.get();
        while (!status.test(last.status())) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("still %d: %s", last.status(), last.text())
                    .isLessThan(TTL.plusSeconds(3));
            Thread.sleep(50);
            last = call.get();
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    void aKeyRetiredOnOneNodeIsRefusedByTheOtherWithinTheTtl() throws Exception {
        String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        nodeA.importCredential(project.id(), "u1", "slack", SLACK_TOKEN);
        assertThat(send(nodeB, token).status()).isEqualTo(200); // node B has now verified and cached this token
        TestServer.expect(nodeA.admin("DELETE", "/admin/projects/" + project.id() + "/signing-keys/" + project.kid(), null), 204);

        assertThat(send(nodeA, token).status()).as("the node that retired the key").isEqualTo(401);
        Duration seen = until(() -> send(nodeB, token), s -> s == 401);
        assertThat(seen).isLessThanOrEqualTo(TTL.plusMillis(1000));
    }

    @Test
    void anAccountConnectedOnOneNodeIsUsableOnTheOtherAtOnce() {
        String token = Tokens.sign(project.privateKeyPem(), "u2", c -> c);
        Answer before = send(nodeB, token); // node B caches "u2 has no accounts"
        assertThat(before.status()).isEqualTo(400);
        assertThat(before.json().get("message").asString()).isEqualTo("Integration not enabled for user.");

        nodeA.importCredential(project.id(), "u2", "slack", SLACK_TOKEN);

        assertThat(send(nodeB, token).status()).isEqualTo(200);
    }

    @Test
    void anAccountRemovedOnOneNodeIsNoLongerUsedByTheOtherAfterTheTtl() throws Exception {
        String token = Tokens.sign(project.privateKeyPem(), "u3", c -> c);
        nodeA.importCredential(project.id(), "u3", "slack", SLACK_TOKEN);
        assertThat(send(nodeB, token).status()).isEqualTo(200);

        TestServer.expect(nodeA.user("DELETE", "/projects/" + project.id() + "/sdk/integrations/slack", token, null, Map.of()), 200);

        assertThat(send(nodeA, token).status()).as("the node that removed it").isEqualTo(400);
        Duration seen = until(() -> send(nodeB, token), s -> s == 400);
        assertThat(seen).isLessThanOrEqualTo(TTL.plusMillis(1000));
    }

    @Test
    void anIntegrationDisabledOnOneNodeIsRefusedByTheOtherAfterTheTtl() throws Exception {
        String token = Tokens.sign(project.privateKeyPem(), "u4", c -> c);
        nodeA.importCredential(project.id(), "u4", "slack", SLACK_TOKEN);
        assertThat(send(nodeB, token).status()).isEqualTo(200);

        TestServer.expect(nodeA.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack",
                Map.of("enabled", false, "urls", Map.of("api", slack.apiUrl()))), 200);

        assertThat(send(nodeA, token).status()).isEqualTo(400);
        Duration seen = until(() -> send(nodeB, token), s -> s == 400);
        assertThat(seen).isLessThanOrEqualTo(TTL.plusMillis(1000));
    }
}
