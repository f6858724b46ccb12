package dev.switchboard.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Slack actions end to end: a started server on each store, over HTTP, against the Slack fake. */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabases.Kind.class)
class SlackActionsTest {
    private static TestServer server;
    private static SlackFake slack;

    @Parameter
    TestDatabases.Kind store;

    private Project project;
    private String userId;
    private String accessToken;
    private String credentialId;
    private String token;

    @BeforeParameterizedClassInvocation
    static void startServers(TestDatabases.Kind kind) {
        slack = new SlackFake(23, 9).start(0);
        // A short attempt timeout and retry budget keep the timeout and rate-limit tests quick.
        server = TestServer.start(kind, new VendorTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    @AfterParameterizedClassInvocation
    static void stopServers() {
        server.close();
        slack.close();
    }

    @BeforeEach
    void connectUser() {
        slack.reset();
        project = server.createProject("acme");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        userId = "user-" + UUID.randomUUID();
        accessToken = "xoxb-" + UUID.randomUUID();
        slack.acceptToken(accessToken);
        credentialId = server.importCredential(project.id(), userId, "slack", accessToken);
        token = Tokens.sign(project.privateKeyPem(), userId, c -> c);
    }

    private Answer run(String action, Object parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void aCookieSetByTheVendorForOneUserIsNeverSentOnAnotherUsersCall() {
        slack.setCookieOnNextAnswer("session=belongs-to-" + userId);
        assertThat(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "first")).status()).isEqualTo(200);

        String otherUser = "user-" + UUID.randomUUID();
        String otherAccess = "xoxb-" + UUID.randomUUID();
        slack.acceptToken(otherAccess);
        server.importCredential(project.id(), otherUser, "slack", otherAccess);
        Answer other = server.runAction(project, Tokens.sign(project.privateKeyPem(), otherUser, c -> c), "SLACK_SEND_MESSAGE",
                Map.of("channel", "#general", "message", "second"));

        assertThat(other.status()).isEqualTo(200);
        List<SlackFake.Received> posts = slack.received("chat.postMessage");
        assertThat(posts).hasSize(2);
        assertThat(posts.get(1).headers()).doesNotContainKey("Cookie");
        assertThat(posts.get(0).headers()).doesNotContainKey("Cookie");
    }

    @Test
    void sendMessagePostsToSlackAndReturnsSlacksBody() {
        Answer answer = run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "Hello world!"));

