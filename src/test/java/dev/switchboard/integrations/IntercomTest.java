package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.IntercomFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
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
 * Intercom's actions as ActionKit's clients call them, against a fake that searches contacts with Intercom's query
 * object: ActionKit's filter formula written as that object, searches paged exactly once through
 * pagination.starting_after, contacts created, updated and read, a message sent, Intercom's errors, a 429 with
 * X-RateLimit-Reset, and the connect flow named by the app.
 */
class IntercomTest {
    private static final IntercomFake intercom = new IntercomFake(7);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        intercom.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("intercom");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/intercom", Map.of("enabled", true,
                "urls", Map.of("api", intercom.apiUrl(), "me", intercom.apiUrl() + "/me"))), 200);
        server.importCredential(project.id(), "ada", "intercom", "dG9rOmIxZDg");
        intercom.accept("dG9rOmIxZDg");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        intercom.close();
    }

    @BeforeEach
    void reset() {
        intercom.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void aFilterFormulaBecomesIntercomsQueryAndPagesExactlyOnce() {
        Map<String, Object> formula = Map.of("operator", "AND", "conditions", List.of(
                Map.of("field", "email", "operator", "$stringContains", "value", "@example.com"),
                Map.of("operator", "OR", "conditions", List.of(
                        Map.of("field", "role", "operator", "$stringExactlyMatches", "value", "user"),
                        Map.of("field", "created_at", "operator", "$dateTimeAfter", "value", "2023-11-20")))));
        List<String> emails = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("filterFormula", formula, "paginationParameters", Map.of("pageSize", 2)));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("INTERCOM_SEARCH_CONTACTS", parameters), 200);
            pages++;
            page.get("data").forEach(c -> emails.add(c.get("email").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 2));
        }
        List<String> expected = intercom.contacts().values().stream().filter(c -> c.path("email").asString("").contains("@example.com")
                && (c.path("role").asString().equals("user") || c.path("created_at").asLong() > 1700438400L)).map(c -> c.get("email").asString()).toList();
        assertThat(expected).as("leads created before 2023-11-20 are left out").hasSizeLessThan(intercom.contacts().size());
        assertThat(emails).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pages).isEqualTo((emails.size() + 1) / 2);
        JsonNode sent = intercom.received("POST", "/contacts/search").getFirst().json();
        assertThat(sent.get("query").toString()).isEqualTo("{\"operator\":\"AND\",\"value\":[{\"field\":\"email\",\"operator\":\"~\","
                + "\"value\":\"@example.com\"},{\"operator\":\"OR\",\"value\":[{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"},"
                + "{\"field\":\"created_at\",\"operator\":\">\",\"value\":1700438400}]}]}");
        assertThat(sent.at("/pagination/per_page").asInt()).isEqualTo(2);

        JsonNode all = TestServer.expect(run("INTERCOM_SEARCH_CONTACTS", Map.of()), 200);
        assertThat(all.get("total_count").asInt()).as("no filter: every user and lead").isEqualTo(intercom.contacts().size());
        JsonNode refused = TestServer.expect(run("INTERCOM_SEARCH_CONTACTS", Map.of("filterFormula",
                Map.of("field", "created_at", "operator", "$dateTimeEquals", "value", "2023-11-20"))), 400);
        assertThat(refused.get("message").asString()).contains("parameters.filterFormula.operator");
    }

    @Test
    void aContactIsCreatedUpdatedReadAndMessaged() {
        JsonNode created = TestServer.expect(run("INTERCOM_CREATE_CONTACT", Map.of("email", "grace@example.com", "name", "Grace Hopper",
                "externalId", "25", "customAttributes", Map.of("plan", "pro"))), 200);
        String id = created.get("id").asString();
        JsonNode sent = intercom.received("POST", "/contacts").getLast().json();
        assertThat(sent.get("external_id").asString()).isEqualTo("25");
        assertThat(sent.get("role").asString()).as("a user unless said otherwise").isEqualTo("user");
        assertThat(sent.at("/custom_attributes/plan").asString()).isEqualTo("pro");

        TestServer.expect(run("INTERCOM_UPDATE_CONTACT", Map.of("contactId", id, "name", "Rear Admiral Grace Hopper")), 200);
        JsonNode read = TestServer.expect(run("INTERCOM_GET_CONTACT_BY_ID", Map.of("contactId", id)), 200);
        assertThat(read.get("name").asString()).isEqualTo("Rear Admiral Grace Hopper");

        TestServer.expect(run("INTERCOM_SEND_MESSAGE", Map.of("recipientContactType", "user", "recepientContactId", id,
                "messageType", "email", "fromId", "991267816", "body", "<p>Welcome!</p>", "subject", "Welcome aboard", "template", "personal")), 200);
        JsonNode message = intercom.received("POST", "/messages").getLast().json();
        assertThat(message.at("/to/id").asString()).isEqualTo(id);
        assertThat(message.at("/from/id").isIntegralNumber()).as("ActionKit's text id sent as Intercom's number").isTrue();
        assertThat(message.at("/from/type").asString()).isEqualTo("admin");
        assertThat(message.get("message_type").asString()).isEqualTo("email");

        JsonNode missing = TestServer.expect(run("INTERCOM_GET_CONTACT_BY_ID", Map.of("contactId", "nope")), 404);
        assertThat(missing.get("message").asString()).contains("not_found");
        assertThat(intercom.received().stream().allMatch(r -> "2.16".equals(r.headers().get("Intercom-Version")))).isTrue();
    }

    @Test
    void aRateLimitIsWaitedOutByItsResetTime() {
        intercom.failNext("getContact", new VendorFake.RateLimited(0));
        String id = intercom.contacts().keySet().iterator().next();
        TestServer.expect(run("INTERCOM_GET_CONTACT_BY_ID", Map.of("contactId", id)), 200);
        assertThat(intercom.received("GET", "/contacts/" + id)).hasSize(2);
    }

    @Test
    void connectingNamesTheAccountByItsApp() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/intercom", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "urls", Map.of("api", intercom.apiUrl(), "me", intercom.apiUrl() + "/me",
                        "token", intercom.baseUrl() + "/oauth/token", "authorize", intercom.baseUrl() + "/oauth/authorize"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);

        dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "intercom");

        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/intercom/allCredentials/0/label").asString()).isEqualTo(IntercomFake.APP);
        TestServer.expect(server.runAction(project, newcomer, "INTERCOM_SEARCH_CONTACTS", Map.of()), 200);
    }

    @Test
    void aRevokedTokenMakesTheAccountUnusableAndIsSaid() {
        // Intercom's access tokens do not expire and come without a refresh token: a 401 means the user must reconnect.
        server.importCredential(project.id(), "revoked", "intercom", "dG9rOnJldm9rZWQ");
        Answer rejected = server.runAction(project, Tokens.sign(project.privateKeyPem(), "revoked", c -> c), "INTERCOM_GET_CONTACT_BY_ID",
                Map.of("contactId", "6329bd9ffe4e3b2b1e5e4f2a"));
        assertThat(rejected.status()).isEqualTo(424);
        assertThat(rejected.json().get("code").asString()).isEqualTo("credential_invalid");
    }
}
