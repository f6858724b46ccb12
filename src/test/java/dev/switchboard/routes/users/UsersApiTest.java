package dev.switchboard.routes.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The Users API (SPEC 3.6) in ActionKit's shapes, several accounts per integration, and permissions. */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabases.Kind.class)
class UsersApiTest {
    private static TestServer server;
    private static SlackFake slack;

    @Parameter
    TestDatabases.Kind store;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        slack = new SlackFake(2, 1).start(0);
        server = TestServer.start(kind);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
        slack.close();
    }

    private record Setup(Project project, String token, String first, String second) {
        Answer get(String path) {
            return server.user("GET", "/projects/" + project.id() + path, token, null, Map.of());
        }
    }

    private Setup setUp(String user) {
        Project project = server.createProject("users");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        server.configureIntegration(project.id(), "asana", "http://127.0.0.1:1/api/1.0");
        String first = server.importCredential(project.id(), user, Map.of("integration", "slack", "accessToken", "xoxb-first", "providerId", "T1"));
        String second = server.importCredential(project.id(), user, Map.of("integration", "slack", "accessToken", "xoxb-second", "providerId", "T2"));
        slack.acceptToken("xoxb-first").acceptToken("xoxb-second");
        return new Setup(project, Tokens.sign(project.privateKeyPem(), user, c -> c), first, second);
    }

    @Test
    void meListsEveryIntegrationWithTheUsersAccounts() {
        Setup s = setUp("ada");
        JsonNode me = TestServer.expect(s.get("/sdk/me"), 200);

        assertThat(me.get("authenticated").asBoolean()).isTrue();
        assertThat(me.get("userId").asString()).isEqualTo("ada");
        JsonNode slackEntry = me.at("/integrations/slack");
        assertThat(slackEntry.get("enabled").asBoolean()).isTrue();
        assertThat(slackEntry.get("credentialId").asString()).isEqualTo(s.first());
        assertThat(slackEntry.get("credentialStatus").asString()).isEqualTo("VALID");
        assertThat(slackEntry.get("allCredentials")).extracting(c -> c.get("id").asString()).containsExactly(s.first(), s.second());
        JsonNode one = slackEntry.at("/allCredentials/1");
        assertThat(one.get("providerId").asString()).isEqualTo("T2");
        assertThat(one.has("dateCreated")).isTrue();
        assertThat(one.get("refreshFailureCount").asInt()).isZero();
        assertThat(me.at("/integrations/asana/enabled").asBoolean()).isFalse();
        assertThat(me.toString()).doesNotContain("xoxb-");
    }

    /** The stores hold user ids of up to 255 characters; PostgreSQL would fail a longer one mid-request. */
    @Test
    void userIdsUpTo255CharactersWorkAndLongerOnesAreRefusedUpFront() {
        String longest = "u".repeat(255);
        Setup s = setUp(longest);
        assertThat(TestServer.expect(s.get("/sdk/me"), 200).get("userId").asString()).isEqualTo(longest);
        Answer patched = server.user("PATCH", "/projects/" + s.project().id() + "/sdk/me", s.token(), Map.of("meta", Map.of("plan", "pro")), Map.of());
        assertThat(patched.status()).isEqualTo(200);

        String tooLong = "u".repeat(256);
        String token = Tokens.sign(s.project().privateKeyPem(), tooLong, c -> c);
        Answer refused = server.user("PATCH", "/projects/" + s.project().id() + "/sdk/me", token, Map.of("meta", Map.of("plan", "pro")), Map.of());
        assertThat(refused.status()).isEqualTo(401);
        Answer imported = server.admin("POST", "/admin/projects/" + s.project().id() + "/users/" + tooLong + "/credentials",
                Map.of("integration", "slack", "accessToken", "xoxb-first"));
        assertThat(imported.status()).isEqualTo(400);
        assertThat(imported.json().get("message").asString()).contains("255");
    }

    @Test
    void anImportedProviderIdOver255CharactersIsRefused() {
        Project project = server.createProject("long-provider-id");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        Answer imported = server.admin("POST", "/admin/projects/" + project.id() + "/users/ada/credentials",
                Map.of("integration", "slack", "accessToken", "xoxb-first", "providerId", "T".repeat(256)));
        assertThat(imported.status()).isEqualTo(400);
        assertThat(imported.json().get("message").asString()).contains("providerId");
    }

    @Test
    void integrationsAndCredentialsLists() {
        Setup s = setUp("bob");
        JsonNode integrations = TestServer.expect(s.get("/sdk/integrations"), 200);
        assertThat(integrations).extracting(i -> i.get("type").asString()).containsExactlyInAnyOrder("slack", "asana");
        JsonNode slackItem = integrations.valueStream().filter(i -> i.get("type").asString().equals("slack")).findFirst().orElseThrow();
        assertThat(slackItem.get("hasCredential").asBoolean()).isTrue();
        assertThat(slackItem.get("isActive").asBoolean()).isTrue();
        assertThat(slackItem.get("id").asString()).isNotBlank();
        assertThat(TestServer.expect(s.get("/sdk/credentials"), 200)).hasSize(2);
    }

    @Test
    void disconnectRemovesOneAccountOrAllByKeyOrId() {
        Setup s = setUp("cy");
        Answer one = server.user("DELETE", "/projects/" + s.project().id() + "/sdk/integrations/slack", s.token(), null,
                Map.of("X-Paragon-Credential", s.first()));
        assertThat(TestServer.expect(one, 200).get("deletedCredentials")).extracting(JsonNode::asString).containsExactly(s.first());
        JsonNode me = TestServer.expect(s.get("/sdk/me"), 200);
        assertThat(me.at("/integrations/slack/credentialId").asString()).as("the remaining account becomes the default").isEqualTo(s.second());
        Answer used = server.runAction(s.project(), s.token(), "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x"));
        assertThat(used.header("X-Paragon-Credential")).isEqualTo(s.second());

        String slackId = TestServer.expect(s.get("/sdk/integrations"), 200).valueStream()
                .filter(i -> i.get("type").asString().equals("slack")).findFirst().orElseThrow().get("id").asString();
        TestServer.expect(server.user("DELETE", "/projects/" + s.project().id() + "/sdk/integrations/" + slackId, s.token(), null, Map.of()), 200);
        assertThat(TestServer.expect(s.get("/sdk/credentials"), 200)).isEmpty();
        assertThat(server.runAction(s.project(), s.token(), "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x"))
                .json().get("code").asString()).isEqualTo("integration_not_connected");
    }

    @Test
    void anotherUsersCredentialCannotBeSeenUsedOrDeleted() {
        Setup owner = setUp("owner");
        String intruder = Tokens.sign(owner.project().privateKeyPem(), "intruder", c -> c);
        Answer delete = server.user("DELETE", "/projects/" + owner.project().id() + "/sdk/integrations/slack", intruder, null,
                Map.of("X-Paragon-Credential", owner.first()));
        assertThat(delete.status()).isEqualTo(404);
        Answer use = server.user("POST", "/projects/" + owner.project().id() + "/actions", intruder,
                Map.of("action", "SLACK_SEND_MESSAGE", "parameters", Map.of("channel", "#general", "message", "x")),
                Map.of("X-Paragon-Credential", owner.first()));
        assertThat(use.status()).isEqualTo(404);
        JsonNode intruderList = TestServer.expect(server.user("GET", "/projects/" + owner.project().id() + "/sdk/credentials", intruder, null, Map.of()), 200);
        assertThat(intruderList).isEmpty();
        assertThat(TestServer.expect(owner.get("/sdk/credentials"), 200)).hasSize(2);

        Project other = server.createProject("other-tenant");
        server.configureIntegration(other.id(), "slack", slack.apiUrl());
        String otherToken = Tokens.sign(other.privateKeyPem(), "owner", c -> c);
        Answer crossTenant = server.user("POST", "/projects/" + other.id() + "/actions", otherToken,
                Map.of("action", "SLACK_SEND_MESSAGE", "parameters", Map.of("channel", "#general", "message", "x")),
                Map.of("X-Paragon-Credential", owner.first()));
        assertThat(crossTenant.status()).as("the same user id in another project reaches nothing").isEqualTo(404);
    }

    @Test
    void permissionsClaimNarrowsIntegrationsAndCredentials() {
        Setup s = setUp("dee");
        String onlySecond = Tokens.sign(s.project().privateKeyPem(), "dee", c -> c.claim("urn:useparagon:connect:permissions",
                List.of("actionkit", "integration:slack", "credential:" + s.second())));
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + s.project().id() + "/sdk/me", onlySecond, null, Map.of()), 200);
        assertThat(me.get("integrations").propertyNames()).containsExactly("slack");
        assertThat(me.at("/integrations/slack/allCredentials")).extracting(c -> c.get("id").asString()).containsExactly(s.second());
        Answer run = server.runAction(s.project(), onlySecond, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "x"));
        assertThat(run.header("X-Paragon-Credential")).isEqualTo(s.second());
        Answer forbidden = server.user("POST", "/projects/" + s.project().id() + "/actions", onlySecond,
                Map.of("action", "SLACK_SEND_MESSAGE", "parameters", Map.of("channel", "#general", "message", "x")),
                Map.of("X-Paragon-Credential", s.first()));
        assertThat(forbidden.status()).isEqualTo(403);
    }

    @Test
    void metadataIsMergedByPatch() {
        Setup s = setUp("eve");
        TestServer.expect(server.user("PATCH", "/projects/" + s.project().id() + "/sdk/me", s.token(), Map.of("meta", Map.of("plan", "pro", "seats", 3)), Map.of()), 200);
        JsonNode me = TestServer.expect(server.user("PATCH", "/projects/" + s.project().id() + "/sdk/me", s.token(), Map.of("meta", Map.of("seats", 5)), Map.of()), 200);
        assertThat(me.at("/meta/plan").asString()).isEqualTo("pro");
        assertThat(me.at("/meta/seats").asInt()).isEqualTo(5);
        assertThat(server.user("PATCH", "/projects/" + s.project().id() + "/sdk/me", s.token(), Map.of("metadata", Map.of()), Map.of()).status()).isEqualTo(400);
    }

    @Test
    void metadataIsStoredAsSentAndCappedInSize() {
        Setup s = setUp("meta-" + store);
        Project project = s.project();
        String token = s.token();
        Map<String, Object> fileShaped = Map.of("dataType", "FILE", "mimeType", "text/plain", "data", "6869");
        JsonNode me = TestServer.expect(server.user("PATCH", "/projects/" + project.id() + "/sdk/me", token,
                Map.of("meta", Map.of("avatar", fileShaped)), Map.of()), 200);
        assertThat(me.at("/meta/avatar/data").asString()).as("a File-shaped object is kept as it was sent").isEqualTo("6869");

        String big = "x".repeat(40 * 1024);
        TestServer.expect(server.user("PATCH", "/projects/" + project.id() + "/sdk/me", token, Map.of("meta", Map.of("a", big)), Map.of()), 200);
        Answer over = server.user("PATCH", "/projects/" + project.id() + "/sdk/me", token, Map.of("meta", Map.of("b", big)), Map.of());
        JsonNode refused = TestServer.expect(over, 400);
        assertThat(refused.get("code").asString()).isEqualTo("metadata_too_large");
        JsonNode after = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()), 200);
        assertThat(after.at("/meta/a").asString()).hasSize(big.length());
        assertThat(after.at("/meta/b").isMissingNode()).as("a refused change changes nothing").isTrue();
    }
}
