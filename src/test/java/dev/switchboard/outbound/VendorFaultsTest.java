package dev.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.ScriptedVendor;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Vendors and inputs that bend the rules: each gets a documented answer, never a 500 and never a wrong success. */
class VendorFaultsTest {
    private static final ScriptedVendor vendor = new ScriptedVendor();
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE, new VendorTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2)));
        project = server.createProject("faults");
        server.configureIntegration(project.id(), "slack", vendor.baseUrl() + "/api");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/box", Map.of("enabled", true,
                "urls", Map.of("api", vendor.baseUrl() + "/api", "upload", vendor.baseUrl() + "/upload", "download", vendor.baseUrl() + "/dl"))), 200);
        server.importCredential(project.id(), "u1", "slack", "xoxb-faults");
        server.importCredential(project.id(), "u1", "box", "box-faults");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        vendor.close();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.user("POST", "/projects/" + project.id() + "/actions", token, Map.of("action", action, "parameters", parameters), Map.of());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsNotAnActionsSuccess(int status) {
        vendor.behave(ScriptedVendor.answer(status, Map.of("Location", "https://elsewhere.example.com/"), ""));
        for (Answer answer : new Answer[] {run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "hi")),
                run("SLACK_LIST_MEMBERS", Map.of())}) {
            JsonNode body = TestServer.expect(answer, 502);
            assertThat(body.get("code").asString()).isEqualTo("integration_error");
            assertThat(body.at("/meta/integrationStatus").asInt()).isEqualTo(status);
        }
    }

    @Test
    void aDownloadRedirectedTwiceFailsInsteadOfAnsweringAnEmptyFile() {
        vendor.behave(ScriptedVendor.answer(302, Map.of("Location", vendor.baseUrl() + "/dl/again"), ""));
        JsonNode body = TestServer.expect(run("BOX_DOWNLOAD_FILE", Map.of("fileId", "123")), 502);
        assertThat(body.get("code").asString()).isEqualTo("integration_error");
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"99999999999999999999999", "9223372036854775807", "Fri, 31 Dec 9999 23:59:59 GMT"})
    void anAbsurdRetryAfterIsCappedNotA500(String retryAfter) {
        vendor.behave(ScriptedVendor.answer(429, Map.of("Retry-After", retryAfter, "Content-Type", "application/json"), "{\"ok\":false}"));
        Answer action = run("SLACK_LIST_MEMBERS", Map.of());
        assertThat(action.status()).as(action.text()).isEqualTo(429);
        assertThat(Long.parseLong(action.header("Retry-After"))).isBetween(1L, 86_400L);

        Answer proxied = server.user("GET", "/projects/" + project.id() + "/sdk/proxy/slack/users.list", token, null, Map.of());
        assertThat(proxied.status()).as("the proxy passes the vendor's own 429 on").isEqualTo(429);
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"0", "-5", "Thu, 01 Jan 1970 00:00:00 GMT"})
    void aRetryAfterOfNothingStillBacksOff(String retryAfter) {
        vendor.behave(ScriptedVendor.answer(429, Map.of("Retry-After", retryAfter), ""));
        int before = vendor.requests();
        assertThat(run("SLACK_LIST_MEMBERS", Map.of()).status()).isEqualTo(429);
        // backoff from 100-200 ms, doubling, within the 2 s budget: a handful of calls, not hundreds
        assertThat(vendor.requests() - before).isBetween(2, 8);
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(strings = {"5.0", "5.00", "0.5E1"})
    void aWholeNumberWrittenAsADecimalGoesOnAsAnInteger(String limit) {
        vendor.behave(ScriptedVendor.answer(200, Map.of("Content-Type", "application/json"), "{\"ok\":true,\"channels\":[]}"));
        Answer answer = server.user("POST", "/projects/" + project.id() + "/actions", token,
                "{\"action\": \"SLACK_LIST_CHANNELS\", \"parameters\": {\"limit\": " + limit + "}}", Map.of());
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(vendor.lastRequestLine()).contains("limit=5").doesNotContain("limit=5.");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".", "..", ""})
    void aPathInputThatWouldNameAnotherPathIsRefused(String folderId) {
        int before = vendor.requests();
        JsonNode body = TestServer.expect(run("BOX_LIST_FILES", Map.of("folderId", folderId)), 400);
        assertThat(body.get("message").asString()).contains("parameters.folderId");
        assertThat(vendor.requests()).as("nothing reached the vendor").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain\r\nX-Injected: 1", "text/plain\nContent-Disposition: form-data", "text/plain\u0000", "no-slash"})
    void aMimeTypeThatIsNotAMediaTypeIsRefused(String mimeType) {
        int before = vendor.requests();
        JsonNode body = TestServer.expect(run("BOX_SAVE_FILE_FROM_OBJECT", Map.of("fileName", "a.txt", "folder", "0",
                "file", Map.of("dataType", "FILE", "mimeType", mimeType, "data", HexFormat.of().formatHex("hi".getBytes())))), 400);
        assertThat(body.get("message").asString()).contains("parameters.file.mimeType");
        assertThat(vendor.requests()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a\r\nb.txt", "a\u0000.txt", "a\u000b.txt"})
    void aFileNameWithControlCharactersIsRefused(String name) {
        JsonNode body = TestServer.expect(run("BOX_SAVE_FILE_FROM_OBJECT", Map.of("fileName", "a.txt", "folder", "0",
                "file", Map.of("dataType", "FILE", "mimeType", "text/plain", "name", name, "data", "6869"))), 400);
        assertThat(body.get("message").asString()).contains("parameters.file.name");
    }

    /** Answers an action cannot hold: each ends within the call's limits, never as a 500 or a partial result. */
    @Test
    void answersTooLargeEndlessOrTooSlowEndWithinTheLimits() {
        vendor.behave(ScriptedVendor.answer(200, "application/json", "{\"ok\":true,\"data\":\"" + "x".repeat(60 * 1024 * 1024) + "\"}"));
        JsonNode tooLarge = TestServer.expect(run("SLACK_LIST_MEMBERS", Map.of()), 502);
        assertThat(tooLarge.get("code").asString()).isEqualTo("integration_response_unreadable");
        assertThat(tooLarge.get("message").asString()).contains("larger than");

        vendor.behave(ScriptedVendor.endless());
        assertThat(TestServer.expect(run("SLACK_LIST_MEMBERS", Map.of()), 502).get("code").asString()).isEqualTo("integration_response_unreadable");

        vendor.behave(ScriptedVendor.drip("{\"ok\":true,\"members\":[]}", 200)); // 5 s of drip against a 2 s attempt
        long started = System.nanoTime();
        assertThat(TestServer.expect(run("SLACK_LIST_MEMBERS", Map.of()), 504).get("code").asString()).isEqualTo("integration_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    }
}
