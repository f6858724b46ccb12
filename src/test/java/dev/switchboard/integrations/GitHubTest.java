package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.GitHubFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * GitHub's actions as ActionKit's clients call them (GitHub's own snake_case parameters, booleans and numbers as
 * ActionKit's form-based clients send them, as text), against a fake written from GitHub's REST reference: issues
 * searched with ActionKit's filter on GitHub's four issue filters and paged exactly once by the Link header, releases,
 * files in base64 with their sha, GitHub's errors and its 403 rate limit, and the connect flow.
 */
class GitHubTest {
    private static final String OWNER = GitHubFake.OWNER;
    private static final String REPO = GitHubFake.REPO;
    private static final GitHubFake github = new GitHubFake(11);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        github.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("github");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/github", Map.of("enabled", true,
                "urls", Map.of("api", github.baseUrl(), "account", github.baseUrl() + "/user"))), 200);
        server.importCredential(project.id(), "ada", "github", "gho_16C7e42F292c6912E7710c838347Ae178B4a");
        github.accept("gho_16C7e42F292c6912E7710c838347Ae178B4a");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        github.close();
    }

    @BeforeEach
    void reset() {
        github.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void issuesAreSearchedByActionKitsFilterAndPagedExactlyOnce() {
        Map<String, Object> filter = Map.of("operator", "OR", "conditions", List.of(Map.of("operator", "AND", "conditions", List.of(
                Map.of("field", "creator", "operator", "$stringExactlyMatches", "value", "octocat"),
                Map.of("field", "labels", "operator", "$stringExactlyMatches", "value", "enhancement")))));
        List<Integer> numbers = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("owner", OWNER, "repo", REPO, "filter", filter,
                "paginationParameters", Map.of("pageSize", 2)));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("GITHUB_SEARCH_ISSUE", parameters), 200);
            pages++;
            page.get("data").forEach(i -> numbers.add(i.get("number").asInt()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 2));
        }
        assertThat(numbers).as("newest first, GitHub's default order").containsExactly(11, 9, 7, 5, 3, 1);
        assertThat(pages).isEqualTo(3);
        assertThat(github.received("GET", "/repos/octocat/hello-world/issues").getFirst().query())
                .containsEntry("creator", "octocat").containsEntry("labels", "enhancement").containsEntry("per_page", "2");

        JsonNode or = TestServer.expect(run("GITHUB_SEARCH_ISSUE", Map.of("owner", OWNER, "repo", REPO, "filter", Map.of("operator", "OR",
                "conditions", List.of(Map.of("field", "creator", "operator", "$stringExactlyMatches", "value", "a"),
                        Map.of("field", "creator", "operator", "$stringExactlyMatches", "value", "b"))))), 400);
        assertThat(or.get("message").asString()).contains("parameters.filter");
        JsonNode field = TestServer.expect(run("GITHUB_SEARCH_ISSUE", Map.of("owner", OWNER, "repo", REPO, "filter",
                Map.of("field", "milestone", "operator", "$stringExactlyMatches", "value", "1"))), 400);
        assertThat(field.get("message").asString()).contains("parameters.filter.field").contains("assignee, creator, mentioned, labels");
    }

    @Test
    void anIssueIsCreatedUpdatedLockedAndCommentedAsActionKitSendsIt() {
        JsonNode created = TestServer.expect(run("GITHUB_CREATE_ISSUE", Map.of("owner", OWNER, "repo", REPO, "title", "Login fails with SSO",
                "body", "Steps ...", "assignees", "[\"octocat\"]")), 200);
        int number = created.get("number").asInt();
        assertThat(github.received("POST", "/repos/octocat/hello-world/issues").getLast().json().get("assignees").toString())
                .as("JSON text from a form-based client becomes the array GitHub takes").isEqualTo("[\"octocat\"]");

        TestServer.expect(run("GITHUB_UPDATE_ISSUE", Map.of("owner", OWNER, "repo", REPO, "issue_number", String.valueOf(number),
                "title", "Login fails with SSO (Okta)", "state", "closed")), 200);
        TestServer.expect(run("GITHUB_LOCK_ISSUE", Map.of("owner", OWNER, "repo", REPO, "issue_number", number, "lock_reason", "resolved")), 200);
        JsonNode read = TestServer.expect(run("GITHUB_GET_ISSUE_BY_NUMBER", Map.of("owner", OWNER, "repo", REPO, "issue_number", number)), 200);
        assertThat(read.get("state").asString()).isEqualTo("closed");
        assertThat(read.get("locked").asBoolean()).isTrue();
        assertThat(read.get("active_lock_reason").asString()).isEqualTo("resolved");

        JsonNode missing = TestServer.expect(run("GITHUB_GET_ISSUE_BY_NUMBER", Map.of("owner", OWNER, "repo", REPO, "issue_number", 999)), 404);
        assertThat(missing.get("message").asString()).contains("Not Found");
        JsonNode traversal = TestServer.expect(run("GITHUB_GET_ISSUE_BY_NUMBER", Map.of("owner", "../admin", "repo", REPO, "issue_number", 1)), 400);
        assertThat(traversal.get("message").asString()).contains("parameters.owner");
    }

    @Test
    void aReleaseIsMadeFoundByTagChangedAndDeleted() {
        JsonNode created = TestServer.expect(run("GITHUB_CREATE_RELEASE", Map.of("owner", OWNER, "repo", REPO, "tag_name", "v1.0.0",
                "target_commitish", "main", "draft", "true", "generate_release_notes", "false")), 200);
        JsonNode sent = github.received("POST", "/repos/octocat/hello-world/releases").getLast().json();
        assertThat(sent.get("draft").isBoolean()).as("ActionKit's \"true\" sent as GitHub's boolean").isTrue();
        long id = created.get("id").asLong();

        JsonNode byTag = TestServer.expect(run("GITHUB_GET_RELEASE_BY_TAG_NAME", Map.of("owner", OWNER, "repo", REPO, "tag_name", "v1.0.0")), 200);
        assertThat(byTag.get("id").asLong()).isEqualTo(id);
        TestServer.expect(run("GITHUB_UPDATE_RELEASE", Map.of("owner", OWNER, "repo", REPO, "id", id, "draft", false, "body", "First release")), 200);
        JsonNode byId = TestServer.expect(run("GITHUB_GET_RELEASE_BY_ID", Map.of("owner", OWNER, "repo", REPO, "id", String.valueOf(id))), 200);
        assertThat(byId.get("draft").asBoolean()).isFalse();
        TestServer.expect(run("GITHUB_DELETE_RELEASE", Map.of("owner", OWNER, "repo", REPO, "id", id)), 200);
        TestServer.expect(run("GITHUB_GET_RELEASE_BY_ID", Map.of("owner", OWNER, "repo", REPO, "id", id)), 404);
    }

    @Test
    void aFileIsWrittenInBase64AndReplacedOnlyWithItsSha() {
        JsonNode created = TestServer.expect(run("GITHUB_CREATE_OR_UPDATE_FILE", Map.of("owner", OWNER, "repo", REPO, "path", "docs/CHANGELOG.md",
                "message", "Start the changelog", "content", "# Changelog ✓\n")), 200);
        assertThat(github.received().getLast().path()).as("the path's slashes stay").isEqualTo("/repos/octocat/hello-world/contents/docs/CHANGELOG.md");
        String sha = created.at("/content/sha").asString();
        JsonNode read = TestServer.expect(run("GITHUB_GET_FILE_CONTENTS", Map.of("owner", OWNER, "repo", REPO, "path", "docs/CHANGELOG.md")), 200);
        assertThat(new String(Base64.getMimeDecoder().decode(read.get("content").asString()), StandardCharsets.UTF_8)).isEqualTo("# Changelog ✓\n");

        JsonNode conflict = TestServer.expect(run("GITHUB_CREATE_OR_UPDATE_FILE", Map.of("owner", OWNER, "repo", REPO, "path", "docs/CHANGELOG.md",
                "message", "Overwrite", "content", "lost")), 409);
        assertThat(conflict.at("/meta/isIntegrationError").asBoolean()).isTrue();
        TestServer.expect(run("GITHUB_CREATE_OR_UPDATE_FILE", Map.of("owner", OWNER, "repo", REPO, "path", "docs/CHANGELOG.md",
                "message", "Add 1.0", "content", "# Changelog ✓\n## 1.0\n", "sha", sha)), 200);
        TestServer.expect(run("GITHUB_CREATE_BRANCH", Map.of("owner", OWNER, "repo", REPO, "branch", "fix-sso",
                "sha", "6dcb09b5b57875f334f61aebed695e2e4193db5e")), 200);
        assertThat(github.refs()).containsKey("refs/heads/fix-sso");
    }

    @Test
    void githubsRateLimitIsWaitedOut() {
        github.failNext("getIssue", new VendorFake.RateLimited(0));
        TestServer.expect(run("GITHUB_GET_ISSUE_BY_NUMBER", Map.of("owner", OWNER, "repo", REPO, "issue_number", 1)), 200);
        assertThat(github.received("GET", "/repos/octocat/hello-world/issues/1")).hasSize(2);
    }

    @Test
    void connectingNamesTheAccountByItsLogin() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/github", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "scopes", List.of("repo"),
                "urls", Map.of("api", github.baseUrl(), "account", github.baseUrl() + "/user", "token", github.baseUrl() + "/oauth/token",
                        "authorize", github.baseUrl() + "/oauth/authorize"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);

        dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "github");

        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/github/allCredentials/0/label").asString()).isEqualTo(GitHubFake.LOGIN);
        TestServer.expect(server.runAction(project, newcomer, "GITHUB_GET_ISSUE_BY_NUMBER", Map.of("owner", OWNER, "repo", REPO, "issue_number", 2)), 200);
    }

    @Test
    void anExpiringUserTokenIsRefreshed() {
        // GitHub Apps' user tokens expire after eight hours and come with a refresh token (OAuth apps' do not expire).
        int refreshes = dev.switchboard.testing.Refreshes.callsAfterEachExpiry(server, project, github, "github",
                Map.of("api", github.baseUrl(), "account", github.baseUrl() + "/user"), "ghu_expired", "ghr_refresh",
                "GITHUB_GET_ISSUE_BY_NUMBER", Map.of("owner", OWNER, "repo", REPO, "issue_number", 1), 3);
        assertThat(refreshes).isEqualTo(3);
    }
}
