package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Bad requests get a clear 4xx in the ActionKit error shape, never a 500 or a stack trace (SPEC 4). */
class HttpErrorsTest {
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("errors");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Answer post(String body, String contentType) {
        return server.user("POST", "/projects/" + project.id() + "/actions", token, body, Map.of("Content-Type", contentType));
    }

    private static void assertErrorShape(Answer answer, int status, String code) {
        assertThat(answer.status()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.get("message").asString()).isNotBlank();
        assertThat(body.at("/meta/requestId").asString()).isEqualTo(answer.header("X-Request-Id")).startsWith("req_");
        assertThat(answer.text()).doesNotContain("at dev.switchboard").doesNotContain("Exception");
    }

    @Test
    void malformedJsonIsA400ThatSaysSo() {
        Answer answer = post("{\"action\": \"SLACK_SEND_MESSAGE\", ", "application/json");
        assertErrorShape(answer, 400, "invalid_json");
        assertThat(answer.json().get("message").asString()).contains("not valid JSON");
    }

    @Test
    void wrongContentTypeIs415() {
        assertErrorShape(post("action=SLACK_SEND_MESSAGE", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
    }

    @Test
    void bodyThatIsNotAnObjectOrHasUnknownFieldsIsA400() {
        assertErrorShape(post("[1,2]", "application/json"), 400, "invalid_request");
        Answer extra = post("{\"action\":\"SLACK_SEND_MESSAGE\",\"params\":{}}", "application/json");
        assertErrorShape(extra, 400, "invalid_request");
        assertThat(extra.json().get("message").asString()).contains("'params'");
        assertErrorShape(post("{\"parameters\":{}}", "application/json"), 400, "invalid_request");
        assertErrorShape(post("", "application/json"), 400, "invalid_json");
        Answer both = post("{\"action\":\"SLACK_LIST_MEMBERS\",\"tool\":\"SLACK_SEND_MESSAGE\",\"parameters\":{}}", "application/json");
        assertErrorShape(both, 400, "invalid_request");
        assertThat(both.json().get("message").asString()).contains("'action' and 'tool'");
    }

    /** Requests Jetty refuses before any route sees them get the same JSON shape, not Jetty's HTML page. */
    @Test
    void aMalformedUriIsAJsonErrorToo() throws Exception {
        URI base = URI.create(server.url("/"));
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET /projects/p/actions%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(raw).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json").doesNotContain("<html");
            String requestId = raw.lines().filter(l -> l.regionMatches(true, 0, "X-Request-Id:", 0, 13)).findFirst().orElseThrow().substring(13).trim();
            JsonNode body = dev.switchboard.json.Json.MAPPER.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
            assertThat(body.get("status").asInt()).isEqualTo(400);
            assertThat(body.get("code").asString()).isEqualTo("bad_request");
            assertThat(body.at("/meta/requestId").asString()).isEqualTo(requestId).startsWith("req_");
        }
    }

    @Test
    void unknownEndpointsAndMethodsAreJsonErrors() {
        assertErrorShape(server.user("GET", "/no/such/thing", null, null, Map.of()), 404, "not_found");
        Answer wrongMethod = server.user("DELETE", "/projects/" + project.id() + "/actions", token, null, Map.of());
        assertErrorShape(wrongMethod, 405, "method_not_allowed");
        assertThat(wrongMethod.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void declaredBodyOverTenMegabytesIsRefusedBeforeItIsSent() throws Exception {
        URI uri = URI.create(server.url("/"));
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST /projects/" + project.id() + "/actions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (20L * 1024 * 1024) + "\r\n\r\n{\"action\":";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Only the head and a few bytes were sent: the answer must come without waiting for the other 20 MB.
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).contains("\"code\":\"payload_too_large\"").contains("Proxy API");
        }
    }

    @Test
    void chunkedBodyIsCutOffOnceItPassesTheLimit() {
        StringBuilder big = new StringBuilder("{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"message\":\"");
        big.append("a".repeat(11 * 1024 * 1024)).append("\"}}");
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/actions")))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                // A stream of unknown length is sent chunked, without Content-Length.
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() ->
                        new java.io.ByteArrayInputStream(big.toString().getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("payload_too_large");
        } catch (java.io.IOException e) {
            // The server may close the connection while the client is still sending; that also refuses the body.
            assertThat(e).isNotNull();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readResponse(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buffer.write(chunk, 0, n);
            String text = buffer.toString(StandardCharsets.UTF_8);
            if (text.contains("\r\n\r\n") && text.contains("}")) {
                return text;
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void healthAndMetricsAnswer() {
        Answer health = server.user("GET", "/healthz", null, null, Map.of());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("ok");
        assertThat(server.user("GET", "/metrics", null, null, Map.of()).status()).as("metrics are not public").isEqualTo(401);
        Answer metrics = server.admin("GET", "/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("jvm_memory_used_bytes");
    }
}
