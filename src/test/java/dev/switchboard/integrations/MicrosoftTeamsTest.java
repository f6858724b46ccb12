package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.TeamsFake;
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
 * Microsoft Teams' actions as ActionKit's clients call them, against a Graph fake: a message to a person through
 * ActionKit's "oneOnOne|user id" (the chat made or found, then the message posted to it), to a chat by ID, to a
 * channel; lists paged exactly once through Graph's %24skiptoken links; a user found by email; Graph's errors and a
 * 429; the connect flow.
 */
class MicrosoftTeamsTest {
    private static final TeamsFake teams = new TeamsFake(5);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        teams.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("teams");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/microsoftTeams", Map.of("enabled", true,
                "urls", Map.of("api", teams.graphUrl(), "me", teams.meUrl()))), 200);
        server.importCredential(project.id(), "ada", "microsoftTeams", "eyJ0eXAi.teams");
        teams.accept("eyJ0eXAi.teams");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        teams.close();
    }

    @BeforeEach
    void reset() {
        teams.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void aMessageToAPersonGoesToTheirOneOnOneChatMadeOnce() {
        JsonNode members = TestServer.expect(run("TEAMS_MEMBER_LIST", Map.of("teamId", TeamsFake.TEAM)), 200);
        String grace = members.at("/value/1/userId").asString();

        JsonNode first = TestServer.expect(run("TEAMS_SEND_MESSAGE_IN_CHAT", Map.of("chatRecipient", "oneOnOne|" + grace,
                "message", "<p>Build is green.</p>")), 200);
        JsonNode second = TestServer.expect(run("TEAMS_SEND_MESSAGE_IN_CHAT", Map.of("chatRecipient", "oneOnOne|" + grace,
                "message", "Deploying now.", "contentType", "text")), 200);

        assertThat(teams.chats()).hasSize(1);
        String chatId = teams.chats().keySet().iterator().next();
        assertThat(teams.messages(chatId)).extracting(m -> m.at("/body/content").asString()).containsExactly("<p>Build is green.</p>", "Deploying now.");
        assertThat(teams.messages(chatId).get(1).at("/body/contentType").asString()).isEqualTo("text");
        assertThat(first.get("id").asString()).isNotEqualTo(second.get("id").asString());
        JsonNode chat = teams.received("POST", "/v1.0/chats").getFirst().json();
        assertThat(chat.at("/members/0/user@odata.bind").asString()).isEqualTo("https://graph.microsoft.com/v1.0/users('" + TeamsFake.ME_ID + "')");
        assertThat(chat.at("/members/1/@odata.type").asString()).isEqualTo("#microsoft.graph.aadUserConversationMember");

        TestServer.expect(run("TEAMS_SEND_MESSAGE_IN_CHAT", Map.of("chatRecipient", chatId, "message", "By chat ID")), 200);
        TestServer.expect(run("TEAMS_SEND_MESSAGE_IN_CHAT", Map.of("chatRecipient", "group|" + chatId, "message", "By chat type")), 200);
        assertThat(teams.messages(chatId)).hasSize(4);
        JsonNode listed = TestServer.expect(run("TEAMS_LIST_MESSAGES_IN_CHAT", Map.of("chatId", chatId)), 200);
        assertThat(listed.get("value")).hasSize(4);

        JsonNode injected = TestServer.expect(run("TEAMS_SEND_MESSAGE_IN_CHAT", Map.of("chatRecipient", "oneOnOne|x') or true or ('",
                "message", "x")), 400);
        assertThat(injected.get("message").asString()).contains("parameters.chatRecipient");
        JsonNode unknownType = TestServer.expect(run("TEAMS_SEND_MESSAGE_IN_CHAT", Map.of("chatRecipient", "channel|abc", "message", "x")), 400);
        assertThat(unknownType.get("message").asString()).contains("parameters.chatRecipient");
    }

    @Test
    void channelsPageExactlyOnceThroughGraphsSkiptokenLinks() {
        List<String> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("teamId", TeamsFake.TEAM));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("TEAMS_CHANNEL_LIST", parameters), 200);
            pages++;
            page.get("value").forEach(c -> ids.add(c.get("id").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", page.get("nextPaginationParameters"));
        }
        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);

        TestServer.expect(run("TEAMS_SEND_MESSAGE_IN_CHANNEL", Map.of("teamId", TeamsFake.TEAM, "channel", ids.getFirst(),
                "message", "<b>Release 1.2</b> is out")), 200);
        assertThat(teams.messages(ids.getFirst())).singleElement().satisfies(m -> assertThat(m.at("/body/contentType").asString()).isEqualTo("html"));
        JsonNode teamsList = TestServer.expect(run("TEAMS_JOINED_TEAM_LIST", Map.of()), 200);
        assertThat(teamsList.at("/value/0/id").asString()).isEqualTo(TeamsFake.TEAM);
    }

    @Test
    void aUserIsFoundByEmailAndGraphsErrorsAreItsOwn() {
        JsonNode found = TestServer.expect(run("TEAMS_GET_USER_BY_EMAIL", Map.of("email", "grace@contoso.onmicrosoft.com")), 200);
        assertThat(found.at("/value/0/id").asString()).isEqualTo(TeamsFake.GRACE_ID);
        assertThat(teams.received("GET", "/v1.0/users").getLast().query().get("$filter"))
                .isEqualTo("mail eq 'grace@contoso.onmicrosoft.com' or userPrincipalName eq 'grace@contoso.onmicrosoft.com'");
        JsonNode quote = TestServer.expect(run("TEAMS_GET_USER_BY_EMAIL", Map.of("email", "o'brien@contoso.com")), 400);
        assertThat(quote.get("message").asString()).contains("parameters.email");

        JsonNode missing = TestServer.expect(run("TEAMS_CHANNEL_LIST", Map.of("teamId", "no-such-team")), 404);
        assertThat(missing.get("message").asString()).contains("NotFound");
        teams.failNext("joinedTeams", new VendorFake.RateLimited(0));
        TestServer.expect(run("TEAMS_JOINED_TEAM_LIST", Map.of()), 200);
        assertThat(teams.received("GET", "/v1.0/me/joinedTeams")).hasSize(2);
    }

    @Test
    void connectingLabelsTheAccountWithItsSignInName() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/microsoftTeams", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "scopes", List.of("offline_access", "ChatMessage.Send", "Team.ReadBasic.All"),
                "urls", Map.of("api", teams.graphUrl(), "me", teams.meUrl(), "token", teams.baseUrl() + "/oauth/token",
                        "authorize", teams.baseUrl() + "/oauth/authorize"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);

        var connected = dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "microsoftTeams");

        assertThat(connected.authorizeUrl()).contains("code_challenge_method=S256").contains("offline_access");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/microsoftTeams/allCredentials/0/label").asString()).isEqualTo(TeamsFake.USER);
        TestServer.expect(server.runAction(project, newcomer, "TEAMS_JOINED_TEAM_LIST", Map.of()), 200);
    }

    @Test
    void anExpiredTokenIsRefreshedAndTheRotatedRefreshTokenKept() {
        // Microsoft replaces the refresh token on each refresh and the old one stops working: each must be kept.
        teams.rotateRefreshTokens();
        int refreshes = Refreshes.callsAfterEachExpiry(server, project, teams, "microsoftTeams", Map.of("api", teams.graphUrl(), "me", teams.meUrl()),
                "eyJ0eXAi.expired", "M.grace-teams", "TEAMS_JOINED_TEAM_LIST", Map.of(), 3);
        assertThat(refreshes).isEqualTo(3);
    }
}
