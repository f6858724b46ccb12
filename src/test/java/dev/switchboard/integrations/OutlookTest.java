package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.OutlookFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Outlook's actions against a Microsoft Graph fake: recipients given as addresses become Graph's recipient objects,
 * File objects become inline file attachments, event times become {dateTime, timeZone} in the caller's zone, lists
 * page exactly once through Graph's %24skip links, Graph's errors and a 429, and the connect flow.
 */
class OutlookTest {
    private static final OutlookFake graph = new OutlookFake(23);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        graph.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("outlook");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/outlook", Map.of("enabled", true,
                "urls", Map.of("api", graph.graphUrl(), "me", graph.meUrl()))), 200);
        server.importCredential(project.id(), "ada", "outlook", "eyJ0eXAi.outlook");
        graph.accept("eyJ0eXAi.outlook");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        graph.close();
    }

    @BeforeEach
    void reset() {
        graph.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void anEmailGoesOutWithGraphsRecipientsAndFileAttachments() {
        byte[] report = "quarterly numbers ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        JsonNode answer = TestServer.expect(run("OUTLOOK_SEND_MESSAGE", Map.of("toRecipients", "Grace Hopper <grace@example.com>, alan@example.com",
                "ccRecipients", List.of("José Núñez <jose@example.com>"), "subject", "Numbers", "messageContent", "<p>Attached.</p>",
                "attachments", List.of(Map.of("dataType", "FILE", "mimeType", "text/plain", "data", HexFormat.of().formatHex(report), "name", "q4.txt")))), 200);

        assertThat(answer.isEmpty()).as("Graph answers 202 without a body").isTrue();
        JsonNode sent = graph.sent().getLast();
        assertThat(sent.at("/toRecipients/0/emailAddress/address").asString()).isEqualTo("grace@example.com");
        assertThat(sent.at("/toRecipients/0/emailAddress/name").asString()).isEqualTo("Grace Hopper");
        assertThat(sent.at("/toRecipients/1/emailAddress/address").asString()).isEqualTo("alan@example.com");
        assertThat(sent.at("/ccRecipients/0/emailAddress/name").asString()).isEqualTo("José Núñez");
        assertThat(sent.at("/body/contentType").asString()).isEqualTo("html");
        assertThat(sent.at("/attachments/0/@odata.type").asString()).isEqualTo("#microsoft.graph.fileAttachment");
        assertThat(Base64.getDecoder().decode(sent.at("/attachments/0/contentBytes").asString())).isEqualTo(report);

        JsonNode bad = TestServer.expect(run("OUTLOOK_SEND_MESSAGE", Map.of("toRecipients", "not an address", "subject", "x",
                "messageContent", "x")), 400);
        assertThat(bad.get("message").asString()).contains("parameters.toRecipients");
        byte[] big = new byte[3 * 1024 * 1024 + 1];
        JsonNode tooBig = TestServer.expect(run("OUTLOOK_SEND_MESSAGE", Map.of("toRecipients", "grace@example.com", "subject", "x",
                "messageContent", "x", "attachments", Map.of("dataType", "FILE", "mimeType", "application/pdf", "data", HexFormat.of().formatHex(big),
                        "name", "big.pdf"))), 400);
        assertThat(tooBig.get("message").asString()).contains("parameters.attachments").contains("3 MB");
        assertThat(graph.received("POST", "/v1.0/me/sendMail")).hasSize(1);
    }

    @Test
    void messagesPageExactlyOnceThroughGraphsLinks() {
        List<String> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("top", 10));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("OUTLOOK_GET_MESSAGES", parameters), 200);
            pages++;
            page.get("value").forEach(m -> ids.add(m.get("id").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", page.get("nextPaginationParameters"));
        }
        assertThat(ids).hasSize(23).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
        assertThat(graph.received("GET", "/v1.0/me/mailFolders/inbox/messages").get(1).query()).containsEntry("$skip", "10").containsEntry("$top", "10");

        JsonNode one = TestServer.expect(run("OUTLOOK_GET_MESSAGE_BY_ID", Map.of("messageId", ids.getFirst())), 200);
        assertThat(one.get("subject").asString()).startsWith("Message ");
        JsonNode missing = TestServer.expect(run("OUTLOOK_GET_MESSAGE_BY_ID", Map.of("messageId", "nope")), 404);
        assertThat(missing.get("message").asString()).contains("ErrorItemNotFound");
        assertThat(missing.at("/meta/isIntegrationError").asBoolean()).isTrue();
    }

    @Test
    void eventTimesAreWrittenInTheCallersZone() {
        JsonNode created = TestServer.expect(run("OUTLOOK_CREATE_EVENT", Map.of("eventName", "Review", "startTime", "2026-12-03T10:00:00+01:00",
                "timezone", "Europe/Zurich", "attendees", "grace@example.com")), 200);

        assertThat(created.at("/start/dateTime").asString()).isEqualTo("2026-12-03T10:00:00");
        assertThat(created.at("/start/timeZone").asString()).isEqualTo("Europe/Zurich");
        assertThat(created.at("/end/dateTime").asString()).as("an hour later").isEqualTo("2026-12-03T11:00:00");
        assertThat(created.at("/attendees/0/emailAddress/address").asString()).isEqualTo("grace@example.com");
        assertThat(created.at("/attendees/0/type").asString()).isEqualTo("required");
        JsonNode sent = graph.received("POST", "/v1.0/me/calendar/events").getLast().json();
        assertThat(sent.has("timezone")).as("the zone is part of the times, not a field").isFalse();

        JsonNode utc = TestServer.expect(run("OUTLOOK_CREATE_EVENT", Map.of("eventName", "Standup", "startTime", 1796288400L)), 200);
        assertThat(utc.at("/start").toString()).isEqualTo("{\"dateTime\":\"2026-12-03T09:00:00\",\"timeZone\":\"UTC\"}");
        JsonNode windows = TestServer.expect(run("OUTLOOK_CREATE_EVENT", Map.of("eventName", "Lunch", "startTime", "2026-12-03T12:00:00",
                "endTime", "2026-12-03T13:30:00", "timezone", "Pacific Standard Time")), 200);
        assertThat(windows.at("/end").toString()).isEqualTo("{\"dateTime\":\"2026-12-03T13:30:00\",\"timeZone\":\"Pacific Standard Time\"}");

        String id = created.get("id").asString();
        TestServer.expect(run("OUTLOOK_UPDATE_EVENT", Map.of("eventId", id, "eventName", "Review (moved)", "startTime", "2026-12-04T15:00:00",
                "timezone", "Europe/Zurich")), 200);
        JsonNode got = TestServer.expect(run("OUTLOOK_GET_EVENT_BY_ID", Map.of("eventId", id)), 200);
        assertThat(got.get("subject").asString()).isEqualTo("Review (moved)");
        assertThat(got.at("/end/dateTime").asString()).isEqualTo("2026-12-04T16:00:00");
        JsonNode listed = TestServer.expect(run("OUTLOOK_GET_EVENTS", Map.of("after", "2026-12-01T00:00:00Z", "before", 1798761600)), 200);
        assertThat(listed.get("value")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(graph.received("GET", "/v1.0/me/calendar/calendarView").getLast().query()).containsEntry("endDateTime", "2027-01-01T00:00:00Z");
        TestServer.expect(run("OUTLOOK_DELETE_EVENT", Map.of("eventId", id)), 200);
        assertThat(graph.events()).doesNotContainKey(id);

        JsonNode badTime = TestServer.expect(run("OUTLOOK_CREATE_EVENT", Map.of("eventName", "x", "startTime", "next tuesday")), 400);
        assertThat(badTime.get("message").asString()).contains("parameters.startTime");
    }

    @Test
    void aRateLimitIsRetried() {
        graph.failNext("calendarView", new VendorFake.RateLimited(0));
        TestServer.expect(run("OUTLOOK_GET_EVENTS", Map.of("after", "2026-12-01T00:00:00Z", "before", "2026-12-31T00:00:00Z")), 200);
        assertThat(graph.received("GET", "/v1.0/me/calendar/calendarView")).hasSize(2);
    }

    @Test
    void connectingUsesPkceAndLabelsTheAccountWithItsSignInName() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/outlook", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "scopes", List.of("offline_access", "Mail.Send", "Calendars.ReadWrite"),
                "urls", Map.of("api", graph.graphUrl(), "me", graph.meUrl(), "token", graph.baseUrl() + "/oauth/token",
                        "authorize", graph.baseUrl() + "/oauth/authorize"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);

        var connected = dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "outlook");

        assertThat(connected.authorizeUrl()).contains("code_challenge_method=S256").contains("prompt=select_account").contains("offline_access");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/outlook/allCredentials/0/label").asString()).isEqualTo(OutlookFake.USER);
        JsonNode calendars = TestServer.expect(server.runAction(project, newcomer, "OUTLOOK_GET_CALENDARS", Map.of()), 200);
        assertThat(calendars.at("/value/0/isDefaultCalendar").asBoolean()).isTrue();
    }

    @Test
    void anExpiredTokenIsRefreshedAndTheRotatedRefreshTokenKept() {
        // Microsoft replaces the refresh token on each refresh and the old one stops working: each must be kept.
        graph.rotateRefreshTokens();
        int refreshes = Refreshes.callsAfterEachExpiry(server, project, graph, "outlook", Map.of("api", graph.graphUrl(), "me", graph.meUrl()),
                "eyJ0eXAi.expired", "M.grace-refresh", "OUTLOOK_GET_CALENDARS", Map.of(), 3);
        assertThat(refreshes).isEqualTo(3);
    }
}
