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
 * Jira's actions as ActionKit's clients call them, against a fake site: a filter formula arrives as JQL,
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

    private static String api(String path) {
        return "/ex/jira/" + JiraFake.CLOUD_ID + "/rest/api/3" + path;
    }

    @Test
    void createIssueFillsActionKitsDefaultsAndWritesMarkdownAsADocument() {
        JsonNode created = TestServer.expect(run("JIRA_CREATE_ISSUE", Map.of("summary", "The printer stopped working",
                "description", "Steps:\n\n1. Print\n2. **Nothing happens**")), 200);
        JsonNode fields = jira.received("POST", api("/issue")).get(0).json().get("fields");
        // The user's first project, its type Task, the connected user as assignee.
        assertThat(fields.at("/project/key").asString()).isEqualTo("P1");
        assertThat(fields.at("/issuetype/id").asString()).isEqualTo("10001");
        assertThat(fields.at("/assignee/accountId").asString()).isEqualTo(JiraFake.ACCOUNT_ID);
        assertThat(fields.at("/description/type").asString()).isEqualTo("doc");
        assertThat(fields.at("/description/content/1/type").asString()).isEqualTo("orderedList");
        assertThat(created.get("key").asString()).startsWith("P1-");
        assertThat(jira.issue(created.get("key").asString()).at("/fields/summary").asString()).isEqualTo("The printer stopped working");
    }

    @Test
    void createIssueTakesATypeByNameAStatusByTransitionAndAdditionalFieldsAsJsonText() {
        JsonNode created = TestServer.expect(run("JIRA_CREATE_ISSUE", Map.of("summary", "Paper jam", "project", "TEST", "issueType", "bug",
                "jiraIssueStatus", "in progress", "assignee", "acc-grace",
                "additionalFields", "{\"customfield_10050\": {\"value\": \"S2\"}, \"labels\": [\"triage\"], \"summary\": \"not this\"}")), 200);
        String key = created.get("key").asString();
        JsonNode issue = jira.issue(key).get("fields");
        assertThat(issue.at("/issuetype/id").asString()).isEqualTo("10002");
        assertThat(issue.at("/summary").asString()).isEqualTo("Paper jam");          // the parameter wins over additionalFields
        assertThat(issue.at("/customfield_10050/value").asString()).isEqualTo("S2");
        assertThat(issue.at("/assignee/accountId").asString()).isEqualTo("acc-grace");
        assertThat(issue.at("/status/name").asString()).isEqualTo("In Progress");
        assertThat(created.at("/transition/status").asString()).isEqualTo("In Progress");
        assertThat(jira.received("GET", api("/myself"))).isEmpty();

        // A status the workflow has but cannot reach from To Do in one step: the issue exists, and the answer says so.
        JsonNode notReached = TestServer.expect(run("JIRA_CREATE_ISSUE", Map.of("summary", "Done already", "project", "TEST", "jiraIssueStatus", "Done")), 200);
        assertThat(jira.issue(notReached.get("key").asString()).at("/fields/status/name").asString()).isEqualTo("To Do");
        assertThat(notReached.get("transitionError").asString()).contains("cannot move from 'To Do' to 'Done'").contains("In Progress");
    }

    @Test
    void createIssueRefusesAnUnknownTypeOrStatusBeforeWritingAnything() {
        JsonNode type = TestServer.expect(run("JIRA_CREATE_ISSUE", Map.of("summary", "x", "project", "TEST", "issueType", "Epic")), 400);
        assertThat(type.get("message").asString()).contains("parameters.issueType").contains("'Epic'").contains("Task, Bug, Sub-task");
        JsonNode status = TestServer.expect(run("JIRA_CREATE_ISSUE", Map.of("summary", "x", "project", "TEST", "jiraIssueStatus", "Closed")), 400);
        assertThat(status.get("message").asString()).contains("parameters.jiraIssueStatus").contains("To Do, In Progress, Done");
        JsonNode fields = TestServer.expect(run("JIRA_CREATE_ISSUE", Map.of("summary", "x", "project", "TEST", "additionalFields", "{labels: [")), 400);
        assertThat(fields.get("message").asString()).contains("parameters.additionalFields");
        // Jira's own refusal (a Bug needs its Severity) reaches the caller.
        JsonNode refused = TestServer.expect(run("JIRA_CREATE_ISSUE", Map.of("summary", "x", "project", "TEST", "issueType", "Bug")), 400);
        assertThat(refused.get("message").asString()).contains("Severity is required");
        assertThat(jira.received("POST", api("/issue"))).hasSize(1);
    }

    @Test
    void updateIssueMovesTheStatusByTransitionAndChecksItBeforeWriting() {
        JsonNode unreachable = TestServer.expect(run("JIRA_UPDATE_ISSUE", Map.of("issueKey", "TEST-1", "summary", "New", "jiraIssueStatus", "Done")), 400);
        assertThat(unreachable.get("message").asString()).contains("cannot move from 'To Do' to 'Done'").contains("it can reach: In Progress");
        assertThat(jira.received("PUT", api("/issue/TEST-1"))).isEmpty();
        assertThat(jira.issue("TEST-1").at("/fields/summary").asString()).isEqualTo("Issue 1");

        Map<String, Object> parameters = new HashMap<>(Map.of("issueKey", "TEST-1", "summary", "Renamed", "jiraIssueStatus", "In Progress",
                "issueType", "Bug", "description", "Now *urgent*"));
        parameters.put("assignee", null);
        JsonNode updated = TestServer.expect(run("JIRA_UPDATE_ISSUE", parameters), 200);
        JsonNode sent = jira.received("PUT", api("/issue/TEST-1")).get(0).json().get("fields");
        assertThat(sent.get("assignee").isNull()).isTrue();                        // null unassigns
        assertThat(sent.at("/issuetype/id").asString()).isEqualTo("10002");
        assertThat(sent.has("status")).isFalse();                                  // a status is never a field
        assertThat(jira.issue("TEST-1").at("/fields/summary").asString()).isEqualTo("Renamed");
        assertThat(jira.issue("TEST-1").at("/fields/status/name").asString()).isEqualTo("In Progress");
        assertThat(updated.at("/transition/status").asString()).isEqualTo("In Progress");

        // Already there: nothing to transition.
        TestServer.expect(run("JIRA_TRANSITION_ISSUE", Map.of("issueKey", "TEST-1", "status", "In Progress")), 200);
        TestServer.expect(run("JIRA_TRANSITION_ISSUE", Map.of("issueKey", "TEST-1", "status", "done")), 200);
        assertThat(jira.issue("TEST-1").at("/fields/status/name").asString()).isEqualTo("Done");
        assertThat(jira.received("POST", api("/issue/TEST-1/transitions"))).hasSize(2);
        JsonNode neither = TestServer.expect(run("JIRA_TRANSITION_ISSUE", Map.of("issueKey", "TEST-1")), 400);
        assertThat(neither.get("message").asString()).contains("status").contains("transitionId");
        TestServer.expect(run("JIRA_UPDATE_ISSUE", Map.of("issueKey", "TEST-3")), 400);
    }

    @Test
    void theFieldsOfAProjectsIssueTypeAreParametersWithJirasShapes() {
        JsonNode described = TestServer.expect(run("JIRA_DESCRIBE_ACTION_SCHEMA", Map.of("projectKey", "TEST", "issueTypeId", "10002", "operation", "CREATE_ISSUE")), 200);
        assertThat(described.get("action").asString()).isEqualTo("JIRA_CREATE_ISSUE_ANY");
        assertThat(described.get("projectKey").asString()).isEqualTo("TEST");
        JsonNode schema = described.get("schema");
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(r -> required.add(r.asString()));
        // Defaulted (reporter) and not-offered (project and issue type are own parameters; a team field's type) are not required.
        assertThat(required).containsExactlyInAnyOrder("projectKey", "issueTypeId", "summary", "customfield_10050");
        assertThat(schema.at("/properties/customfield_10050/enum").toString()).isEqualTo("[\"S1\",\"S2\",\"S3\"]");
        assertThat(schema.at("/properties/customfield_10060/type").toString()).contains("object");
        assertThat(schema.path("properties").has("customfield_10070")).isFalse();
        assertThat(schema.path("properties").has("project")).isFalse();

        JsonNode bad = TestServer.expect(run("JIRA_CREATE_ISSUE_ANY", Map.of("projectKey", "TEST", "issueTypeId", "10002", "summary", "x", "customfield_10050", "S9")), 400);
        assertThat(bad.get("message").asString()).contains("customfield_10050");
        assertThat(jira.received("POST", api("/issue"))).isEmpty();

        TestServer.expect(run("JIRA_CREATE_ISSUE_ANY", Map.of("projectKey", "TEST", "issueTypeId", "10002", "summary", "Jam",
                "customfield_10050", "S1", "customfield_10060", "1. **Print**", "priority", "High", "labels", List.of("a"),
                "assignee", JiraFake.ACCOUNT_ID, "duedate", "2026-12-24")), 200);
        JsonNode fields = jira.received("POST", api("/issue")).get(0).json().get("fields");
        assertThat(fields.at("/project/key").asString()).isEqualTo("TEST");
        assertThat(fields.at("/issuetype/id").asString()).isEqualTo("10002");
        assertThat(fields.at("/customfield_10050/value").asString()).isEqualTo("S1");
        assertThat(fields.at("/customfield_10060/type").asString()).isEqualTo("doc");
        assertThat(fields.at("/priority/name").asString()).isEqualTo("High");
        assertThat(fields.at("/assignee/accountId").asString()).isEqualTo(JiraFake.ACCOUNT_ID);
        assertThat(fields.get("labels").toString()).isEqualTo("[\"a\"]");

        TestServer.expect(run("JIRA_UPDATE_ISSUE_ANY", Map.of("issueKey", "TEST-2", "projectKey", "TEST", "issueTypeId", "10002", "customfield_10050", "S3")), 200);
        JsonNode put = jira.received("PUT", api("/issue/TEST-2")).get(0).json();
        assertThat(put.toString()).isEqualTo("{\"fields\":{\"customfield_10050\":{\"value\":\"S3\"}}}");   // the type's inputs are not sent
        // One read of the type's fields for the describe, the create and the update.
        assertThat(jira.received("GET", api("/issue/createmeta/TEST/issuetypes/10002"))).hasSize(1);
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

    @Test
    void aFileIsAttachedAsJiraTakesIt() {
        JsonNode attached = TestServer.expect(run("JIRA_ADD_ATTACHMENT", Map.of("issueKey", "TEST-1", "file", Map.of("dataType", "FILE",
                "name", "trace.txt", "mimeType", "text/plain", "data", "737461636b207472616365"))), 200);
        assertThat(attached.toString()).contains("trace.txt");
        assertThat(new String(jira.attachments().get("TEST-1").get(0), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("stack trace");
        assertThat(jira.received("POST", api("/issue/TEST-1/attachments")).get(0).headers().get("X-Atlassian-Token")).isEqualTo("no-check");
    }
}