        JsonNode body = TestServer.expect(answer, 200);
        assertThat(body.get("ok").asBoolean()).isTrue();
        assertThat(body.get("channel").asString()).isEqualTo("C00000000");
        assertThat(body.at("/message/text").asString()).isEqualTo("Hello world!");
        assertThat(answer.header("X-Paragon-Credential")).isEqualTo(credentialId);
        SlackFake.Received sent = lastCall("chat.postMessage");
        assertThat(sent.headers().get("Authorization")).isEqualTo("Bearer " + accessToken);
        assertThat(sent.body().get("channel").asString()).isEqualTo("#general");
        assertThat(sent.body().get("text").asString()).isEqualTo("Hello world!");
        assertThat(sent.body().has("message")).as("our input name is mapped to Slack's 'text'").isFalse();
    }

    @Test
    void toolsAliasRunsTheSameActionWithToolField() {
        Answer answer = server.user("POST", "/projects/" + project.id() + "/tools", token,
                Map.of("tool", "SLACK_SEND_MESSAGE", "parameters", Map.of("channel", "C00000003", "message", "via tools")), Map.of());
        assertThat(TestServer.expect(answer, 200).get("channel").asString()).isEqualTo("C00000003");
    }

    @Test
    void pagingThroughChannelsWithPageCursorDeliversEveryChannelExactlyOnce() {
        List<String> seen = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("limit", 5));
        int pages = 0;
        int shortPagesBeforeTheEnd = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("SLACK_LIST_CHANNELS", parameters), 200);
            pages++;
            if (page.has("pageCursor") && page.get("channels").size() < 5) {
                shortPagesBeforeTheEnd++;
            }
            page.get("channels").forEach(c -> seen.add(c.get("id").asString()));
            if (!page.has("pageCursor")) {
                assertThat(page.has("nextPaginationParameters")).isFalse();
                break;
            }
            assertThat(page.get("nextPaginationParameters").get("pageCursor").asString()).isEqualTo(page.get("pageCursor").asString());
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
            assertThat(pages).as("pagination must end").isLessThan(20);
        }
        List<String> expected = slack.channels().stream().map(c -> c.get("id").asString()).toList();
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(shortPagesBeforeTheEnd).as("Slack may return fewer than limit while more remain").isPositive();
        assertThat(pages).isGreaterThan(1);
        assertThat(slack.received("conversations.list").getLast().query()).contains("limit=5").contains("cursor=");
    }

    @Test
    void pagingThroughUsersWithNextPaginationParametersDeliversEveryUserExactlyOnce() {
        Set<String> seen = new HashSet<>();
        int delivered = 0;
        Map<String, Object> parameters = new HashMap<>(Map.of("limit", 2));
        while (true) {
            JsonNode page = TestServer.expect(run("SLACK_LIST_MEMBERS", parameters), 200);
            for (JsonNode member : page.get("members")) {
                seen.add(member.get("id").asString());
                delivered++;
            }
            if (!page.has("nextPaginationParameters")) {
                break;
            }
            parameters.put("paginationParameters", nextParameters(page.get("nextPaginationParameters")));
        }
        assertThat(delivered).isEqualTo(9);
        assertThat(seen).hasSize(9);
    }

    @Test
    void usersByNameAreFoundOnWhicheverPageTheyAreAndTheNamesStayHere() {
        List<String> found = new ArrayList<>();
        int pages = 0;
        Map<String, Object> parameters = new HashMap<>(Map.of("name", "user 1", "displayName", "U7", "limit", 2));
        while (true) {
            JsonNode page = TestServer.expect(run("SLACK_GET_USERS_BY_NAME", parameters), 200);
            pages++;
            page.get("members").forEach(m -> found.add(m.get("id").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }

        assertThat(found).containsExactly("U00000001", "U00000007");
        assertThat(pages).as("nine members, two a page").isGreaterThanOrEqualTo(5);
        assertThat(slack.received("users.list")).allSatisfy(r -> assertThat(r.query()).doesNotContain("name=").doesNotContain("displayName"));
    }

    private static Object nextParameters(JsonNode node) {
        return Map.of("pageCursor", node.get("pageCursor").asString());
    }

    @Test
    void misspelledParametersAreRejectedByNameWithTheClosestValidName() {
        Answer answer = run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "mesage", "hi", "thredTs", "1.2"));

        JsonNode body = TestServer.expect(answer, 400);
        assertThat(body.get("code").asString()).isEqualTo("invalid_parameters");
        assertThat(body.get("message").asString())
                .contains("parameters.mesage: unknown parameter; did you mean 'message'?")
                .contains("parameters.thredTs: unknown parameter; did you mean 'threadTs'?")
                .contains("required property 'message'");
        assertThat(slack.received("chat.postMessage")).as("no vendor call on bad input").isEmpty();
    }

    @Test
    void typeErrorsAndUnknownPaginationFieldsNameTheirPath() {
        JsonNode wrongType = TestServer.expect(run("SLACK_LIST_CHANNELS", Map.of("limit", "ten")), 400);
        assertThat(wrongType.get("message").asString()).contains("parameters.limit");
        assertThat(wrongType.get("meta").get("errors")).hasSize(1);

        JsonNode badPagination = TestServer.expect(run("SLACK_LIST_CHANNELS", Map.of("paginationParameters", Map.of("pageCurser", "x"))), 400);
        assertThat(badPagination.get("message").asString())
                .contains("parameters.paginationParameters.pageCurser: unknown parameter; did you mean 'pageCursor'?");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "limit {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1e400", "-1e400", "1e30", "123456789012345678901234567890"})
    void numbersOutOfEveryRangeAreInvalidParametersNotServerErrors(String number) {
        JsonNode body = TestServer.expect(run("SLACK_LIST_CHANNELS", Map.of("limit", new java.math.BigDecimal(number))), 400);
        assertThat(body.get("code").asString()).isEqualTo("invalid_parameters");
        assertThat(body.get("message").asString()).contains("parameters.limit");
        assertThat(slack.received("conversations.list")).isEmpty();
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanGuessed() {
        String twice = "{\"action\": \"SLACK_SEND_MESSAGE\", \"parameters\": {\"channel\": \"#general\", \"channel\": \"#random\", \"message\": \"hi\"}}";
        JsonNode body = TestServer.expect(server.user("POST", "/projects/" + project.id() + "/actions", token, twice, Map.of()), 400);
        assertThat(body.get("code").asString()).isEqualTo("invalid_json");
        assertThat(body.get("message").asString()).contains("channel");
        assertThat(slack.received("chat.postMessage")).isEmpty();
    }

    /** PostgreSQL refuses text holding NUL: such a run must still be recorded, and must not cost the runs beside it. */
    @Test
    void aNulInAnActionNameCostsNoRunRecord() {
        String nul = "{\"action\": \"SLACK\\u0000SEND\", \"parameters\": {}}";
        Answer refused = server.user("POST", "/projects/" + project.id() + "/actions", token, nul, Map.of());
        Answer sent = run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "beside it"));
        assertThat(TestServer.expect(refused, 400).get("code").asString()).isEqualTo("unknown_action");
        assertThat(sent.status()).isEqualTo(200);

        JsonNode runs = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/runs?userId=" + userId, null), 200).get("runs");
        assertThat(runs).extracting(r -> r.get("requestId").asString())
                .containsExactlyInAnyOrder(refused.header("X-Request-Id"), sent.header("X-Request-Id"));
    }

    @Test
    void unknownActionSuggestsTheClosestName() {
        JsonNode body = TestServer.expect(run("SLACK_SEND_MESAGE", Map.of()), 400);
        assertThat(body.get("code").asString()).isEqualTo("unknown_action");
        assertThat(body.get("message").asString()).contains("did you mean 'SLACK_SEND_MESSAGE'?");
    }

    @Test
    void slackErrorInsideHttp200BecomesA400IntegrationError() {
        JsonNode body = TestServer.expect(run("SLACK_SEND_MESSAGE", Map.of("channel", "#nowhere", "message", "hi")), 400);
        assertThat(body.get("code").asString()).isEqualTo("integration_error");
        assertThat(body.get("message").asString()).contains("channel_not_found");
        assertThat(body.at("/meta/isIntegrationError").asBoolean()).isTrue();
        assertThat(body.at("/meta/integrationStatus").asInt()).isEqualTo(200);
        assertThat(body.at("/meta/integrationResponse/error").asString()).isEqualTo("channel_not_found");
        assertThat(body.at("/meta/requestId").asString()).startsWith("req_");
    }

    @Test
    void rateLimitWithRetryAfterIsRetriedWithinTheBudget() {
        slack.failNext("chat.postMessage", new SlackFake.RateLimited(1));
        long started = System.nanoTime();

        Answer answer = run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "after a pause"));

        TestServer.expect(answer, 200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited as Retry-After asked").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(slack.received("chat.postMessage")).hasSize(2);
    }

    @Test
    void rateLimitOutlastingTheBudgetGives429WithRetryAfter() {
        slack.failNext("conversations.list", new SlackFake.RateLimited(30));

        Answer answer = run("SLACK_LIST_CHANNELS", Map.of());

        JsonNode body = TestServer.expect(answer, 429);
        assertThat(answer.header("Retry-After")).isEqualTo("30");
        assertThat(body.get("code").asString()).isEqualTo("rate_limited");
        assertThat(slack.received("conversations.list")).as("no retry that would pass the budget").hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedForReadsButNotForWrites() {
        slack.failNext("conversations.list", new SlackFake.ServerError(503));
        TestServer.expect(run("SLACK_LIST_CHANNELS", Map.of()), 200);
        assertThat(slack.received("conversations.list")).hasSize(2);

        slack.failNext("chat.postMessage", new SlackFake.ServerError(500));
        JsonNode body = TestServer.expect(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "once")), 502);
        assertThat(body.get("code").asString()).isEqualTo("integration_error");
        assertThat(slack.received("chat.postMessage")).as("a message must not be posted twice").hasSize(1);
    }

    @Test
    void expiredTokenIsReportedAsCredentialProblemAndTheAccountBecomesInvalid() {
        slack.expireToken(accessToken);

        JsonNode body = TestServer.expect(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "hi")), 424);

        assertThat(body.get("code").asString()).isEqualTo("credential_invalid");
        assertThat(body.get("message").asString()).contains("token_expired").contains("reconnect");
        assertThat(body.at("/meta/isIntegrationError").asBoolean()).isTrue();
        JsonNode next = TestServer.expect(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "hi")), 400);
        assertThat(next.get("code").asString()).isEqualTo("integration_not_connected");
        assertThat(next.get("message").asString()).isEqualTo("Integration not enabled for user.");
        Answer named = server.user("POST", "/projects/" + project.id() + "/actions", token,
                Map.of("action", "SLACK_SEND_MESSAGE", "parameters", Map.of("channel", "#general", "message", "hi")),
                Map.of("X-Paragon-Credential", credentialId));
        assertThat(TestServer.expect(named, 424).get("message").asString()).contains("token_expired");
    }

    @Test
    void revokedAuthIsACredentialProblemNeverA401() {
        slack.failNext("users.list", new SlackFake.SlackError("invalid_auth"));
        Answer answer = run("SLACK_LIST_MEMBERS", Map.of());
        assertThat(answer.status()).isEqualTo(424);
        assertThat(answer.json().get("message").asString()).contains("invalid_auth");
    }

    @Test
    void userWithoutCredentialGetsActionKitsNotConnectedError() {
        String stranger = Tokens.sign(project.privateKeyPem(), "someone-else", c -> c);
        JsonNode body = TestServer.expect(server.runAction(project, stranger, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x")), 400);
        assertThat(body.get("code").asString()).isEqualTo("integration_not_connected");
        assertThat(body.get("message").asString()).isEqualTo("Integration not enabled for user.");
    }

    @Test
    void credentialHeaderPicksTheAccountAndOtherUsersCredentialsAreNotFound() {
        String secondToken = "xoxb-" + UUID.randomUUID();
        slack.acceptToken(secondToken);
        String second = server.importCredential(project.id(), userId, "slack", secondToken);
        String othersCredential = server.importCredential(project.id(), "another-user", "slack", "xoxb-other");
        Map<String, Object> body = Map.of("action", "SLACK_SEND_MESSAGE", "parameters", Map.of("channel", "#general", "message", "hi"));
        String path = "/projects/" + project.id() + "/actions";

        Answer defaultAccount = server.user("POST", path, token, body, Map.of());
        assertThat(defaultAccount.header("X-Paragon-Credential")).as("oldest VALID").isEqualTo(credentialId);
        Answer picked = server.user("POST", path, token, body, Map.of("X-Paragon-Credential", second));
        assertThat(picked.header("X-Paragon-Credential")).isEqualTo(second);
        assertThat(lastCall("chat.postMessage").headers().get("Authorization")).isEqualTo("Bearer " + secondToken);

        Answer others = server.user("POST", path, token, body, Map.of("X-Paragon-Credential", othersCredential));
        Answer unknown = server.user("POST", path, token, body, Map.of("X-Paragon-Credential", UUID.randomUUID().toString()));
        assertThat(others.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(others.json().get("message").asString()).isEqualTo(unknown.json().get("message").asString());
        assertThat(others.text()).doesNotContain("xoxb-other").doesNotContain("another-user");
    }

    @Test
    void unreachableSlowAndUnreadableVendorsGive502And504() {
        slack.failNext("users.list", new SlackFake.NotJson());
        assertThat(TestServer.expect(run("SLACK_LIST_MEMBERS", Map.of()), 502).get("code").asString())
                .isEqualTo("integration_response_unreadable");

        slack.failNext("chat.postMessage", new SlackFake.Slow(3000));
        assertThat(TestServer.expect(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "slow")), 504)
                .get("code").asString()).isEqualTo("integration_timeout");

        server.configureIntegration(project.id(), "slack", "http://127.0.0.1:1/api");
        assertThat(TestServer.expect(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "down")), 502)
                .get("code").asString()).isEqualTo("integration_unreachable");
    }

    @Test
    void everyRunIsRecordedAndListedForOperators() {
        TestServer.expect(run("SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "recorded")), 200);
        Answer failed = run("SLACK_SEND_MESSAGE", Map.of("channel", "#nowhere", "message", "recorded"));

        JsonNode runs = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/runs?userId=" + userId, null), 200).get("runs");
        assertThat(runs).hasSize(2);
        JsonNode newest = runs.get(0);
        assertThat(newest.get("status").asString()).isEqualTo("FAILED");
        assertThat(newest.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(newest.get("errorCode").asString()).isEqualTo("integration_error");
        assertThat(newest.get("requestId").asString()).isEqualTo(failed.header("X-Request-Id"));
        JsonNode oldest = runs.get(1);
        assertThat(oldest.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(oldest.get("action").asString()).isEqualTo("SLACK_SEND_MESSAGE");
        assertThat(oldest.get("credentialId").asString()).isEqualTo(credentialId);
        assertThat(oldest.get("userId").asString()).isEqualTo(userId);
        assertThat(oldest.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);

        JsonNode onlyFailed = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id()
                + "/runs?status=FAILED&action=SLACK_SEND_MESSAGE&limit=10", null), 200).get("runs");
        assertThat(onlyFailed).hasSize(1);
        assertThat(server.admin("GET", "/admin/projects/" + project.id() + "/runs?status=DONE", null).status()).isEqualTo(400);
    }

    private SlackFake.Received lastCall(String method) {
        List<SlackFake.Received> calls = slack.received(method);
        assertThat(calls).isNotEmpty();
        return calls.getLast();
    }
}
