package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Inputs built to cost the server: every one is answered quickly, in a small answer, and freezes nothing. */
class HostileInputTest {
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("hostile");
        server.configureIntegration(project.id(), "slack", "http://127.0.0.1:1/api");
        server.importCredential(project.id(), "u1", "slack", "xoxb-hostile");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Answer run(Object action, Object parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action);
        body.put("parameters", parameters);
        return server.user("POST", "/projects/" + project.id() + "/actions", token, body, Map.of());
    }

    @Test
    void hugeActionNamesAreRefusedAtOnceWithoutBeingEchoed() {
        String name = "SLACK_SEND_MESSAGE".repeat(3 * 1024 * 1024 / 18);
        long started = System.nanoTime();
        List<CompletableFuture<Answer>> both = List.of(CompletableFuture.supplyAsync(() -> run(name, Map.of())),
                CompletableFuture.supplyAsync(() -> run(name + "X", Map.of())));
        Answer health = server.user("GET", "/healthz", null, null, Map.of());
        for (CompletableFuture<Answer> answer : both) {
            JsonNode body = TestServer.expect(answer.join(), 400);
            assertThat(body.get("code").asString()).isEqualTo("unknown_action");
            assertThat(answer.join().text().length()).as("the answer does not grow with the name").isLessThan(1000);
            assertThat(body.get("message").asString()).contains("characters)");
        }
        assertThat(health.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void hugeToolNamesOverMcpAreRefusedAtOnce() {
        String name = "X".repeat(3 * 1024 * 1024);
        long started = System.nanoTime();
        Answer answer = server.user("POST", "/projects/" + project.id() + "/mcp", token, Map.of("jsonrpc", "2.0", "id", 1,
                "method", "tools/call", "params", Map.of("name", name, "arguments", Map.of())),
                Map.of("Accept", "application/json, text/event-stream"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(answer.text().length()).isLessThan(1000);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aHundredThousandUnknownParametersAreCountedNotListed() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("channel", "#general");
        parameters.put("message", "hi");
        for (int i = 0; i < 100_000; i++) {
            parameters.put("extra" + i, i);
        }
        long started = System.nanoTime();
        Answer answer = run("SLACK_SEND_MESSAGE", parameters);
        JsonNode body = TestServer.expect(answer, 400);
        assertThat(body.at("/meta/errors")).hasSize(21);
        assertThat(body.at("/meta/errors/20").asString()).isEqualTo("and 99980 more problems");
        assertThat(answer.text().length()).isLessThan(8 * 1024);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aHugeUnknownParameterNameIsCutInTheAnswer() {
        Answer answer = run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "hi", "m".repeat(40_000), 1));
        JsonNode body = TestServer.expect(answer, 400);
        assertThat(body.get("message").asString()).contains("unknown parameter").contains("(40000 characters)");
        assertThat(answer.text().length()).isLessThan(1000);
    }

    /** The status line answering a request that declares a body of this length and sends none of it. */
    private static String statusLineForADeclaredBody(String path, long length) {
        java.net.URI uri = java.net.URI.create(server.url(path));
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: " + length
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Answer mcp(String body) {
        return server.user("POST", "/projects/" + project.id() + "/mcp", token, body, Map.of("Accept", "application/json, text/event-stream"));
    }

    /** MCP reads its messages as strictly as POST /actions reads a body: no key twice, no number past 64 bits, 10 MiB. */
    @Test
    void mcpMessagesAreReadAsStrictlyAsActionBodies() {
        Answer twice = mcp("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"SLACK_LIST_MEMBERS\","
                + "\"name\":\"SLACK_SEND_MESSAGE\",\"arguments\":{}}}");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(twice.json().at("/error/message").asString()).contains("appears twice");

        Answer huge = mcp("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"SLACK_LIST_MEMBERS\","
                + "\"arguments\":{\"limit\":1e400}}}");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.json().at("/error/message").asString()).contains("message.params.arguments.limit").contains("out of range");

        // Declared, never sent: the answer comes before any of the body is read (sending it would race the close).
        assertThat(statusLineForADeclaredBody("/projects/" + project.id() + "/mcp", 11 * 1024 * 1024)).contains(" 413 ");

        Answer fine = mcp("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}");
        assertThat(fine.status()).isEqualTo(200);
        assertThat(fine.json().at("/result/tools").size()).isPositive();
    }

    /** Found by fuzzing: a number past the JSON parser's limits was a 500. */
    @Test
    void aNumberPastWhatCanBeReadIsARefusedBody() {
        Answer answer = server.user("POST", "/projects/" + project.id() + "/actions", token,
                "{\"action\": \"SLACK_LIST_MEMBERS\", \"parameters\": {\"limit\": 999.9e99999999099}}", Map.of());
        JsonNode body = TestServer.expect(answer, 400);
        assertThat(body.get("code").asString()).isEqualTo("invalid_json");
    }
}
