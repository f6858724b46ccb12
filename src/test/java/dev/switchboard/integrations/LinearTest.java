package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.LinearFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Linear's actions as ActionKit's clients call them, against a fake that executes every request against Linear's own
 * GraphQL schema: each action's document and variables are accepted by it (a wrong type would be refused as Linear
 * refuses it), ActionKit's inputs arrive as Linear's (statusId as stateId, a priority as an Int, a time as a date),
 * filter formulas become Linear's filter objects, connections page exactly once, and GraphQL errors (answered with
 * HTTP 200) fail the action with Linear's message.
 */
class LinearTest {
    private static final LinearFake linear = new LinearFake(7);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        linear.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("linear");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/linear", Map.of("enabled", true,
                "clientId", "client-linear", "clientSecret", "secret-linear", "urls", Map.of("api", linear.apiUrl(), "graphql", linear.apiUrl() + "/graphql",
                        "authorize", linear.baseUrl() + "/oauth/authorize", "token", linear.baseUrl() + "/oauth/token"))), 200);
        token = server.connect(project, linear, "ada", "linear", "lin_oauth_ada");
    }

    @AfterAll
    static void stop() {
        server.close();
        linear.close();
    }

    @BeforeEach
    void reset() {
        linear.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void anIssueIsCreatedWithActionKitsInputsInLinearsTypesThenReadChangedAndRemoved() {
        String team = linear.teamId("ENG");
        JsonNode created = TestServer.expect(run("LINEAR_CREATE_ISSUE", Map.of("teamId", team, "title", "Checkout button does nothing",
                "description", "Steps: open checkout, press **Pay**.", "priority", "2", "dueDate", "2026-03-31T17:00:00-08:00",
                "additionalFields", Map.of("estimate", 3))), 200);
        assertThat(created.get("success").asBoolean()).isTrue();
        String identifier = created.at("/issue/identifier").asString();
        JsonNode variables = linear.received("POST", "/graphql").get(0).json().get("variables");
        assertThat(variables.at("/input/priority").isInt()).as("a priority is an Int in Linear's schema").isTrue();
        assertThat(variables.at("/input/dueDate").asString()).isEqualTo("2026-03-31");
        assertThat(variables.at("/input/estimate").asInt()).isEqualTo(3);

        String done = TestServer.expect(run("LINEAR_GET_ISSUE_BY_ISSUE_IDENTIFIER", Map.of("externalId", identifier)), 200).at("/team/id").asString();
        assertThat(done).isEqualTo(team);
        String id = created.at("/issue/id").asString();
        String doneState = java.util.UUID.nameUUIDFromBytes("Done".getBytes()).toString();
        JsonNode updated = TestServer.expect(run("LINEAR_UPDATE_ISSUE", Map.of("issueId", id, "statusId", doneState, "title", "Checkout fixed")), 200);
        assertThat(updated.at("/issue/state/name").asString()).isEqualTo("Done");
        assertThat(TestServer.expect(run("LINEAR_GET_ISSUE_BY_ID", Map.of("issueId", id)), 200).get("title").asString()).isEqualTo("Checkout fixed");

        String child = TestServer.expect(run("LINEAR_CREATE_SUB_ISSUE", Map.of("parentId", id, "teamId", team, "title", "Write the test")), 200)
                .at("/issue/parent/identifier").asString();
        assertThat(child).isEqualTo(identifier);
        TestServer.expect(run("LINEAR_ARCHIVE_ISSUE", Map.of("issueId", id)), 200);
        TestServer.expect(run("LINEAR_DELETE_ISSUE", Map.of("issueId", id)), 200);

        // Linear answers a failure inside the operation with HTTP 200 and errors: the action fails with its message.
        JsonNode gone = TestServer.expect(run("LINEAR_GET_ISSUE_BY_ID", Map.of("issueId", id)), 400);
        assertThat(gone.get("message").asString()).contains("invalid input");
        assertThat(gone.toString()).contains("Entity not found: Issue");
    }

    @Test
    void aSearchTakesAFilterFormulaAndPagesEveryMatchOnce() {
        Map<String, Object> formula = Map.of("operator", "AND", "conditions", List.of(
                Map.of("field", "number", "operator", "$numberGreaterThan", "value", 1),
                Map.of("field", "title", "operator", "$stringDoesNotContain", "value", "android")));
        List<String> titles = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("queryTerm", "bug", "issueFilterFormula", formula, "paginationParameters", Map.of("pageSize", 2)));
        for (int calls = 0; calls < 10; calls++) {
            JsonNode page = TestServer.expect(run("LINEAR_SEARCH_ISSUE", parameters), 200);
            page.get("nodes").forEach(issue -> titles.add(issue.get("title").asString()));
            if (!page.has("pageCursor")) break;
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 2));
        }
        assertThat(titles).containsExactly("Safari checkout bug 2", "Safari checkout bug 4", "Safari checkout bug 6");
        JsonNode sent = linear.received("POST", "/graphql").get(0).json().get("variables");
        assertThat(sent.get("filter").toString()).isEqualTo("{\"and\":[{\"number\":{\"gt\":1}},{\"title\":{\"notContainsIgnoreCase\":\"android\"}}]}");
        assertThat(sent.get("first").asInt()).isEqualTo(2);

        JsonNode teams = TestServer.expect(run("LINEAR_SEARCH_TEAMS", Map.of("teamFilterFormula",
                Map.of("field", "name", "operator", "$stringContains", "value", "design"))), 200);
        assertThat(teams.get("nodes")).extracting(t -> t.get("key").asString()).containsExactly("DES");
        JsonNode refused = TestServer.expect(run("LINEAR_SEARCH_TEAMS", Map.of("teamFilterFormula",
                Map.of("field", "name", "operator", "$stringGreaterThan", "value", "M"))), 400);
        assertThat(refused.get("message").asString()).contains("parameters.teamFilterFormula.operator");
    }

    @Test
    void projectsAreCreatedChangedReadAndDeleted() {
        JsonNode created = TestServer.expect(run("LINEAR_CREATE_PROJECT", Map.of("teamIds", linear.teamId("ENG"), "projectName", "Checkout revamp",
                "description", "Faster checkout.")), 200);
        String id = created.at("/project/id").asString();
        assertThat(created.at("/project/teams/nodes/0/key").asString()).isEqualTo("ENG");
        TestServer.expect(run("LINEAR_UPDATE_PROJECT", Map.of("projectId", id, "projectName", "Checkout 2")), 200);
        assertThat(TestServer.expect(run("LINEAR_GET_PROJECT_BY_ID", Map.of("projectId", id)), 200).get("name").asString()).isEqualTo("Checkout 2");
        TestServer.expect(run("LINEAR_DELETE_PROJECT", Map.of("projectId", id)), 200);
        assertThat(linear.projects()).doesNotContainKey(id);
        // A field Linear's project input does not have is refused by Linear's schema, with its name.
        JsonNode stale = TestServer.expect(run("LINEAR_CREATE_PROJECT", Map.of("teamIds", List.of(linear.teamId("ENG")), "projectName", "Old style",
                "additionalFields", Map.of("state", "planned"))), 400);
        assertThat(stale.toString()).contains("state");
    }

    @Test
    void aRateLimitIsWaitedOutAndAnExpiredTokenRefreshed() {
        linear.failNext("graphql", new VendorFake.RateLimited(0));
        TestServer.expect(run("LINEAR_SEARCH_TEAMS", Map.of()), 200);
        assertThat(linear.received("POST", "/graphql")).hasSize(2);

        int refreshes = Refreshes.callsAfterEachExpiry(server, project, linear, "linear", Map.of("api", linear.apiUrl()),
                "lin_oauth_expired", "lin_refresh", "LINEAR_SEARCH_TEAMS", Map.of(), 3);
        assertThat(refreshes).isEqualTo(3);
    }

    @Test
    void aConnectedAccountIsNamedByItsWorkspace() throws Exception {
        String user = dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "connector", c -> c);
        assertThat(dev.switchboard.testing.ConnectFlows.connect(server, project, user, "linear").back()).contains("#connected=linear&credential=");
        JsonNode page = TestServer.expect(dev.switchboard.testing.Http.send("GET", server.url("/projects/" + project.id() + "/connect/integrations"),
                Map.of("Authorization", "Bearer " + user), null), 200);
        assertThat(page.at("/integrations/0/accounts/0/label").asString()).isEqualTo(LinearFake.WORKSPACE);
        // The lookup was one GraphQL query, of the workspace.
        assertThat(linear.received("POST", "/graphql").stream().map(r -> r.json().path("query").asString()))
                .contains("query Workspace { organization { name urlKey } }");
    }
}
