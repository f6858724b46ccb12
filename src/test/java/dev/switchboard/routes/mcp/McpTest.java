package dev.switchboard.routes.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The MCP endpoint (issue 6) with the official MCP Java SDK client, and the stdio bridge, against the Slack fake. */
class McpTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestServer server;
    private static SlackFake slack;
    private static Project project;
    private static String token;
    private static String credentialId;

    @BeforeAll
    static void start() {
        slack = new SlackFake(4, 2).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("mcp");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        server.configureIntegration(project.id(), "asana", "http://127.0.0.1:1/api/1.0");
        credentialId = server.importCredential(project.id(), "agent-user", "slack", "xoxb-mcp");
        slack.acceptToken("xoxb-mcp");
        token = Tokens.sign(project.privateKeyPem(), "agent-user", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    private static McpSyncClient client(String bearer) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.url(""))
                .endpoint("/projects/" + project.id() + "/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JsonMapper.builder().build()))
                .requestBuilder(java.net.http.HttpRequest.newBuilder().header("Authorization", "Bearer " + bearer))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    @Test
    void sdkClientListsTheSameToolsAsGetActionsAndRunsOne() {
        try (McpSyncClient client = client(token)) {
            List<McpSchema.Tool> tools = client.listTools().tools();
            JsonNode actions = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/actions?limit_to_available=false",
                    token, null, Map.of()), 200).get("actions");
            Set<String> expected = new HashSet<>();
            actions.forEach(integration -> integration.forEach(a -> expected.add(a.at("/function/name").asString())));
            assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(expected);
            McpSchema.Tool send = tools.stream().filter(t -> t.name().equals("SLACK_SEND_MESSAGE")).findFirst().orElseThrow();
            JsonNode toolSchema = JSON.valueToTree(send.inputSchema());
            assertThat(toolSchema).isEqualTo(actions.at("/slack/0/function/parameters"));

            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("SLACK_SEND_MESSAGE",
                    Map.of("channel", "#general", "message", "hello from an agent")));

            assertThat(result.isError()).isFalse();
            assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("\"ok\":true");
            JsonNode structured = JSON.valueToTree(result.structuredContent());
            assertThat(structured.at("/message/text").asString()).isEqualTo("hello from an agent");
            String sentText = slack.received("chat.postMessage").getLast().body().get("text").asString();
            assertThat(sentText).isEqualTo("hello from an agent");
            JsonNode runs = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/runs?action=SLACK_SEND_MESSAGE", null), 200);
            assertThat(runs.get("runs").get(0).get("credentialId").asString()).isEqualTo(credentialId);
        }
    }

    @Test
    void failuresAreToolErrorsAndUnconnectedIntegrationsPointToTheConnectPage() {
        try (McpSyncClient client = client(token)) {
            McpSchema.CallToolResult vendorError = client.callTool(new McpSchema.CallToolRequest("SLACK_SEND_MESSAGE",
                    Map.of("channel", "#nowhere", "message", "x")));
            assertThat(vendorError.isError()).isTrue();
            assertThat(((McpSchema.TextContent) vendorError.content().get(0)).text()).contains("channel_not_found");

            McpSchema.CallToolResult invalid = client.callTool(new McpSchema.CallToolRequest("SLACK_SEND_MESSAGE", Map.of("chanel", "#general")));
            assertThat(invalid.isError()).isTrue();
            assertThat(((McpSchema.TextContent) invalid.content().get(0)).text()).contains("did you mean 'channel'");

            McpSchema.CallToolResult notConnected = client.callTool(new McpSchema.CallToolRequest("ASANA_GET_PROJECTS", Map.of()));
            assertThat(notConnected.isError()).isTrue();
            assertThat(((McpSchema.TextContent) notConnected.content().get(0)).text())
                    .contains("Integration not enabled for user.").contains(server.url("/projects/" + project.id() + "/connect"));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"{\"jsonrpc\":", "not json", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}]"})
    void malformedMessagesAreRefusedWithoutAStackTrace(String body) {
        Answer answer = Http.send("POST", server.url("/projects/" + project.id() + "/mcp"), Map.of("Authorization", "Bearer " + token,
                "Content-Type", "application/json", "Accept", "application/json, text/event-stream"), body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).doesNotContain("stackTrace", "className", "lineNumber", "io.modelcontextprotocol");
        assertThat(answer.json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(answer.json().get("jsonrpc").asString()).isEqualTo("2.0");
    }

    @Test
    void withoutAValidTokenTheAnswerIs401BeforeAnyMcpExchange() {
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        for (Map<String, String> headers : List.<Map<String, String>>of(Map.of(), Map.of("Authorization", "Bearer forged.token.here"))) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put("Content-Type", "application/json");
            all.put("Accept", "application/json, text/event-stream");
            Answer answer = Http.send("POST", server.url("/projects/" + project.id() + "/mcp"), all, initialize);
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().get("code").asString()).isEqualTo("unauthorized");
        }
    }

    @Test
    void everyToolSchemaIsAcceptedByTheToolCallingApis() {
        Project everything = server.createProject("mcp-all");
        for (String key : dev.switchboard.integrations.IntegrationCatalog.load(java.nio.file.Path.of("none")).integrationKeys()) {
            server.configureIntegration(everything.id(), key, "http://127.0.0.1:1/api");
        }
        String everyoneToken = Tokens.sign(everything.privateKeyPem(), "u", c -> c);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.url(""))
                .endpoint("/projects/" + everything.id() + "/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JsonMapper.builder().build()))
                .requestBuilder(java.net.http.HttpRequest.newBuilder().header("Authorization", "Bearer " + everyoneToken)).build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
            client.initialize();
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).hasSize(dev.switchboard.integrations.IntegrationCatalog.load(java.nio.file.Path.of("none")).actionNames().size());
            for (McpSchema.Tool tool : tools) {
                assertThat(tool.name()).matches("^[a-zA-Z0-9_-]{1,64}$");
                JsonNode schema = JSON.valueToTree(tool.inputSchema());
                assertThat(schema.get("type").asString()).as(tool.name()).isEqualTo("object");
                assertThat(schema.toString()).as(tool.name()).doesNotContain("$ref").doesNotContain("$schema");
                assertThat(tool.description()).as(tool.name()).isNotBlank();
            }
        }
    }

    @Test
    void stdioBridgeServesTheSameTools() throws Exception {
        Process bridge = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "mcp", "--server", server.url(""), "--project", project.id(), "--token", token)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (Writer in = new OutputStreamWriter(bridge.getOutputStream(), StandardCharsets.UTF_8);
             BufferedReader out = new BufferedReader(new InputStreamReader(bridge.getInputStream(), StandardCharsets.UTF_8))) {
            in.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"stdio-test\",\"version\":\"1\"}}}\n");
            in.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
            in.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n");
            in.write("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"SLACK_SEND_MESSAGE\","
                    + "\"arguments\":{\"channel\":\"#general\",\"message\":\"over stdio\"}}}\n");
            in.flush();
            JsonNode initialized = JSON.readTree(out.readLine());
            JsonNode listed = JSON.readTree(out.readLine());
            JsonNode called = JSON.readTree(out.readLine());
            assertThat(initialized.at("/result/serverInfo/name").asString()).isEqualTo("switchboard");
            assertThat(listed.at("/result/tools")).extracting(t -> t.get("name").asString()).contains("SLACK_SEND_MESSAGE");
            assertThat(called.get("id").asInt()).isEqualTo(3);
            assertThat(called.at("/result/isError").asBoolean()).isFalse();
            assertThat(called.at("/result/structuredContent/message/text").asString()).isEqualTo("over stdio");
        } finally {
            bridge.destroy();
            bridge.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
