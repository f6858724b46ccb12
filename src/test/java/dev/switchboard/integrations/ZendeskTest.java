package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.VendorFake;
import dev.switchboard.fakes.ZendeskFake;
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
 * Zendesk's actions as ActionKit's clients call them, against a fake of one account's subdomain (imported with its
 * subdomain as providerData): tickets created, changed, commented (an internal note is not public) and deleted,
 * users, searches written in Zendesk's syntax and paged exactly once through its next_page, its errors and a 429.
 */
class ZendeskTest {
    private static final ZendeskFake zendesk = new ZendeskFake(5);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        zendesk.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("zendesk");
        // The fake stands for the account's https://acme.zendesk.com (its subdomain is the account's providerData).
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/zendesk", Map.of("enabled", true,
                "urls", Map.of("api", zendesk.apiUrl(), "me", zendesk.apiUrl() + "/users/me"))), 200);
        server.importCredential(project.id(), "ada", Map.of("integration", "zendesk", "accessToken", "zd-token",
                "providerData", Map.of("subdomain", ZendeskFake.SUBDOMAIN)));
        zendesk.accept("zd-token");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        zendesk.close();
    }

    @BeforeEach
    void reset() {
        zendesk.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void aTicketIsOpenedCommentedChangedAndDeleted() {
        JsonNode created = TestServer.expect(run("ZENDESK_CREATE_TICKET", Map.of("ticketSubject", "Printer on fire",
                "ticketDescription", "Smoke from tray 2", "requesterName", "Jane", "requesterEmail", "jane@example.com",
                "ticketPriority", "urgent", "ticketTags", List.of("hardware"))), 200);
        long id = created.at("/ticket/id").asLong();
        JsonNode sent = zendesk.received("POST", "/api/v2/tickets").getLast().json();
        assertThat(sent.at("/ticket/comment/body").asString()).isEqualTo("Smoke from tray 2");
        assertThat(sent.at("/ticket/requester/email").asString()).isEqualTo("jane@example.com");

        TestServer.expect(run("ZENDESK_ADD_COMMENT_TO_TICKET", Map.of("ticketId", String.valueOf(id), "commentBody", "Called the vendor",
                "isInternalNote", true)), 200);
        assertThat(zendesk.comments(id).getLast().get("public").asBoolean()).as("an internal note is not public").isFalse();
        assertThat(zendesk.received("PUT", "/api/v2/tickets/" + id).getLast().json().has("isInternalNote")).isFalse();
        TestServer.expect(run("ZENDESK_ADD_COMMENT_TO_TICKET", Map.of("ticketId", String.valueOf(id), "commentBody", "On its way")), 200);
        assertThat(zendesk.comments(id).getLast().get("public").asBoolean()).as("a reply is public by default").isTrue();
        TestServer.expect(run("ZENDESK_ADD_COMMENT_TO_TICKET", Map.of("ticketId", String.valueOf(id), "commentBody", "x",
                "isInternalNote", true, "isPublic", true)), 400);

        TestServer.expect(run("ZENDESK_UPDATE_TICKET", Map.of("ticketId", String.valueOf(id), "ticketStatus", "solved")), 200);
        JsonNode read = TestServer.expect(run("ZENDESK_GET_TICKET_BY_ID", Map.of("ticketId", String.valueOf(id))), 200);
        assertThat(read.at("/ticket/status").asString()).isEqualTo("solved");
        JsonNode comments = TestServer.expect(run("ZENDESK_GET_TICKET_COMMENTS", Map.of("ticketId", String.valueOf(id))), 200);
        assertThat(comments.get("comments")).hasSize(3);
        TestServer.expect(run("ZENDESK_DELETE_TICKET", Map.of("ticketId", String.valueOf(id))), 200);
        JsonNode gone = TestServer.expect(run("ZENDESK_GET_TICKET_BY_ID", Map.of("ticketId", String.valueOf(id))), 404);
        assertThat(gone.get("message").asString()).contains("RecordNotFound");
    }

    @Test
    void aUserIsCreatedAndUpdated() {
        JsonNode user = TestServer.expect(run("ZENDESK_CREATE_USER", Map.of("name", "Jane Customer", "email", "jane@example.com")), 200);
        String id = user.at("/user/id").asString();
        TestServer.expect(run("ZENDESK_UPDATE_USER", Map.of("userId", id, "phone", "+15551234567")), 200);
        assertThat(zendesk.users().get(Long.parseLong(id)).get("phone").asString()).isEqualTo("+15551234567");
        TestServer.expect(run("ZENDESK_UPDATE_USER", Map.of("userId", id)), 200);
        assertThat(zendesk.received("PUT", "/api/v2/users/" + id).getLast().json().toString()).isEqualTo("{\"user\":{}}");
    }

    @Test
    void ticketsAreSearchedWithZendesksSyntaxAndPagedExactlyOnce() {
        List<Long> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("ticketStatus", "open", "paginationParameters", Map.of("pageSize", 1)));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("ZENDESK_SEARCH_TICKETS", parameters), 200);
            pages++;
            page.get("results").forEach(t -> ids.add(t.get("id").asLong()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 1));
        }
        long open = zendesk.tickets().values().stream().filter(t -> t.get("status").asString().equals("open")).count();
        assertThat(open).isGreaterThan(1);
        assertThat(ids).hasSize((int) open).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo((int) open);
        assertThat(zendesk.received("GET", "/api/v2/search").getFirst().query().get("query")).isEqualTo("type:ticket status:open");

        JsonNode quote = TestServer.expect(run("ZENDESK_SEARCH_TICKETS", Map.of("ticketSubject", "a\" OR status:closed")), 400);
        assertThat(quote.get("message").asString()).contains("parameters.ticketSubject");
    }

    @Test
    void aRateLimitIsRetried() {
        long id = zendesk.tickets().keySet().iterator().next();
        zendesk.failNext("getTicket", new VendorFake.RateLimited(0));
        TestServer.expect(run("ZENDESK_GET_TICKET_BY_ID", Map.of("ticketId", String.valueOf(id))), 200);
        assertThat(zendesk.received("GET", "/api/v2/tickets/" + id)).hasSize(2);
    }

    @Test
    void anExpiredTokenIsRefreshedAtTheAccountsSubdomain() {
        long id = zendesk.tickets().keySet().iterator().next();
        int refreshes = dev.switchboard.testing.Refreshes.callsAfterEachExpiry(server, project, zendesk, "zendesk",
                Map.of("api", zendesk.apiUrl(), "me", zendesk.apiUrl() + "/users/me"), "zd-expired", "zd-refresh",
                "ZENDESK_GET_TICKET_BY_ID", Map.of("ticketId", String.valueOf(id)), 3);
        assertThat(refreshes).isEqualTo(3);
    }

    @Test
    void dateConditionsAndNoPriorityAreZendesksSearchTerms() {
        JsonNode since = TestServer.expect(run("ZENDESK_SEARCH_TICKETS", Map.of("createdDate", Map.of("operator", "GREATER_THAN_EQUALS", "value", "2026-01-02"),
                "updatedDate", Map.of("operator", "LESS_THAN_EQUALS", "value", "2026-12-31"))), 200);
        String query = zendesk.received("GET", "/api/v2/search").get(0).query().get("query");
        assertThat(query).contains("created>=2026-01-02").contains("updated<=2026-12-31");
        assertThat(since.get("results")).hasSize(zendesk.tickets().size() - 1);
        JsonNode none = TestServer.expect(run("ZENDESK_SEARCH_TICKETS", Map.of("ticketPriority", "no_priority")), 200);
        assertThat(zendesk.received("GET", "/api/v2/search").get(1).query().get("query")).contains("priority:none");
        assertThat(none.get("results")).hasSize(1);
        // A date condition's value is a date or a time, nothing that could add a term.
        TestServer.expect(run("ZENDESK_SEARCH_TICKETS", Map.of("createdDate", Map.of("operator", "EQUALS", "value", "2026-01-01 status:closed"))), 400);
        TestServer.expect(run("ZENDESK_SEARCH_TICKETS", Map.of("createdDate", Map.of("operator", "BEFORE", "value", "2026-01-01"))), 400);
    }
}
