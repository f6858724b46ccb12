package dev.switchboard.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The input leniency ActionKit's clients rely on, with the inputs they send: numbers, booleans and JSON as text
 * (Paragon's form-based testers), null for a parameter not given, and (when the project asks) unknown parameters
 * dropped and named instead of refused.
 */
class InputLeniencyTest {
    private static TestServer server;
    private static SlackFake slack;
    private Project project;
    private String token;

    @BeforeAll
    static void start() {
        slack = new SlackFake(5, 5).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    @BeforeEach
    void connect() {
        slack.reset();
        project = server.createProject("lenient");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        String user = "user-" + UUID.randomUUID();
        String access = "xoxb-" + UUID.randomUUID();
        slack.acceptToken(access);
        server.importCredential(project.id(), user, "slack", access);
        token = Tokens.sign(project.privateKeyPem(), user, c -> c);
    }

    private Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void numbersAndBooleansGivenAsTextAreConverted() {
        Answer answer = run("SLACK_LIST_CHANNELS", Map.of("limit", "2", "excludeArchived", "true"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(slack.received("conversations.list").get(0).query()).contains("limit=2").contains("exclude_archived=true");
    }

    @Test
    void jsonGivenAsTextIsConvertedForAnObjectParameter() {
        Answer answer = run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "hi",
                "additionalFields", "{\"unfurl_links\": false}"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(slack.received("chat.postMessage").get(0).body().path("unfurl_links").isBoolean()).isTrue();
    }

    @Test
    void textThatDoesNotReadAsTheTypeIsStillRefusedNamingTheParameter() {
        Answer answer = run("SLACK_LIST_CHANNELS", Map.of("limit", "five", "excludeArchived", "yes"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("message").asString()).contains("parameters.limit").contains("parameters.excludeArchived");
        assertThat(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "hi", "additionalFields", "[1, 2]")).status())
                .as("a JSON array is not an object").isEqualTo(400);
        assertThat(slack.received()).isEmpty();
    }

    @Test
    void nullForAnOptionalParameterMeansNotGivenAndForARequiredOneIsRefused() {
        Map<String, Object> parameters = new HashMap<>(Map.of("types", "public_channel"));
        parameters.put("limit", null);
        Answer answer = run("SLACK_LIST_CHANNELS", parameters);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(slack.received("conversations.list").get(0).query()).doesNotContain("limit=");

        Map<String, Object> withoutChannel = new HashMap<>(Map.of("message", "hi"));
        withoutChannel.put("channel", null);
        Answer refused = run("SLACK_SEND_MESSAGE", withoutChannel);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asString()).contains("parameters.channel");
    }

    @Test
    void unknownParametersAreRefusedByDefaultAndDroppedAndNamedWhenTheProjectAsks() {
        Map<String, Object> parameters = Map.of("channel", "#general", "message", "hi", "botname", "Deploy bot", "colour", "red");
        Answer refused = run("SLACK_SEND_MESSAGE", parameters);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asString()).contains("parameters.botname: unknown parameter; did you mean 'botName'?");

        JsonNode updated = TestServer.expect(server.admin("PATCH", "/admin/projects/" + project.id(), Map.of("unknownParameters", "ignore")), 200);
        assertThat(updated.get("unknownParameters").asString()).isEqualTo("ignore");
        Answer dropped = run("SLACK_SEND_MESSAGE", parameters);

        assertThat(dropped.status()).as(dropped.text()).isEqualTo(200);
        assertThat(dropped.header("X-Switchboard-Ignored-Parameters")).isIn("parameters.botname, parameters.colour", "parameters.colour, parameters.botname");
        JsonNode sent = slack.received("chat.postMessage").get(0).body();
        assertThat(sent.has("botname") || sent.has("colour") || sent.has("username")).isFalse();
        JsonNode runs = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/runs?limit=1", null), 200);
        assertThat(runs.at("/runs/0/ignoredParameters").asString()).contains("parameters.botname").contains("parameters.colour");

        assertThat(server.admin("PATCH", "/admin/projects/" + project.id(), Map.of("unknownParameters", "sometimes")).status()).isEqualTo(400);
        assertThat(server.admin("PATCH", "/admin/projects/no-such-project", Map.of("unknownParameters", "ignore")).status()).isEqualTo(404);
    }

    @Test
    void anUnknownActionSuggestsOnlyANameOfTheSameIntegrationAndAFormerNameItsNewOne() {
        Answer unknown = run("PIPEDRIVE_CREATE_DEAL", Map.of());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("message").asString()).isEqualTo("Unknown action 'PIPEDRIVE_CREATE_DEAL'.");

        Answer typo = run("SLACK_SEND_MESAGE", Map.of());
        assertThat(typo.json().get("message").asString()).contains("did you mean 'SLACK_SEND_MESSAGE'?");

        Answer former = run("SLACK_LIST_USERS", Map.of());
        assertThat(former.status()).isEqualTo(400);
        assertThat(former.json().get("code").asString()).isEqualTo("unknown_action");
        assertThat(former.json().get("message").asString()).contains("it is now 'SLACK_LIST_MEMBERS'");
    }
}
