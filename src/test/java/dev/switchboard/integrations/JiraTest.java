package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.JiraFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
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
 * Jira's actions built so far, as ActionKit's clients call them, against a fake site: a filter formula arrives as JQL,
 * searches page by Jira's token and projects by offset, each record once; comments go as Atlassian documents from
 * Markdown; Jira's errors, 429 and rotating refresh tokens are handled.
 */
class JiraTest {
    private static final JiraFake jira = new JiraFake(7, 5);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        jira.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("jira");
        server.configureIntegration(project.id(), "jira", jira.apiUrl());
        server.importCredential(project.id(), "ada", Map.of("integration", "jira", "accessToken", "jira-ada", "providerData", Map.of("cloudId", JiraFake.CLOUD_ID)));
        jira.accept("jira-ada");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        jira.close();
    }

    @BeforeEach
    void reset() {
        jira.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void aFilterFormulaIsJqlAndSearchesAndProjectsPageOnceEach() {
        JsonNode filtered = TestServer.expect(run("JIRA_FILTER_ISSUES", Map.of("jqlQuery", Map.of("operator", "AND", "conditions", List.of(
                Map.of("field", "project", "operator", "$stringExactlyMatches", "value", "TEST"),
                Map.of("field", "status", "operator", "$stringExactlyMatches", "value", "Done"))), "limit", "2")), 200);
        JsonNode sent = jira.received("POST", "/ex/jira/" + JiraFake.CLOUD_ID + "/rest/api/3/search/jql").get(0).json();
        assertThat(sent.get("jql").asString()).isEqualTo("(project = \"TEST\" AND status = \"Done\")");
        assertThat(sent.get("maxResults").isInt()).isTrue();
        assertThat(filtered.get("issues")).hasSize(2).allMatch(i -> i.at("/fields/status/name").asString().equals("Done"));

        List<String> keys = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("jqlQuery", "project = TEST ORDER BY created DESC", "paginationParameters", Map.of("pageSize", 3)));
        for (int calls = 0; calls < 10; calls++) {
            JsonNode page = TestServer.expect(run("JIRA_SEARCH_BY_JQL", parameters), 200);
            page.get("issues").forEach(i -> keys.add(i.get("key").asString()));
            if (!page.has("pageCursor")) break;
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 3));
        }
        assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(jira.issueKeys());

        List<String> projects = new ArrayList<>();
        Map<String, Object> paging = new HashMap<>(Map.of("paginationParameters", Map.of("pageSize", 2)));
        for (int calls = 0; calls < 10; calls++) {
            JsonNode page = TestServer.expect(run("JIRA_GET_PROJECTS", paging), 200);
            page.get("values").forEach(p -> projects.add(p.get("key").asString()));
            if (!page.has("nextPaginationParameters")) break;
            paging.put("paginationParameters", Map.of("offset", page.at("/nextPaginationParameters/offset").asInt(), "pageSize", 2));
        }
        assertThat(projects).containsExactly("P1", "P2", "P3", "P4", "P5");
        assertThat(jira.received("GET", "/ex/jira/" + JiraFake.CLOUD_ID + "/rest/api/3/project/search")).hasSize(3);

        // Jira's own refusal reaches the caller with its message.
        JsonNode unbounded = TestServer.expect(run("JIRA_SEARCH_BY_JQL", Map.of("jqlQuery", "ORDER BY created")), 400);
        assertThat(unbounded.toString()).contains("Unbounded JQL");
    }

    @Test
    void aCommentIsAnAtlassianDocumentAndAMissingIssueIsJirasError() {
        TestServer.expect(run("JIRA_ADD_COMMENT", Map.of("issueKey", "TEST-1", "comment", "Fixed in **1.2**, see [notes](https://example.com/notes).")), 200);
        JsonNode doc = jira.comments().get("TEST-1").get(0);
        assertThat(doc.get("type").asString()).isEqualTo("doc");
        assertThat(doc.at("/content/0/content/1/marks/0/type").asString()).isEqualTo("strong");
        assertThat(doc.at("/content/0/content/3/marks/0/attrs/href").asString()).isEqualTo("https://example.com/notes");

        JsonNode missing = TestServer.expect(run("JIRA_GET_ISSUE_BY_KEY", Map.of("issueKey", "TEST-999")), 404);
        assertThat(missing.get("message").asString()).contains("Issue does not exist");
        TestServer.expect(run("JIRA_DELETE_ISSUE", Map.of("issueKey", "TEST-7")), 200);
        TestServer.expect(run("JIRA_GET_ISSUE_BY_KEY", Map.of("issueKey", "TEST-7")), 404);
    }

    @Test
    void aRateLimitIsWaitedOutAndRotatingRefreshTokensAreKept() {
        jira.failNext("getIssue", new VendorFake.RateLimited(0));
        TestServer.expect(run("JIRA_GET_ISSUE_BY_KEY", Map.of("issueKey", "TEST-1")), 200);
        assertThat(jira.received("GET", "/ex/jira/" + JiraFake.CLOUD_ID + "/rest/api/3/issue/TEST-1")).hasSize(2);

        jira.rotateRefreshTokens();
        int refreshes = Refreshes.callsAfterEachExpiry(server, project, jira, "jira", Map.of("api", jira.apiUrl()),
                "jira-expired", "jira-refresh", "JIRA_GET_ISSUE_BY_KEY", Map.of("issueKey", "TEST-2"), 3);
        assertThat(refreshes).isEqualTo(3);
    }
}
