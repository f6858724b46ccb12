package dev.switchboard.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /actions} and {@code /tools}: formats, filters and permissions (SPEC 3.1). */
class ActionListingTest {
    private static TestServer server;
    private static SlackFake slack;
    private static Project project;

    @BeforeAll
    static void start() {
        slack = new SlackFake(3, 3).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("listing");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        server.importCredential(project.id(), "connected", "slack", "xoxb-listing");
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    private static JsonNode list(String user, String query, List<String> permissions) {
        String token = Tokens.sign(project.privateKeyPem(), user,
                c -> permissions == null ? c : c.claim("urn:useparagon:connect:permissions", permissions));
        return TestServer.expect(server.user("GET", "/projects/" + project.id() + query, token, null, Map.of()), 200);
    }

    private static List<String> names(JsonNode actions) {
        List<String> names = new ArrayList<>();
        actions.forEach(a -> names.add(a.at("/function/name").asString()));
        return names;
    }

    @Test
    void connectedUserSeesSlackActionsAsFunctionSchemas() {
        JsonNode body = list("connected", "/actions", null);

        assertThat(body.get("errors")).isEmpty();
        JsonNode slackActions = body.get("actions").get("slack");
        assertThat(names(slackActions)).containsExactlyElementsOf(dev.switchboard.integrations.IntegrationCatalog
                .load(java.nio.file.Path.of("no-operator-definitions")).actionsOf("slack").stream().map(a -> a.name()).toList());
        assertThat(names(slackActions)).startsWith("SLACK_SEND_MESSAGE", "SLACK_LIST_CHANNELS", "SLACK_LIST_MEMBERS");
        JsonNode send = slackActions.get(0);
        assertThat(send.get("type").asString()).isEqualTo("function");
        JsonNode parameters = send.at("/function/parameters");
        assertThat(parameters.get("type").asString()).isEqualTo("object");
        assertThat(parameters.get("additionalProperties").asBoolean()).isFalse();
        assertThat(parameters.has("$schema")).as("ActionKit clients compile schemas as draft-07").isFalse();
        assertThat(parameters.get("required")).extracting(JsonNode::asString).containsExactly("channel", "message");
        JsonNode pagination = slackActions.get(1).at("/function/parameters/properties/paginationParameters/properties");
        assertThat(pagination.has("pageCursor")).isTrue();
    }

    @Test
    void limitToAvailableHidesIntegrationsTheUserHasNotConnected() {
        assertThat(list("stranger", "/actions", null).get("actions").size()).isZero();
        assertThat(list("stranger", "/actions?limit_to_available=false", null).get("actions").has("slack")).isTrue();
    }

    @Test
    void toolsAliasAnswersUnderTheToolsKey() {
        JsonNode body = list("connected", "/tools", null);
        assertThat(body.has("tools")).isTrue();
        assertThat(body.has("actions")).isFalse();
        assertThat(names(body.get("tools").get("slack"))).contains("SLACK_SEND_MESSAGE");
    }

    @Test
    void paragonFormatDescribesFormInputs() {
        JsonNode send = list("connected", "/actions?format=paragon", null).get("actions").get("slack").get(0);

        assertThat(send.get("name").asString()).isEqualTo("SLACK_SEND_MESSAGE");
        assertThat(send.get("title").asString()).isEqualTo("Send message");
        JsonNode channel = send.get("inputs").get(0);
        assertThat(channel.get("id").asString()).isEqualTo("channel");
        assertThat(channel.get("type").asString()).isEqualTo("TEXT");
        assertThat(channel.get("required").asBoolean()).isTrue();
        assertThat(channel.get("subtitle").asString()).contains("Channel ID");
        JsonNode message = send.get("inputs").get(1);
        assertThat(message.get("type").asString()).isEqualTo("TEXTAREA");
        JsonNode replyBroadcast = java.util.stream.StreamSupport.stream(send.get("inputs").spliterator(), false)
                .filter(i -> i.get("id").asString().equals("replyBroadcast")).findFirst().orElseThrow();
        assertThat(replyBroadcast.get("type").asString()).isEqualTo("BOOLEAN_INPUT");
        assertThat(replyBroadcast.get("required").asBoolean()).isFalse();
    }

    @Test
    void integrationAndCategoryFiltersApply() {
        assertThat(list("connected", "/actions?integrations=asana", null).get("actions").size()).isZero();
        assertThat(list("connected", "/actions?integrations=asana,slack", null).get("actions").has("slack")).isTrue();
        assertThat(list("connected", "/actions?categories=crm", null).get("actions").size()).isZero();
        assertThat(list("connected", "/actions?categories=communication", null).get("actions").has("slack")).isTrue();
    }

    @Test
    void tokenPermissionsLimitWhichIntegrationsAreListedAndRun() {
        assertThat(list("connected", "/actions", List.of("actionkit", "integration:asana")).get("actions").size()).isZero();
        assertThat(list("connected", "/actions", List.of("actionkit", "integration:slack")).get("actions").has("slack")).isTrue();
        assertThat(list("connected", "/actions", List.of("actionkit", "integration:*")).get("actions").has("slack")).isTrue();

        String limited = Tokens.sign(project.privateKeyPem(), "connected",
                c -> c.claim("urn:useparagon:connect:permissions", List.of("actionkit", "integration:asana")));
        Answer run = server.runAction(project, limited, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x"));
        assertThat(run.status()).isEqualTo(403);

        String otherCredentialOnly = Tokens.sign(project.privateKeyPem(), "connected",
                c -> c.claim("urn:useparagon:connect:permissions", List.of("actionkit", "credential:some-other-id")));
        Answer noAccount = server.runAction(project, otherCredentialOnly, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x"));
        assertThat(noAccount.json().get("code").asString()).isEqualTo("integration_not_connected");
    }

    @Test
    void badQueryValuesAreNamed() {
        String token = Tokens.sign(project.privateKeyPem(), "connected", c -> c);
        Answer format = server.user("GET", "/projects/" + project.id() + "/actions?format=xml", token, null, Map.of());
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.json().get("message").asString()).contains("format");
        Answer limit = server.user("GET", "/projects/" + project.id() + "/actions?limit_to_available=maybe", token, null, Map.of());
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("message").asString()).contains("limit_to_available");
    }
}
