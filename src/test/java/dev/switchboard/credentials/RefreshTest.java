package dev.switchboard.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.store.Credential;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Token refresh (issue 5): once per expiry, rotation committed before use, failures that never lose the account. */
class RefreshTest {
    private SlackFake slack;
    private final List<TestServer> servers = new ArrayList<>();

    @BeforeEach
    void startSlack() {
        slack = new SlackFake(3, 2).start(0);
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
        slack.close();
    }

    private record Account(TestServer server, Project project, String userToken, String credentialId, String accessToken) {
        Answer send(String message) {
            return server.runAction(project, userToken, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", message));
        }

        JsonNode stored() {
            JsonNode all = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/credentials", userToken, null, Map.of()), 200);
            for (JsonNode c : all) {
                if (c.get("id").asString().equals(credentialId)) return c;
            }
            throw new AssertionError("credential not listed");
        }
    }

    private Account connect(TestServer server, Instant expiresAt) {
        Project project = server.createProject("refresh");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret",
                "urls", Map.of("api", slack.apiUrl(), "token", slack.apiUrl() + "/oauth.v2.access"))), 200);
        String access = "xoxe.xoxb-" + UUID.randomUUID();
        String refresh = "xoxe-1-" + UUID.randomUUID();
        slack.acceptToken(access).acceptRefreshToken(refresh);
        String id = server.importCredential(project.id(), "u1", Map.of("integration", "slack", "accessToken", access,
                "refreshToken", refresh, "expiresAt", expiresAt.toString()));
        return new Account(server, project, Tokens.sign(project.privateKeyPem(), "u1", c -> c), id, access);
    }

    private TestServer server(String dbUrl) throws Exception {
        TestServer server = TestServer.startOn(dbUrl, new VendorTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5)),
                Files.createTempDirectory("refresh"));
        servers.add(server);
        return server;
    }

    @Test
    void expiredTokenIsRefreshedOnceAndTheCallRepeated() throws Exception {
        Account account = connect(server(null), Instant.now().plusSeconds(3600));
        slack.expireToken(account.accessToken());

        Answer answer = account.send("after refresh");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(slack.refreshCalls()).isEqualTo(1);
        List<SlackFake.Received> posts = slack.received("chat.postMessage");
        assertThat(posts).hasSize(2);
        assertThat(posts.get(1).headers().get("Authorization")).isNotEqualTo("Bearer " + account.accessToken()).startsWith("Bearer xoxe.xoxb-");
        assertThat(account.stored().get("dateRefreshed").isNull()).isFalse();

        // The rotated refresh token was saved: the next expiry refreshes again with it.
        slack.expireToken(posts.get(1).headers().get("Authorization").substring(7));
        assertThat(account.send("second refresh").status()).isEqualTo(200);
        assertThat(slack.refreshCalls()).isEqualTo(2);
    }

    @Test
    void tokenAboutToExpireIsRefreshedBeforeTheCall() throws Exception {
        Account account = connect(server(null), Instant.now().plusSeconds(20));
        assertThat(account.send("proactive").status()).isEqualTo(200);
        assertThat(slack.refreshCalls()).isEqualTo(1);
        assertThat(slack.received("chat.postMessage")).singleElement()
                .satisfies(r -> assertThat(r.headers().get("Authorization")).isNotEqualTo("Bearer " + account.accessToken()));
    }

    @Test
    void deadRefreshTokenMakesTheAccountInvalidAndSaysReconnect() throws Exception {
        TestServer server = server(null);
        Account account = connect(server, Instant.now().plusSeconds(3600));
        // A second account whose refresh token Slack no longer knows (revoked by the user in Slack).
        String id = server.importCredential(account.project().id(), "u2", Map.of("integration", "slack",
                "accessToken", "xoxe.xoxb-u2", "refreshToken", "xoxe-1-revoked"));
        slack.acceptToken("xoxe.xoxb-u2");
        slack.expireToken("xoxe.xoxb-u2");
        String u2 = Tokens.sign(account.project().privateKeyPem(), "u2", c -> c);

        Answer answer = server.runAction(account.project(), u2, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x"));

        JsonNode body = TestServer.expect(answer, 424);
        assertThat(body.get("code").asString()).isEqualTo("credential_invalid");
        assertThat(body.get("message").asString()).contains("invalid_refresh_token").contains("reconnect");
        assertThat(answer.header("X-Paragon-Credential")).isEqualTo(id);
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + account.project().id() + "/sdk/me", u2, null, Map.of()), 200);
        JsonNode stored = me.at("/integrations/slack/allCredentials/0");
        assertThat(stored.get("status").asString()).isEqualTo("INVALID");
        assertThat(stored.get("refreshFailureCount").asInt()).isEqualTo(1);
        assertThat(me.at("/integrations/slack/enabled").asBoolean()).isFalse();
        assertThat(server.runAction(account.project(), u2, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x"))
                .json().get("code").asString()).isEqualTo("integration_not_connected");
        assertThat(account.send("the other account is untouched").status()).isEqualTo(200);
    }

    @Test
    void tokenEndpointOutageKeepsTheAccountAndCountsTheFailure() throws Exception {
        Account account = connect(server(null), Instant.now().plusSeconds(3600));
        slack.expireToken(account.accessToken());
        slack.failTokenEndpoint(1);

        JsonNode body = TestServer.expect(account.send("outage"), 502);
        assertThat(body.get("code").asString()).isEqualTo("refresh_failed");
        assertThat(account.stored().get("status").asString()).isEqualTo("VALID");
        assertThat(account.stored().get("refreshFailureCount").asInt()).isEqualTo(1);

        assertThat(account.send("after outage").status()).isEqualTo(200);
        assertThat(account.stored().get("refreshFailureCount").asInt()).isZero();
    }

    @Test
    void concurrentCallsOnOneExpiredTokenRefreshOnce() throws Exception {
        Account account = connect(server(null), Instant.now().plusSeconds(3600));
        slack.expireToken(account.accessToken());
        slack.slowTokenEndpoint(300);
        assertThat(runConcurrently(List.of(account), 20)).isEqualTo(20);
        assertThat(slack.refreshCalls()).isEqualTo(1);
    }

    @Test
    void twoNodesOnOnePostgresRefreshOnceForAHundredConcurrentActions() throws Exception {
        String dbUrl = TestDatabases.newDatabaseUrl(TestDatabases.Kind.POSTGRES);
        TestServer nodeA = server(dbUrl);
        TestServer nodeB = server(dbUrl);
        Account onA = connect(nodeA, Instant.now().plusSeconds(3600));
        Account onB = new Account(nodeB, onA.project(), onA.userToken(), onA.credentialId(), onA.accessToken());
        slack.expireToken(onA.accessToken());
        slack.slowTokenEndpoint(200);

        int succeeded = runConcurrently(List.of(onA, onB), 100);

        System.out.printf("two nodes: %d of 100 actions succeeded, token endpoint called %d time(s)%n", succeeded, slack.refreshCalls());
        assertThat(succeeded).isEqualTo(100);
        assertThat(slack.refreshCalls()).isEqualTo(1);
    }

    /** Sends n actions at once, alternating between the accounts' nodes; @return how many succeeded */
    private static int runConcurrently(List<Account> accounts, int n) throws Exception {
        // At most 32 under way, the per-user bound of one node: with more, the calls waiting on one node's refresh
        // could pile up past it there and be answered 429 (fairness, not what this test is about).
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 32));
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Account account = accounts.get(i % accounts.size());
            int index = i;
            results.add(pool.submit(() -> account.send("concurrent " + index).status()));
        }
        int ok = 0;
        for (Future<Integer> result : results) {
            ok += result.get() == 200 ? 1 : 0;
        }
        pool.shutdown();
        return ok;
    }
}
