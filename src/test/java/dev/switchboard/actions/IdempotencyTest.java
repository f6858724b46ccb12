package dev.switchboard.actions;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Idempotency-Key on POST /actions and MCP tools/call: one vendor call per key and request, on either store, on
 * two nodes at once (PostgreSQL), and the request's own mistakes never spend a key.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabases.Kind.class)
class IdempotencyTest {
    private static final String SLACK_TOKEN = "xoxb-idempotency";
    private static SlackFake slack;
    private static TestServer nodeA;
    /** A second node on the same database (PostgreSQL), or the same node (SQLite, which serves one node). */
    private static TestServer nodeB;
    private static Project project;

    @Parameter
    TestDatabases.Kind store;

    @org.junit.jupiter.params.BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) throws Exception {
        slack = new SlackFake(2, 1).acceptToken(SLACK_TOKEN).start(0);
        String dbUrl = kind == TestDatabases.Kind.POSTGRES ? TestDatabases.newDatabaseUrl(kind) : null;
        VendorTimeouts timeouts = VendorTimeouts.defaults();
        nodeA = dbUrl == null ? TestServer.start(kind, timeouts) : TestServer.startOn(dbUrl, timeouts, Files.createTempDirectory("idem-a"));
        nodeB = dbUrl == null ? nodeA : TestServer.startOn(dbUrl, timeouts, Files.createTempDirectory("idem-b"));
        project = nodeA.createProject("idempotency");
        nodeA.configureIntegration(project.id(), "slack", slack.apiUrl());
    }

    @org.junit.jupiter.params.AfterParameterizedClassInvocation
    static void stop() {
        nodeA.close();
        if (nodeB != nodeA) {
            nodeB.close();
        }
        slack.close();
    }

    private static String user() {
        String user = "u-" + UUID.randomUUID();
        nodeA.importCredential(project.id(), user, "slack", SLACK_TOKEN);
        return Tokens.sign(project.privateKeyPem(), user, c -> c);
    }

    private static Answer send(TestServer node, String token, String key, Map<String, Object> parameters) {
        return node.user("POST", "/projects/" + project.id() + "/actions", token,
                Map.of("action", "SLACK_SEND_MESSAGE", "parameters", parameters), key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private static int posted() {
        return slack.received("chat.postMessage").size();
    }

    private static final Map<String, Object> HELLO = Map.of("channel", "#general", "message", "hello once");

    @Test
    void aRetryWithTheSameKeyAnswersTheFirstOutcomeWithoutCallingTheVendor() {
        String token = user();
        int before = posted();
        Answer first = send(nodeA, token, "key-1", HELLO);
        Answer retry = send(nodeB, token, "key-1", HELLO);

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("ts").asString()).isEqualTo(first.json().get("ts").asString());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("X-Paragon-Credential")).isEqualTo(first.header("X-Paragon-Credential"));
        assertThat(posted() - before).isEqualTo(1);

        // another user's key of the same name is theirs alone
        assertThat(send(nodeA, user(), "key-1", HELLO).header("Idempotent-Replayed")).isNull();
        assertThat(posted() - before).isEqualTo(2);
    }

    @Test
    void theSameKeyForAnotherRequestIsRefused() {
        String token = user();
        TestServer.expect(send(nodeA, token, "key-2", HELLO), 200);
        int before = posted();
        JsonNode refused = TestServer.expect(send(nodeB, token, "key-2", Map.of("channel", "#general", "message", "something else")), 409);
        assertThat(refused.get("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(posted()).isEqualTo(before);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneVendorCall() throws Exception {
        String token = user();
        slack.failNext("chat.postMessage", new SlackFake.Slow(500)); // the first call is slow: the others arrive while it runs
        int before = posted();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                TestServer node = i % 2 == 0 ? nodeA : nodeB;
                answers.add(CompletableFuture.supplyAsync(() -> send(node, token, "key-3", HELLO), threads));
            }
        }
        List<String> timestamps = answers.stream().map(CompletableFuture::join).map(a -> TestServer.expect(a, 200).get("ts").asString()).toList();
        assertThat(timestamps).hasSize(8).containsOnly(timestamps.get(0));
        assertThat(posted() - before).isEqualTo(1);
    }

    @Test
    void aRequestRefusedBeforeTheVendorFreesItsKeyAndAVendorFailureKeepsIt() {
        String token = user();
        int before = posted();
        TestServer.expect(send(nodeA, token, "key-4", Map.of("channel", "#general")), 400); // message missing
        assertThat(send(nodeA, token, "key-4", HELLO).status()).as("the key was not spent").isEqualTo(200);
        assertThat(posted() - before).isEqualTo(1);

        slack.failNext("chat.postMessage", new SlackFake.SlackError("channel_not_found"));
        JsonNode failed = TestServer.expect(send(nodeA, token, "key-5", HELLO), 400);
        Answer again = send(nodeB, token, "key-5", HELLO);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("code").asString()).isEqualTo(failed.get("code").asString());
        assertThat(again.json().at("/meta/integrationResponse/error").asString()).isEqualTo("channel_not_found");
        assertThat(posted() - before).as("the failed call was not repeated").isEqualTo(2);
    }

    @Test
    void aBadKeyIsNamed() {
        JsonNode refused = TestServer.expect(send(nodeA, user(), "x".repeat(256), HELLO), 400);
        assertThat(refused.get("message").asString()).contains("Idempotency-Key");
    }

    @Test
    void mcpToolCallsTakeTheKeyInMeta() {
        String token = user();
        int before = posted();
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call", "params", Map.of("name", "SLACK_SEND_MESSAGE",
                "arguments", HELLO, "_meta", Map.of("idempotencyKey", "mcp-key")));
        JsonNode first = TestServer.expect(nodeA.user("POST", "/projects/" + project.id() + "/mcp", token, call,
                Map.of("Accept", "application/json, text/event-stream")), 200).get("result");
        JsonNode second = TestServer.expect(nodeB.user("POST", "/projects/" + project.id() + "/mcp", token, call,
                Map.of("Accept", "application/json, text/event-stream")), 200).get("result");
        assertThat(second.at("/structuredContent/ts").asString()).isEqualTo(first.at("/structuredContent/ts").asString());
        assertThat(second.at("/_meta/replayed").asBoolean()).isTrue();
        assertThat(posted() - before).isEqualTo(1);
    }
}
