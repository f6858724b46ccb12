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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A vendor's 1xx interim answers neither hang a call nor lose the real answer that follows. */
class InterimAnswersTest {
    private static final ScriptedVendor vendor = new ScriptedVendor();
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE, new VendorTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        project = server.createProject("interim");
        server.configureIntegration(project.id(), "slack", vendor.baseUrl() + "/api");
        server.importCredential(project.id(), "u1", "slack", "xoxb-interim");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        vendor.close();
    }

    private static Answer action() {
        return server.user("POST", "/projects/" + project.id() + "/actions", token,
                Map.of("action", "SLACK_LIST_MEMBERS", "parameters", Map.of()), Map.of());
    }

    private static Answer proxy() {
        return server.user("GET", "/projects/" + project.id() + "/sdk/proxy/slack/users.list", token, null, Map.of());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {100, 102, 103})
    void theRealAnswerAfterAnInterimOneComesThrough(int interim) {
        vendor.behave(ScriptedVendor.interimThen(interim, ScriptedVendor.answer(200, "application/json", "{\"ok\":true,\"members\":[{\"id\":\"U1\"}]}")));
        Answer action = action();
        assertThat(action.status()).as(action.text()).isEqualTo(200);
        assertThat(action.json().at("/members/0/id").asString()).isEqualTo("U1");
        Answer proxied = proxy();
        assertThat(proxied.status()).as(proxied.text()).isEqualTo(200);
        assertThat(proxied.json().at("/output/members/0/id").asString()).isEqualTo("U1");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {100, 102, 103})
    void anInterimAnswerWithoutARealOneEndsAtTheDeadline(int interim) {
        vendor.behave(ScriptedVendor.interimThen(interim, ScriptedVendor.hang()));
        for (Answer answer : new Answer[] {timed(InterimAnswersTest::action), timed(InterimAnswersTest::proxy)}) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(504);
            assertThat(answer.json().get("code").asString()).isEqualTo("integration_timeout");
        }
    }

    /** A switch of protocols nobody asked for, or a 1xx that HTTP does not define, ends the exchange. */
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {101})
    void aFinal1xxIsAnUnreadableAnswerNeverPassedOn(int status) {
        vendor.behave(ScriptedVendor.interimThen(status, ScriptedVendor.hang()));
        for (Answer answer : new Answer[] {timed(InterimAnswersTest::action), timed(InterimAnswersTest::proxy)}) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(502);
            assertThat(answer.json().get("code").asString()).isEqualTo("integration_response_unreadable");
        }
    }

    private static Answer timed(java.util.function.Supplier<Answer> call) {
        long started = System.nanoTime();
        Answer answer = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered within the deadline and a margin").isLessThan(Duration.ofSeconds(5));
        return answer;
    }

    /**
     * A 1xx that HTTP does not define: Jetty reads it as a final answer or as an interim one (then waits), so the
     * call ends as an unreadable answer or at its deadline, never later and never passed on.
     */
    @org.junit.jupiter.api.Test
    void anUndefined1xxEndsByTheDeadline() {
        vendor.behave(ScriptedVendor.interimThen(199, ScriptedVendor.hang()));
        for (Answer answer : new Answer[] {timed(InterimAnswersTest::action), timed(InterimAnswersTest::proxy)}) {
            assertThat(answer.status()).as(answer.text()).isIn(502, 504);
            assertThat(answer.json().get("code").asString()).isIn("integration_response_unreadable", "integration_timeout");
        }
    }
}
