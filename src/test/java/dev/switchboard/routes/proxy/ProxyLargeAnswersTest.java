package dev.switchboard.routes.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.ScriptedVendor;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** JSON answers of any size come through the proxy whole and wrapped; none is cut short. */
class ProxyLargeAnswersTest {
    private static final ScriptedVendor vendor = new ScriptedVendor();
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("large");
        server.configureIntegration(project.id(), "googledrive", vendor.baseUrl() + "/drive/v3");
        server.importCredential(project.id(), "u1", "googledrive", "ya29.large");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        vendor.close();
    }

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(ints = {1, 5, 40})
    void aJsonAnswerComesThroughWholeAndWrapped(int mebibytes) {
        String data = "x".repeat(mebibytes * 1024 * 1024);
        vendor.behave(ScriptedVendor.answer(200, "application/json", "{\"data\": \"" + data + "\", \"end\": true}"));

        Answer answer = server.user("GET", "/projects/" + project.id() + "/sdk/proxy/googledrive/files/big.json", token, null, Map.of());

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.at("/output/data").asString()).hasSize(data.length());
        assertThat(body.at("/output/end").asBoolean()).isTrue();
    }
}
