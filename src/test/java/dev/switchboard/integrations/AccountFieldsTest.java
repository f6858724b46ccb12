package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.ZohoCrmFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Actions whose parameters are the connected account's own fields (Zoho CRM's modules here), against the Zoho fake,
 * where two accounts of one project have different custom fields: each user's parameters are their account's, the
 * vendor's types, picklists and required flags are enforced before any write, and the field list is read once per
 * account and module, not once per run.
 */
class AccountFieldsTest {
    private static final String FIELDS = "/crm/v8/settings/fields";
    private static final ZohoCrmFake zoho = new ZohoCrmFake(3);
    private static TestServer server;
    private static Project project;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        zoho.start();
        zoho.customField("1000.alice", "Leads", "Favourite_Colour__c", "text", false);
        zoho.customField("1000.alice", "Contacts", "Region__c", "text", true);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("account-fields");
        server.configureIntegration(project.id(), "zohocrm", zoho.apiUrl());
        server.importCredential(project.id(), "alice", "zohocrm", "1000.alice");
        server.importCredential(project.id(), "bob", "zohocrm", "1000.bob");
        zoho.accept("1000.alice");
        zoho.accept("1000.bob");
        alice = Tokens.sign(project.privateKeyPem(), "alice", c -> c);
        bob = Tokens.sign(project.privateKeyPem(), "bob", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        zoho.close();
    }

    @BeforeEach
    void reset() {
        zoho.reset();
    }

    /** Connects a Zoho account for a new user, and answers the user's token. */
    private static String connect(String user) {
        return server.connect(project, zoho, user, "zohocrm", "1000." + user);
    }

    private static Answer run(String token, String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void aLeadIsCreatedWithTheAccountsOwnFieldsTypedAsZohoTypesThem() {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("Last_Name", "Lovelace");
        lead.put("Company", "Analytical Engines");
        lead.put("Favourite_Colour__c", "green");
        lead.put("No_of_Employees", "12");          // text from a form: an integer field takes it as 12
        lead.put("Email_Opt_Out", "true");
        lead.put("Lead_Source", "Advertisement");
        lead.put("Owner", Map.of("id", "4832675000000000553"));
        lead.put("trigger", List.of());

        JsonNode created = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_LEADS", lead), 200);

        assertThat(created.at("/data/0/code").asString()).isEqualTo("SUCCESS");
        JsonNode sent = zoho.received("POST", "/crm/v8/Leads").getLast().json();
        assertThat(sent.at("/data/0/Last_Name").asString()).isEqualTo("Lovelace");
        assertThat(sent.at("/data/0/Favourite_Colour__c").asString()).isEqualTo("green");
        assertThat(sent.at("/data/0/No_of_Employees").isIntegralNumber()).isTrue();
        assertThat(sent.at("/data/0/No_of_Employees").asInt()).isEqualTo(12);
        assertThat(sent.at("/data/0/Email_Opt_Out").asBoolean()).isTrue();
        assertThat(sent.at("/data/0/Owner/id").asString()).isEqualTo("4832675000000000553");
        assertThat(sent.get("trigger")).isEmpty();
        assertThat(zoho.received("GET", FIELDS).getLast().query()).containsEntry("module", "Leads");
    }

    @Test
    void anotherAccountsCustomFieldIsRefusedBeforeAnyWrite() {
        Answer answer = run(bob, "ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "Leads", "Last_Name", "Hopper", "Favourite_Colour__c", "blue"));

        JsonNode body = TestServer.expect(answer, 400);
        assertThat(body.get("message").asString()).contains("parameters.Favourite_Colour__c: unknown parameter");
        assertThat(zoho.received("POST", "/crm/v8/Leads")).isEmpty();
    }

    @Test
    void theVendorsRulesAreCheckedBeforeAnyWriteNamingEachParameter() {
        JsonNode missing = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "Leads", "Company", "Acme")), 400);
        assertThat(missing.get("message").asString()).contains("Last_Name");

