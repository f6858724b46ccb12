package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.HubSpotFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.json.Json;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
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
 * HubSpot's actions as ActionKit's clients call them, against a fake that checks each property against the portal's
 * own: two portals with different custom properties list and validate different parameters, values reach HubSpot
 * as text (a multi-select's joined by ';'), ActionKit's filter formula arrives as filterGroups, lists and searches
 * page exactly once, activities are logged with the time of the call, a list's members are answered as contacts, and
 * HubSpot's errors, 429 and expired tokens are handled.
 */
class HubSpotTest {
    private static final HubSpotFake hubspot = new HubSpotFake(7);
    private static TestServer server;
    private static Project project;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        hubspot.start();
        hubspot.customProperty("pat-alice", "contacts", "favourite_colour", "enumeration", "select", "teal", "amber");
        hubspot.customProperty("pat-alice", "contacts", "shoe_size", "number", "number");
        hubspot.customProperty("pat-alice", "contacts", "interests", "enumeration", "checkbox", "sailing", "chess", "opera");
        hubspot.customProperty("pat-bob", "contacts", "region", "string", "text");
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("hubspot");
        server.configureIntegration(project.id(), "hubspot", hubspot.apiUrl());
        alice = server.connect(project, hubspot, "alice", "hubspot", "pat-alice");
        bob = server.connect(project, hubspot, "bob", "hubspot", "pat-bob");
    }

    @AfterAll
    static void stop() {
        server.close();
        hubspot.close();
    }

    @BeforeEach
    void reset() {
        hubspot.reset();
    }

    private static Answer run(String token, String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    private static JsonNode parametersOf(String token, String action) {
        return server.listedParameters(project, token, "hubspot", action);
    }

    @Test
    void eachPortalListsAndValidatesItsOwnProperties() {
        JsonNode alices = parametersOf(alice, "HUBSPOT_CREATE_RECORD_CONTACTS");
        JsonNode bobs = parametersOf(bob, "HUBSPOT_CREATE_RECORD_CONTACTS");

        assertThat(alices.get("properties").propertyNames()).contains("email", "firstname", "favourite_colour", "shoe_size", "interests")
                .doesNotContain("region", "hs_object_id", "createdate");
        assertThat(alices.at("/properties/favourite_colour/enum")).extracting(JsonNode::asString).containsExactly("teal", "amber");
        assertThat(alices.at("/properties/interests/type").asString()).isEqualTo("array");
        assertThat(alices.at("/properties/shoe_size/type").asString()).isEqualTo("number");
        assertThat(alices.get("required")).extracting(JsonNode::asString).containsExactly("email");
        assertThat(bobs.get("properties").propertyNames()).contains("region").doesNotContain("favourite_colour");

        // Bob's portal has no favourite_colour: refused before any call, naming it.
        JsonNode refused = TestServer.expect(run(bob, "HUBSPOT_CREATE_RECORD_CONTACTS", Map.of("email", "x@example.com", "favourite_colour", "teal")), 400);
        assertThat(refused.get("message").asString()).contains("favourite_colour");
        JsonNode badOption = TestServer.expect(run(alice, "HUBSPOT_CREATE_RECORD_CONTACTS", Map.of("email", "x@example.com", "favourite_colour", "mauve")), 400);
        assertThat(badOption.get("message").asString()).contains("favourite_colour").contains("teal");
        assertThat(hubspot.received("POST", "/crm/v3/objects/contacts")).isEmpty();

        JsonNode created = TestServer.expect(run(alice, "HUBSPOT_CREATE_RECORD_CONTACTS", Map.of("email", "grace@example.com", "firstname", "Grace",
                "favourite_colour", "teal", "shoe_size", 38.5, "interests", List.of("sailing", "chess"), "hs_email_optout", true)), 200);
        JsonNode sent = hubspot.received("POST", "/crm/v3/objects/contacts").get(0).json().get("properties");
        assertThat(sent.get("shoe_size").asString()).as("every value as text, as HubSpot types them").isEqualTo("38.5");
        assertThat(sent.get("interests").asString()).isEqualTo("sailing;chess");
        assertThat(sent.get("hs_email_optout").asString()).isEqualTo("true");
        assertThat(created.at("/properties/email").asString()).isEqualTo("grace@example.com");

        JsonNode schema = TestServer.expect(run(bob, "HUBSPOT_DESCRIBE_ACTION_SCHEMA", Map.of("recordType", "contacts", "operation", "UPDATE_RECORD")), 200);
        assertThat(schema.get("action").asString()).isEqualTo("HUBSPOT_UPDATE_RECORD_ANY");
        assertThat(schema.at("/schema/properties").propertyNames()).contains("recordId", "region", "lifecyclestage");
    }

    @Test
    void recordsOfEveryKindAreCreatedReadUpdatedAndDeleted() {
        String id = TestServer.expect(run(alice, "HUBSPOT_CREATE_RECORD_DEALS", Map.of("dealname", "Acme renewal", "amount", 1200, "dealstage", "appointmentscheduled")), 200)
                .get("id").asString();
        TestServer.expect(run(alice, "HUBSPOT_UPDATE_RECORD_DEALS", Map.of("recordId", id, "dealstage", "closedwon")), 200);
        JsonNode deal = TestServer.expect(run(alice, "HUBSPOT_GET_RECORD_BY_ID_DEALS", Map.of("recordId", id, "properties", "dealname,dealstage")), 200);
        assertThat(deal.at("/properties/dealstage").asString()).isEqualTo("closedwon");
        assertThat(hubspot.received("GET", "/crm/v3/objects/deals/" + id).get(0).query().get("properties")).isEqualTo("dealname,dealstage");

        String ticket = TestServer.expect(run(alice, "HUBSPOT_CREATE_RECORD_ANY", Map.of("recordType", "tickets", "subject", "Printer on fire", "hs_pipeline_stage", "1")), 200)
                .get("id").asString();
        TestServer.expect(run(alice, "HUBSPOT_UPDATE_RECORD_ANY", Map.of("recordType", "tickets", "recordId", ticket, "hs_pipeline_stage", "4")), 200);
        assertThat(TestServer.expect(run(alice, "HUBSPOT_GET_RECORD_BY_ID_ANY", Map.of("recordType", "tickets", "recordId", ticket)), 200)
                .at("/properties/hs_pipeline_stage").asString()).isEqualTo("4");
        TestServer.expect(run(alice, "HUBSPOT_DELETE_RECORD_ANY", Map.of("recordType", "tickets", "recordId", ticket)), 200);
        TestServer.expect(run(alice, "HUBSPOT_DELETE_RECORD_DEALS", Map.of("recordId", id)), 200);

        // HubSpot's own refusal: its category and message reach the caller with HubSpot's status.
        JsonNode gone = TestServer.expect(run(alice, "HUBSPOT_GET_RECORD_BY_ID_DEALS", Map.of("recordId", id)), 404);
        assertThat(gone.get("message").asString()).contains("OBJECT_NOT_FOUND");
        JsonNode unknownType = TestServer.expect(run(alice, "HUBSPOT_GET_RECORDS_ANY", Map.of("recordType", "spaceships")), 400);
        assertThat(unknownType.toString()).contains("Unable to infer object type");
    }

    @Test
    void aFilterFormulaArrivesAsFilterGroupsAndEveryMatchPagesOnce() {
        Map<String, Object> formula = Map.of("operator", "OR", "conditions", List.of(
                Map.of("operator", "AND", "conditions", List.of(
                        Map.of("field", "lifecyclestage", "operator", "$stringExactlyMatches", "value", "lead"),
                        Map.of("field", "email", "operator", "$stringContains", "value", "example.com"))),
                Map.of("field", "lastname", "operator", "$stringExactlyMatches", "value", "Number 3")));
        List<String> emails = new ArrayList<>();
        Map<String, Object> page = Map.of("pageSize", 2);
        for (int calls = 0; calls < 10; calls++) {
            Map<String, Object> parameters = new HashMap<>(Map.of("filterFormula", formula, "paginationParameters", page));
            JsonNode answer = TestServer.expect(run(alice, "HUBSPOT_SEARCH_RECORDS_CONTACTS", parameters), 200);
            answer.get("results").forEach(r -> emails.add(r.at("/properties/email").asString()));
            if (!answer.has("nextPaginationParameters")) break;
            Map<String, Object> next = new HashMap<>(Json.MAPPER.convertValue(answer.get("nextPaginationParameters"), Map.class));
            next.put("pageSize", 2);
            page = next;
        }
        assertThat(emails).containsExactly("person2@example.com", "person3@example.com", "person4@example.com", "person6@example.com");
        JsonNode groups = hubspot.received("POST", "/crm/v3/objects/contacts/search").get(0).json().get("filterGroups");
        assertThat(groups.toString()).isEqualTo("[{\"filters\":[{\"propertyName\":\"lifecyclestage\",\"operator\":\"EQ\",\"value\":\"lead\"},"
                + "{\"propertyName\":\"email\",\"operator\":\"CONTAINS_TOKEN\",\"value\":\"*example.com*\"}]},"
                + "{\"filters\":[{\"propertyName\":\"lastname\",\"operator\":\"EQ\",\"value\":\"Number 3\"}]}]");

        // What HubSpot cannot say is refused before any call, naming the condition.
        hubspot.reset();
        JsonNode refused = TestServer.expect(run(alice, "HUBSPOT_SEARCH_RECORDS_CONTACTS", Map.of("filterFormula",
                Map.of("field", "lastname", "operator", "$stringStartsWith", "value", "Num"))), 400);
        assertThat(refused.get("message").asString()).contains("parameters.filterFormula.operator").contains("$stringStartsWith");
        assertThat(hubspot.received()).isEmpty();
    }

    @Test
    void aListingPagesEveryRecordExactlyOnce() {
        List<String> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("paginationParameters", Map.of("pageSize", 3)));
        for (int calls = 0; calls < 10; calls++) {
            JsonNode answer = TestServer.expect(run(bob, "HUBSPOT_GET_RECORDS_CONTACTS", parameters), 200);
            answer.get("results").forEach(r -> ids.add(r.get("id").asString()));
            if (!answer.has("pageCursor")) break;
            parameters = new HashMap<>(Map.of("paginationParameters", Map.of("pageCursor", answer.get("pageCursor").asString(), "pageSize", 3)));
        }
        assertThat(ids).doesNotHaveDuplicates().containsAll(hubspot.records("contacts").keySet());
        assertThat(hubspot.received("GET", "/crm/v3/objects/contacts").get(0).query()).containsEntry("limit", "3");
    }

    @Test
    void activitiesAreLoggedAtTheTimeOfTheCallAndChangedByIdAlone() {
        JsonNode note = TestServer.expect(run(alice, "HUBSPOT_CREATE_RECORD_ENGAGEMENTS", Map.of("engagementType", "NOTE", "hs_note_body", "Called about the renewal.")), 200);
        JsonNode sent = hubspot.received("POST", "/crm/v3/objects/notes").get(0).json();
        assertThat(java.time.Instant.parse(sent.at("/properties/hs_timestamp").asString()))
                .isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(1));
        String id = note.get("id").asString();

        TestServer.expect(run(alice, "HUBSPOT_UPDATE_RECORD_ENGAGEMENTS", Map.of("recordId", id, "hs_note_body", "Renewal agreed.")), 200);
        JsonNode read = TestServer.expect(run(alice, "HUBSPOT_GET_RECORD_BY_ID_ENGAGEMENTS", Map.of("recordId", id)), 200);
        assertThat(read.at("/engagement/type").asString()).isEqualTo("NOTE");
        assertThat(read.at("/metadata/body").asString()).isEqualTo("Renewal agreed.");

        JsonNode tasks = TestServer.expect(run(alice, "HUBSPOT_SEARCH_RECORDS_ENGAGEMENTS", Map.of("engagementType", "NOTE",
                "engagementFilterFormula", Map.of("field", "hs_note_body", "operator", "$stringContains", "value", "agreed"))), 200);
        assertThat(tasks.get("results")).extracting(r -> r.get("id").asString()).containsExactly(id);
        assertThat(TestServer.expect(run(alice, "HUBSPOT_GET_RECORDS_ENGAGEMENTS", Map.of("objectName", "notes")), 200).get("results")).hasSize(1);
        TestServer.expect(run(alice, "HUBSPOT_DELETE_RECORD_ENGAGEMENTS", Map.of("recordId", id)), 200);
        assertThat(hubspot.records("notes")).isEmpty();
    }

    @Test
    void aListsMembersAreAnsweredAsContactsPageByPage() {
        List<String> members = new ArrayList<>(hubspot.records("contacts").keySet()).subList(0, 5);
        String listId = hubspot.list(members);
        List<String> emails = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("listId", listId, "paginationParameters", Map.of("pageSize", 2)));
        for (int calls = 0; calls < 10; calls++) {
            JsonNode answer = TestServer.expect(run(alice, "HUBSPOT_GET_CONTACTS_BY_LIST_ID", parameters), 200);
            answer.get("results").forEach(r -> emails.add(r.at("/properties/email").asString()));
            if (!answer.has("pageCursor")) break;
            parameters.put("paginationParameters", Map.of("pageCursor", answer.get("pageCursor").asString(), "pageSize", 2));
        }
        assertThat(emails).hasSize(5).doesNotHaveDuplicates().allMatch(e -> e.endsWith("@example.com"));
        assertThat(hubspot.received("POST", "/crm/v3/objects/contacts/batch/read")).hasSize(3);

        String contact = members.get(0);
        String company = TestServer.expect(run(alice, "HUBSPOT_CREATE_RECORD_COMPANIES", Map.of("name", "Acme", "domain", "acme.example")), 200).get("id").asString();
        TestServer.expect(run(alice, "HUBSPOT_CREATE_ASSOCIATION", Map.of("fromObjectType", "contacts", "fromObjectId", contact,
                "toObjectType", "companies", "toObjectId", company)), 200);
        assertThat(hubspot.associations()).contains("contacts/" + contact + "->companies/" + company);
        String other = new ArrayList<>(hubspot.records("contacts").keySet()).get(6);
        JsonNode added = TestServer.expect(run(alice, "HUBSPOT_ADD_CONTACT_TO_LIST", Map.of("listId", listId, "contactIds", List.of(other, "999999"))), 200);
        assertThat(added.get("recordIdsAdded")).extracting(JsonNode::asString).containsExactly(other);
        assertThat(added.get("recordIdsMissing")).extracting(JsonNode::asString).containsExactly("999999");
        assertThat(TestServer.expect(run(alice, "HUBSPOT_GET_OWNERS", Map.of()), 200).at("/results/0/id").asString()).isEqualTo("41629779");
        assertThat(TestServer.expect(run(alice, "HUBSPOT_GET_PIPELINES", Map.of()), 200).at("/results/0/stages/1/id").asString()).isEqualTo("closedwon");
        assertThat(hubspot.received("GET", "/crm/v3/pipelines/deals")).hasSize(1);
    }

    @Test
    void aRateLimitIsWaitedOutAndAnExpiredTokenRefreshed() {
        hubspot.failNext("list", new VendorFake.RateLimited(0));
        TestServer.expect(run(alice, "HUBSPOT_GET_RECORDS_CONTACTS", Map.of()), 200);
        assertThat(hubspot.received("GET", "/crm/v3/objects/contacts")).hasSize(2);

        int refreshes = Refreshes.callsAfterEachExpiry(server, project, hubspot, "hubspot", Map.of("api", hubspot.apiUrl()),
                "expired-hubspot", "hubspot-refresh", "HUBSPOT_GET_RECORDS_CONTACTS", Map.of(), 3);
        assertThat(refreshes).isEqualTo(3);
    }
}
