package dev.switchboard.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.ScriptedVendor;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * One vendor-call path: the same vendor failure answers with the same status and code whether the call came
 * through an action, MCP's tools/call, or the proxy.
 */
class SameFailureEveryDoorTest {
    private static final ScriptedVendor vendor = new ScriptedVendor();
    private static TestServer server;
    private static Project project;

    enum Door { ACTION, MCP, PROXY }

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE, new VendorTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        project = server.createProject("doors");
    }

    @AfterAll
    static void stop() {
        server.close();
        vendor.close();
    }

    static Stream<Arguments> failures() {
        record Case(String name, ScriptedVendor.Behaviour behaviour, boolean reachable, int status, String code) {}
        Stream<Case> cases = Stream.of(
                new Case("no answer within the deadline", ScriptedVendor.hang(), true, 504, "integration_timeout"),
                new Case("nobody listening", null, false, 502, "integration_unreachable"),
                new Case("an answer that is not HTTP", ScriptedVendor.garbage(), true, 502, "integration_response_unreadable"),
                new Case("an answer broken off before its body", ScriptedVendor.brokenOff("application/json", 1000, 0), true, 502, "integration_unreachable"),
                new Case("an answer broken off mid-body", ScriptedVendor.brokenOff("application/json", 1000, 100), true, 502, "integration_unreachable"),
                new Case("the credential rejected (401)",
                        ScriptedVendor.answer(401, "application/json", "{\"ok\":false,\"error\":\"invalid_auth\"}"), true, 424, "credential_invalid"),
                new Case("the request refused (403)",
                        ScriptedVendor.answer(403, "application/json", "{\"ok\":false,\"error\":\"missing_scope\"}"), true, 400, "integration_error"));
        return cases.flatMap(c -> Stream.of(Door.values())
                .map(door -> Arguments.of(c.name(), door, c.behaviour(), c.reachable(), c.status(), c.code())));
    }

    @ParameterizedTest(name = "{0} through {1}")
    @MethodSource("failures")
    void theSameFailureAnswersTheSameWay(String name, Door door, ScriptedVendor.Behaviour behaviour, boolean reachable,
                                         int status, String code) {
        String user = "u-" + UUID.randomUUID(); // each case its own account: a rejected credential becomes INVALID
        server.configureIntegration(project.id(), "slack", reachable ? vendor.baseUrl() + "/api" : "http://127.0.0.1:1/api");
        String credential = server.importCredential(project.id(), user, "slack", "xoxb-" + UUID.randomUUID());
        String token = Tokens.sign(project.privateKeyPem(), user, c -> c);
        if (behaviour != null) {
            vendor.behave(behaviour);
        }

        long started = System.nanoTime();
        Outcome outcome = call(door, token);

        assertThat(outcome.status()).as(outcome.body().toString()).isEqualTo(status);
        assertThat(outcome.code()).isEqualTo(code);
        assertThat(outcome.credentialId()).isEqualTo(credential);
        assertThat(outcome.body().toString()).as("no internals, no socket addresses")
                .doesNotContain("eclipse", "Exception@", "HttpConnection", "EndPoint", vendor.baseUrl().replace("http://", ""));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered within the call's deadline and a margin")
                .isLessThan(Duration.ofSeconds(5));
    }

    record Outcome(int status, String code, String credentialId, JsonNode body) {}

    private static Outcome call(Door door, String token) {
        return switch (door) {
            case ACTION -> fromHttp(server.user("POST", "/projects/" + project.id() + "/actions", token,
                    Map.of("action", "SLACK_LIST_MEMBERS", "parameters", Map.of()), Map.of()));
            case PROXY -> fromHttp(server.user("GET", "/projects/" + project.id() + "/sdk/proxy/slack/users.list", token, null, Map.of()));
            case MCP -> {
                Answer answer = server.user("POST", "/projects/" + project.id() + "/mcp", token, Map.of("jsonrpc", "2.0", "id", 1,
                        "method", "tools/call", "params", Map.of("name", "SLACK_LIST_MEMBERS", "arguments", Map.of())),
                        Map.of("Accept", "application/json, text/event-stream"));
                JsonNode result = TestServer.expect(answer, 200).get("result");
                assertThat(result.get("isError").asBoolean()).isTrue();
                JsonNode meta = result.get("_meta");
                yield new Outcome(meta.get("status").asInt(), meta.get("code").asString(), meta.path("credentialId").asString(null), result);
            }
        };
    }

    private static Outcome fromHttp(Answer answer) {
        JsonNode body = answer.json();
        return new Outcome(answer.status(), body.get("code").asString(), answer.headers().firstValue("X-Paragon-Credential").orElse(null), body);
    }
}