        JsonNode picklist = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_ANY",
                Map.of("recordType", "Leads", "Last_Name", "Hopper", "Lead_Source", "Cold call")), 400);
        assertThat(picklist.get("message").asString()).contains("parameters.Lead_Source");

        JsonNode readOnly = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_ANY",
                Map.of("recordType", "Leads", "Last_Name", "Hopper", "Created_Time", "2026-01-01T00:00:00+00:00")), 400);
        assertThat(readOnly.get("message").asString()).contains("parameters.Created_Time: unknown parameter");

        JsonNode typo = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "Leads", "Last_name", "Hopper")), 400);
        assertThat(typo.get("message").asString()).contains("did you mean 'Last_Name'");

        JsonNode tooLong = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_ANY",
                Map.of("recordType", "Leads", "Last_Name", "x".repeat(81))), 400);
        assertThat(tooLong.get("message").asString()).contains("parameters.Last_Name");

        // A custom field the account made mandatory is required for that account only.
        JsonNode customRequired = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_CONTACTS", Map.of("Last_Name", "Hopper")), 400);
        assertThat(customRequired.get("message").asString()).contains("Region__c");
        TestServer.expect(run(bob, "ZOHO_CRM_CREATE_RECORD_CONTACTS", Map.of("Last_Name", "Hopper")), 200);

        assertThat(zoho.received("POST", "/crm/v8/Leads")).isEmpty();
        assertThat(zoho.module("Contacts")).extracting(c -> c.get("Last_Name").asString()).containsExactly("Hopper");
    }

    @Test
    void theFieldListIsReadOncePerAccountAndModuleThenKept() {
        // Accounts of their own, whose fields no other test has read.
        String gina = connect("gina");
        String hal = connect("hal");
        for (int i = 0; i < 3; i++) {
            TestServer.expect(run(gina, "ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "Deals", "Deal_Name", "Deal " + i, "Stage", "Qualification")), 200);
        }
        // Another action of the same module shares the account's one read.
        TestServer.expect(run(gina, "ZOHO_CRM_CREATE_RECORD_DEALS", Map.of("Deal_Name", "Deal 4", "Stage", "Qualification")), 200);
        TestServer.expect(run(hal, "ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "Deals", "Deal_Name", "Hal's", "Stage", "Negotiation")), 200);

        List<String> tokens = new ArrayList<>();
        zoho.received("GET", FIELDS).forEach(r -> tokens.add(r.headers().get("Authorization")));
        assertThat(tokens).containsExactlyInAnyOrder("Zoho-oauthtoken 1000.gina", "Zoho-oauthtoken 1000.hal");
        assertThat(zoho.received("POST", "/crm/v8/Deals")).hasSize(5);
    }

    @Test
    void describeAnswersTheSchemaTheAccountsActionTakes() {
        JsonNode create = TestServer.expect(run(alice, "ZOHO_CRM_DESCRIBE_ACTION_SCHEMA", Map.of("recordType", "Leads", "operation", "CREATE_RECORD")), 200);

        assertThat(create.get("action").asString()).isEqualTo("ZOHO_CRM_CREATE_RECORD_ANY");
        JsonNode schema = create.get("schema");
        assertThat(schema.get("properties").propertyNames()).contains("recordType", "Last_Name", "Company", "Favourite_Colour__c", "Owner")
                .doesNotContain("Created_Time", "Full_Name", "Record_Image");
        assertThat(schema.get("required")).extracting(JsonNode::asString).containsExactly("recordType", "Last_Name");
        assertThat(schema.at("/properties/Lead_Source/enum")).extracting(JsonNode::asString).containsExactly("-None-", "Advertisement", "Web Download");
        assertThat(schema.at("/properties/Last_Name/maxLength").asInt()).isEqualTo(80);
        assertThat(schema.at("/properties/Last_Name/description").asString()).startsWith("Last Name");
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();

        JsonNode update = TestServer.expect(run(bob, "ZOHO_CRM_DESCRIBE_ACTION_SCHEMA", Map.of("recordType", "Leads", "operation", "UPDATE_RECORD")), 200);
        assertThat(update.at("/schema/required")).extracting(JsonNode::asString).containsExactly("recordType", "recordId");
        assertThat(update.at("/schema/properties").propertyNames()).contains("Last_Name").doesNotContain("Favourite_Colour__c");

        JsonNode badOperation = TestServer.expect(run(alice, "ZOHO_CRM_DESCRIBE_ACTION_SCHEMA", Map.of("recordType", "Leads", "operation", "DELETE")), 400);
        assertThat(badOperation.get("message").asString()).contains("parameters.operation");
    }

    @Test
    void updateChangesOnlyTheGivenFieldsAndUpsertMatchesOnTheCheckFields() {
        String id = zoho.module("Leads").getFirst().get("id").asString();
        TestServer.expect(run(alice, "ZOHO_CRM_UPDATE_RECORD_ANY", Map.of("recordType", "Leads", "recordId", id, "Email", "new@example.com")), 200);

        assertThat(zoho.received("PUT", "/crm/v8/Leads/" + id).getLast().json().get("data").get(0).propertyNames()).containsExactly("Email");
        assertThat(zoho.module("Leads").getFirst().get("Email").asString()).isEqualTo("new@example.com");
        assertThat(zoho.module("Leads").getFirst().get("Last_Name").asString()).isEqualTo("Lead 1");

        Map<String, Object> grace = Map.of("recordType", "Accounts", "Account_Name", "Hopper & Co", "Website", "https://one.example",
                "duplicateCheckFields", List.of("Account_Name"));
        JsonNode inserted = TestServer.expect(run(bob, "ZOHO_CRM_UPSERT_RECORD_ANY", grace), 200);
        Map<String, Object> again = new LinkedHashMap<>(grace);
        again.put("Website", "https://two.example");
        JsonNode updated = TestServer.expect(run(bob, "ZOHO_CRM_UPSERT_RECORD_ANY", again), 200);

        assertThat(inserted.at("/data/0/action").asString()).isEqualTo("insert");
        assertThat(updated.at("/data/0/action").asString()).isEqualTo("update");
        assertThat(zoho.module("Accounts")).hasSize(1);
        assertThat(zoho.module("Accounts").getFirst().get("Website").asString()).isEqualTo("https://two.example");
        assertThat(zoho.received("POST", "/crm/v8/Accounts/upsert").getLast().json().at("/duplicate_check_fields/0").asString()).isEqualTo("Account_Name");
    }

    @Test
    void aModuleTheAccountLacksIsZohosErrorAndNothingIsWritten() {
        Answer answer = run(alice, "ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "Nope", "Last_Name", "Hopper"));

        JsonNode body = TestServer.expect(answer, 400);
        assertThat(body.get("message").asString()).contains("INVALID_MODULE");
        assertThat(body.at("/meta/isIntegrationError").asBoolean()).isTrue();
        assertThat(zoho.received()).extracting(r -> r.method()).containsOnly("GET");

        JsonNode badType = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "../settings", "Last_Name", "x")), 400);
        assertThat(badType.get("message").asString()).contains("parameters.recordType");
        assertThat(zoho.received()).hasSize(1);
    }

    private static JsonNode listing(String token, String query) {
        return TestServer.expect(server.user("GET", "/projects/" + project.id() + "/actions?integrations=zohocrm" + query, token, null, Map.of()), 200);
    }

    private static JsonNode parametersOf(JsonNode listing, String action) {
        for (JsonNode tool : listing.at("/actions/zohocrm")) {
            if (tool.at("/function/name").asString().equals(action)) {
                return tool.at("/function/parameters");
            }
        }
        throw new AssertionError(action + " is not listed: " + listing);
    }

    @Test
    void eachUsersListingShowsTheirAccountsFieldsKeptUntilReloaded() {
        zoho.customField("1000.alice", "Deals", "Probability_Note__c", "textarea", false);
        JsonNode alices = listing(alice, "");
        JsonNode bobs = listing(bob, "");

        JsonNode aliceLeads = parametersOf(alices, "ZOHO_CRM_CREATE_RECORD_LEADS");
        assertThat(aliceLeads.get("properties").propertyNames()).contains("Last_Name", "Favourite_Colour__c").doesNotContain("Created_Time");
        assertThat(aliceLeads.get("required")).extracting(JsonNode::asString).containsExactly("Last_Name");
        assertThat(aliceLeads.get("additionalProperties").asBoolean()).isFalse();
        assertThat(parametersOf(bobs, "ZOHO_CRM_CREATE_RECORD_LEADS").get("properties").propertyNames()).contains("Last_Name")
                .doesNotContain("Favourite_Colour__c");
        assertThat(parametersOf(alices, "ZOHO_CRM_CREATE_RECORD_ANY").get("additionalProperties").asBoolean())
                .as("an action of any record type lists its own parameters; describe gives the fields").isTrue();
        assertThat(alices.get("errors")).isEmpty();

        // A field added in Zoho shows once the listing asks to reload, as ActionKit's reload_fields does.
        zoho.customField("1000.alice", "Leads", "Second_Colour__c", "text", false);
        assertThat(parametersOf(listing(alice, ""), "ZOHO_CRM_CREATE_RECORD_LEADS").get("properties").has("Second_Colour__c")).isFalse();
        assertThat(parametersOf(listing(alice, "&reload_fields=true"), "ZOHO_CRM_CREATE_RECORD_LEADS").get("properties").has("Second_Colour__c")).isTrue();
        TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD_LEADS", Map.of("Last_Name", "Ride", "Second_Colour__c", "teal")), 200);

        String mcp = server.user("POST", "/projects/" + project.id() + "/mcp", alice,
                Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list"), Map.of("Accept", "application/json, text/event-stream")).text();
        assertThat(mcp).contains("Favourite_Colour__c").contains("Probability_Note__c");
    }

    @Test
    void aListingWhoseFieldsCannotBeReadSaysSoAndListsTheActionsAsForEveryone() {
        server.importCredential(project.id(), "carol", "zohocrm", "1000.carol");
        zoho.accept("1000.carol");
        String carol = Tokens.sign(project.privateKeyPem(), "carol", c -> c);
        zoho.failNext("fields", new dev.switchboard.fakes.VendorFake.VendorError(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"));

        JsonNode listing = listing(carol, "");

        assertThat(listing.at("/errors/0/message").asString()).contains("ZOHO_CRM_CREATE_RECORD_LEADS").contains("OAUTH_SCOPE_MISMATCH");
        assertThat(parametersOf(listing, "ZOHO_CRM_CREATE_RECORD_LEADS").get("additionalProperties").asBoolean()).isTrue();
        // The metadata scope's refusal leaves the account usable: the next listing reads the fields.
        assertThat(parametersOf(listing(carol, ""), "ZOHO_CRM_CREATE_RECORD_LEADS").get("required")).extracting(JsonNode::asString).containsExactly("Last_Name");
        JsonNode nobody = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/actions?integrations=zohocrm&limit_to_available=false",
                Tokens.sign(project.privateKeyPem(), "dave", c -> c), null, Map.of()), 200);
        assertThat(parametersOf(nobody, "ZOHO_CRM_CREATE_RECORD_LEADS").get("additionalProperties").asBoolean()).isTrue();
    }

    @Test
    void aListingDoesNotWaitOnASlowVendorAndTheFieldsFollowInTheNextOne() {
        zoho.customField("1000.erin", "Leads", "Shoe_Size__c", "text", false);
        String erin = connect("erin");
        zoho.failNext("fields", new dev.switchboard.fakes.VendorFake.Slow(java.time.Duration.ofSeconds(5)));

        long started = System.nanoTime();
        JsonNode first = listing(erin, "");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(tookMillis).as("the listing waits %s, not the vendor's 5 s", dev.switchboard.actions.ActionLister.FIELDS_WAIT)
                .isLessThan(4_500);
        assertThat(first.at("/errors/0/message").asString()).contains("still being read");
        assertThat(parametersOf(first, "ZOHO_CRM_CREATE_RECORD_LEADS").get("additionalProperties").asBoolean()).isTrue();
        // The read went on: once it is done, the listing has the account's fields, read once.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        boolean listed = false;
        while (!listed && System.nanoTime() < deadline) {
            listed = parametersOf(listing(erin, ""), "ZOHO_CRM_CREATE_RECORD_LEADS").get("properties").has("Shoe_Size__c");
        }
        assertThat(listed).isTrue();
        assertThat(zoho.received("GET", FIELDS).stream().filter(r -> r.query().get("module").equals("Leads"))).hasSize(1);
    }

    @Test
    void aFieldTheVendorNoLongerHasIsReadAgainAfterItsRefusal() {
        zoho.customField("1000.fay", "Leads", "Hat_Size__c", "text", false);
        String fay = connect("fay");
        TestServer.expect(run(fay, "ZOHO_CRM_CREATE_RECORD_LEADS", Map.of("Last_Name", "Hopper", "Hat_Size__c", "7")), 200);

        // The field is deleted in Zoho: the kept list still offers it, Zoho refuses the write, and the list is read again.
        zoho.removeCustomField("1000.fay", "Leads", "Hat_Size__c");
        zoho.failNext("create", new dev.switchboard.fakes.VendorFake.VendorError(400, "INVALID_DATA", "invalid data"));
        TestServer.expect(run(fay, "ZOHO_CRM_CREATE_RECORD_LEADS", Map.of("Last_Name", "Hopper", "Hat_Size__c", "7")), 400);
        JsonNode refused = TestServer.expect(run(fay, "ZOHO_CRM_CREATE_RECORD_LEADS", Map.of("Last_Name", "Hopper", "Hat_Size__c", "7")), 400);

        assertThat(refused.get("message").asString()).contains("Hat_Size__c");
        assertThat(zoho.received("GET", FIELDS).stream().filter(r -> "Zoho-oauthtoken 1000.fay".equals(r.headers().get("Authorization")))).hasSize(2);
    }

    @Test
    void theOldNameSaysWhereItWent() {
        JsonNode body = TestServer.expect(run(alice, "ZOHO_CRM_CREATE_RECORD", Map.of("module", "Leads")), 400);
        assertThat(body.get("message").asString()).contains("ZOHO_CRM_CREATE_RECORD_ANY");
    }
}
