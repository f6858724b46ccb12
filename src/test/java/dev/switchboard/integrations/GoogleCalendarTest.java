package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.GoogleCalendarFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Calendar's actions, as ActionKit's clients call them, against a fake that reads what Google reads: times
 * given as Unix milliseconds, ISO or a date become RFC 3339 (or an all-day date), an end defaults to an hour after the
 * start, attendees given as text become Google's list, a Meet link takes a fresh request id, lists page exactly once,
 * an answer to an invitation changes only the user's own answer, and People API searches are warmed up first.
 */
class GoogleCalendarTest {
    private static final GoogleCalendarFake google = new GoogleCalendarFake(7);
    private static final String EVENTS = "/calendar/v3/calendars/primary/events";
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        google.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("calendar");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googleCalendar", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret",
                "urls", Map.of("api", google.apiUrl(), "people", google.peopleUrl(), "token", google.baseUrl() + "/oauth/token",
                        "authorize", google.baseUrl() + "/oauth/authorize"))), 200);
        server.importCredential(project.id(), "ada", "googleCalendar", "ya29.calendar");
        google.accept("ya29.calendar");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        google.close();
    }

    @BeforeEach
    void reset() {
        google.reset();
        google.events(GoogleCalendarFake.EMAIL).clear();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void anEventFromUnixMillisecondsGetsAnHourAGuestListAndItsOwnMeetRequest() {
        long start = Instant.parse("2026-12-15T09:30:00Z").toEpochMilli();
        Map<String, Object> event = Map.of("eventName", "Design review", "startTime", String.valueOf(start),
                "attendees", "grace@example.com, alan@example.com", "includeMeetLink", "true", "eventLocation", "Room 4");

        JsonNode first = TestServer.expect(run("GOOGLE_CALENDAR_CREATE_EVENT", event), 200);
        TestServer.expect(run("GOOGLE_CALENDAR_CREATE_EVENT", event), 200);

        assertThat(first.get("hangoutLink").asString()).startsWith("https://meet.google.com/");
        List<VendorFake.Received> sent = google.received("POST", EVENTS);
        JsonNode body = sent.get(0).json();
        assertThat(body.at("/start/dateTime").asString()).isEqualTo("2026-12-15T09:30:00Z");
        assertThat(body.at("/end/dateTime").asString()).as("an hour after the start").isEqualTo("2026-12-15T10:30:00Z");
        assertThat(body.get("attendees")).extracting(a -> a.get("email").asString()).containsExactly("grace@example.com", "alan@example.com");
        assertThat(body.get("summary").asString()).isEqualTo("Design review");
        assertThat(body.get("location").asString()).isEqualTo("Room 4");
        assertThat(sent.get(0).query()).containsEntry("conferenceDataVersion", "1").containsEntry("sendUpdates", "all");
        String requestId = body.at("/conferenceData/createRequest/requestId").asString();
        assertThat(requestId).matches("[0-9a-f-]{36}");
        assertThat(sent.get(1).json().at("/conferenceData/createRequest/requestId").asString()).as("a new id per event").isNotEqualTo(requestId);
        assertThat(body.has("includeMeetLink")).isFalse();
    }

    @Test
    void aDateAloneIsAnAllDayEventAndTextThatIsNoTimeIsRefusedBeforeAnyCall() {
        TestServer.expect(run("GOOGLE_CALENDAR_CREATE_EVENT", Map.of("eventName", "Holiday", "startTime", "2026-12-24")), 200);

        JsonNode body = google.received("POST", EVENTS).getLast().json();
        assertThat(body.at("/start/date").asString()).isEqualTo("2026-12-24");
        assertThat(body.at("/end/date").asString()).isEqualTo("2026-12-25");
        assertThat(body.at("/start/dateTime").isMissingNode()).isTrue();

        JsonNode refused = TestServer.expect(run("GOOGLE_CALENDAR_CREATE_EVENT", Map.of("eventName", "Soon", "startTime", "next tuesday")), 400);
        assertThat(refused.get("message").asString()).contains("parameters.startTime").contains("not a time");
        JsonNode badGuest = TestServer.expect(run("GOOGLE_CALENDAR_CREATE_EVENT", Map.of("eventName", "x", "startTime", "2026-12-24",
                "attendees", List.of("grace at example.com"))), 400);
        assertThat(badGuest.get("message").asString()).contains("parameters.attendees");
        assertThat(google.received("POST", EVENTS)).hasSize(1);
    }

    private static void addEvents(int count) {
        for (int i = 0; i < count; i++) {
            ObjectNode event = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", "seed" + (10000 + i)).put("summary", "Event " + i);
            event.putObject("start").put("dateTime", "2026-12-1" + i + "T09:00:00Z");
            event.putObject("end").put("dateTime", "2026-12-1" + i + "T10:00:00Z");
            google.events(GoogleCalendarFake.EMAIL).add(event);
        }
    }

    @Test
    void eventsInAWindowArriveExactlyOnceAcrossPages() {
        addEvents(8);
        List<String> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("after", String.valueOf(Instant.parse("2026-12-11T00:00:00Z").toEpochMilli()),
                "before", "2026-12-17T00:00:00Z", "maxResults", 2));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("GOOGLE_CALENDAR_LIST_EVENTS", parameters), 200);
            pages++;
            page.get("items").forEach(e -> ids.add(e.get("id").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }

        assertThat(ids).containsExactly("seed10001", "seed10002", "seed10003", "seed10004", "seed10005", "seed10006");
        assertThat(pages).isEqualTo(3);
        assertThat(google.received("GET", EVENTS).getFirst().query()).containsEntry("timeMin", "2026-12-11T00:00:00Z")
                .containsEntry("timeMax", "2026-12-17T00:00:00Z").containsEntry("singleEvents", "true");
    }

    @Test
    void anUpdateChangesOnlyWhatIsGivenAndAnAnswerOnlyTheUsersOwn() {
        JsonNode created = TestServer.expect(run("GOOGLE_CALENDAR_CREATE_EVENT", Map.of("eventName", "Planning", "startTime",
                "2026-12-15T09:00:00+01:00", "endTime", "2026-12-15T10:00:00+01:00",
                "attendees", List.of(GoogleCalendarFake.EMAIL, "grace@example.com"))), 200);
        String id = created.get("id").asString();

        TestServer.expect(run("GOOGLE_CALENDAR_UPDATE_EVENT", Map.of("eventId", id, "eventLocation", "Room 7")), 200);
        JsonNode patched = google.received("PATCH", EVENTS + "/" + id).getLast().json();
        assertThat(patched.propertyNames()).containsExactly("location");

        TestServer.expect(run("GOOGLE_CALENDAR_RESPOND_TO_EVENT", Map.of("eventId", id, "responseStatus", "accepted")), 200);
        JsonNode answer = google.received("PATCH", EVENTS + "/" + id).getLast().json();
        assertThat(answer.get("attendeesOmitted").asBoolean()).isTrue();
        assertThat(answer.at("/attendees/0/email").asString()).as("the user's own address, read first").isEqualTo(GoogleCalendarFake.EMAIL);
        JsonNode stored = TestServer.expect(run("GOOGLE_CALENDAR_GET_EVENT_BY_ID", Map.of("eventId", id)), 200);
        assertThat(stored.get("location").asString()).isEqualTo("Room 7");
        assertThat(stored.get("attendees")).hasSize(2);
        assertThat(stored.at("/attendees/0/responseStatus").asString()).isEqualTo("accepted");
        assertThat(stored.at("/attendees/1/responseStatus").isMissingNode()).isTrue();

        TestServer.expect(run("GOOGLE_CALENDAR_DELETE_EVENT", Map.of("eventId", id)), 200);
        JsonNode gone = TestServer.expect(run("GOOGLE_CALENDAR_GET_EVENT_BY_ID", Map.of("eventId", id)), 404);
        assertThat(gone.get("message").asString()).contains("notFound");
        assertThat(gone.at("/meta/isIntegrationError").asBoolean()).isTrue();
    }

    @Test
    void availabilityDefaultsToThePrimaryCalendar() {
        addEvents(3);
        JsonNode free = TestServer.expect(run("GOOGLE_CALENDAR_GET_AVAILABILITY", Map.of("timeMin", "2026-12-10T00:00:00Z",
                "timeMax", "2026-12-12T00:00:00Z")), 200);

        assertThat(free.at("/calendars/primary/busy")).hasSize(2);
        assertThat(google.received("POST", "/calendar/v3/freeBusy").getLast().json().at("/items/0/id").asString()).isEqualTo("primary");
    }

    @Test
    void contactsPageExactlyOnceAndSearchesAreWarmedUpFirst() {
        List<String> names = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("pageSize", 3));
        while (true) {
            JsonNode page = TestServer.expect(run("GOOGLE_CALENDAR_GET_CONTACTS", parameters), 200);
            page.get("connections").forEach(c -> names.add(c.at("/names/0/displayName").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }
        assertThat(names).containsExactly("Contact 1", "Contact 2", "Contact 3", "Contact 4", "Contact 5", "Contact 6", "Contact 7");
        assertThat(google.received("GET", "/v1/people/me/connections")).allSatisfy(r -> assertThat(r.query()).containsKey("personFields"));

        JsonNode found = TestServer.expect(run("GOOGLE_CALENDAR_SEARCH_CONTACTS", Map.of("query", "contact 3")), 200);

        assertThat(found.get("results")).extracting(r -> r.at("/person/names/0/displayName").asString()).containsExactly("Contact 3");
        List<VendorFake.Received> searches = google.received("GET", "/v1/people:searchContacts");
        assertThat(searches).extracting(r -> r.query().get("query")).containsExactly("", "contact 3");
    }

    @Test
    void connectingAsksForOfflineAccessAndLabelsTheAccountWithItsEmail() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googleCalendar", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "scopes", List.of("https://www.googleapis.com/auth/calendar"),
                "urls", Map.of("api", google.apiUrl(), "people", google.peopleUrl(), "token", google.baseUrl() + "/oauth/token",
                        "authorize", google.baseUrl() + "/oauth/authorize", "account", google.apiUrl() + "/calendars/primary"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);
        dev.switchboard.testing.ConnectFlows.Connected connected = dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "googleCalendar");
        assertThat(connected.authorizeUrl()).contains("access_type=offline").contains("prompt=consent");
        String back = connected.back();
        assertThat(back).contains("#connected=googleCalendar");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/googleCalendar/allCredentials/0/label").asString()).isEqualTo(GoogleCalendarFake.EMAIL);
        Answer listed = server.runAction(project, newcomer, "GOOGLE_CALENDAR_LIST_CALENDARS", Map.of());
        assertThat(listed.status()).as(listed.text()).isEqualTo(200);
    }

    @Test
    void aRateLimitIsRetriedAndAnExpiredTokenIsRefreshedKeepingItsRefreshToken() {
        google.failNext("list", new VendorFake.RateLimited(0));
        TestServer.expect(run("GOOGLE_CALENDAR_LIST_EVENTS", Map.of()), 200);
        assertThat(google.received("GET", EVENTS)).hasSize(2);

        server.importCredential(project.id(), "grace", Map.of("integration", "googleCalendar", "accessToken", "ya29.expired",
                "refreshToken", "1//grace-refresh", "expiresAt", Instant.now().plusSeconds(3600).toString()));
        google.acceptRefreshToken("1//grace-refresh");
        String grace = Tokens.sign(project.privateKeyPem(), "grace", c -> c);
        for (int i = 0; i < 2; i++) {
            // Google refreshes without a new refresh token; the kept one must still work the second time.
            Answer listed = server.runAction(project, grace, "GOOGLE_CALENDAR_LIST_CALENDARS", Map.of());
            assertThat(listed.status()).as(listed.text()).isEqualTo(200);
            google.expireIssuedAccessTokens();
        }
        assertThat(google.refreshes()).isEqualTo(2);
    }
}
