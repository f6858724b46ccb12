package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SalesforceFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.json.Json;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Salesforce's actions as ActionKit's clients call them, against a fake org that checks writes against its describe
 * and reads SOQL as Salesforce does: each org's own fields are the parameters (picklists without their inactive
 * values, multi-selects joined by ';'), filter formulas become SOQL conditions no value can break out of, queries
 * page by locator exactly once, list views and custom fields and objects are built as the Tooling API wants them,
 * and Salesforce's errors, API limit and expired sessions are handled.
 */
class SalesforceTest {
    private static final SalesforceFake salesforce = new SalesforceFake(7);
    private static TestServer server;
    private static Project project;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        salesforce.start();
        salesforce.batchSize(2);
        salesforce.customField("00D-alice", "Contact", SalesforceFake.field("Level__c", "picklist", true, true, false, "Primary", "Secondary", "~Tertiary")
                .put("restrictedPicklist", true));
        salesforce.customField("00D-alice", "Contact", SalesforceFake.field("Languages__c", "multipicklist", true, true, false, "English", "French", "German"));
        salesforce.customField("00D-bob", "Contact", SalesforceFake.field("Region__c", "string", true, true, false));
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("salesforce");
        server.configureIntegration(project.id(), "salesforce", salesforce.apiUrl());
        alice = server.connect(project, salesforce, "alice", "salesforce", "00D-alice");
        bob = server.connect(project, salesforce, "bob", "salesforce", "00D-bob");
    }

    @AfterAll
    static void stop() {
        server.close();
        salesforce.close();
    }

    @BeforeEach
    void reset() {
        salesforce.reset();
    }

    private static Answer run(String token, String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    private static JsonNode parametersOf(String token, String action) {
        return server.listedParameters(project, token, "salesforce", action);
    }

    /** Every record of a paged answer, following nextPaginationParameters. */
    private static List<JsonNode> allPages(String token, String action, Map<String, Object> parameters) {
        List<JsonNode> records = new ArrayList<>();
        Map<String, Object> page = new HashMap<>(parameters);
        for (int calls = 0; calls < 20; calls++) {
            JsonNode answer = TestServer.expect(run(token, action, page), 200);
            answer.get("records").forEach(records::add);
            if (!answer.has("nextPaginationParameters")) {
                return records;
            }
            page = new HashMap<>(parameters);
            page.put("paginationParameters", Json.MAPPER.convertValue(answer.get("nextPaginationParameters"), Map.class));
        }
        throw new AssertionError("more than 20 pages");
    }

    @Test
    void eachOrgListsAndValidatesItsOwnFields() {
        JsonNode alices = parametersOf(alice, "SALESFORCE_CREATE_RECORD_CONTACT");
        assertThat(alices.get("properties").propertyNames()).contains("LastName", "accountId", "LeadSource", "Level__c", "Languages__c")
                .doesNotContain("AccountId", "Id", "CreatedDate", "Region__c");
        assertThat(alices.at("/properties/Level__c/enum")).extracting(JsonNode::asString).containsExactly("Primary", "Secondary");
        assertThat(alices.at("/properties/LeadSource").has("enum")).as("an unrestricted picklist takes other values").isFalse();
        assertThat(alices.get("required")).extracting(JsonNode::asString).containsExactly("LastName");
        assertThat(parametersOf(bob, "SALESFORCE_CREATE_RECORD_CONTACT").get("properties").propertyNames()).contains("Region__c").doesNotContain("Level__c");

        TestServer.expect(run(alice, "SALESFORCE_CREATE_RECORD_CONTACT", Map.of("LastName", "Hopper", "Level__c", "Tertiary")), 400);
        TestServer.expect(run(bob, "SALESFORCE_CREATE_RECORD_CONTACT", Map.of("LastName", "Hopper", "Level__c", "Primary")), 400);
        assertThat(salesforce.received("POST", "/services/data/v62.0/sobjects/Contact")).isEmpty();

        JsonNode created = TestServer.expect(run(alice, "SALESFORCE_CREATE_RECORD_CONTACT", Map.of("LastName", "Hopper", "FirstName", "Grace",
                "accountId", "001000000000001AAA", "Level__c", "Primary", "Languages__c", List.of("English", "French"),
                "additionalFields", Map.of("Title", "Rear Admiral"))), 200);
        assertThat(created.get("success").asBoolean()).isTrue();
        JsonNode sent = salesforce.received("POST", "/services/data/v62.0/sobjects/Contact").get(0).json();
        assertThat(sent.get("AccountId").asString()).isEqualTo("001000000000001AAA");
        assertThat(sent.get("Languages__c").asString()).isEqualTo("English;French");
        assertThat(sent.get("Title").asString()).isEqualTo("Rear Admiral");

        JsonNode schema = TestServer.expect(run(alice, "SALESFORCE_DESCRIBE_ACTION_SCHEMA", Map.of("recordType", "Opportunity", "operation", "CREATE_RECORD")), 200);
        assertThat(schema.at("/schema/required")).extracting(JsonNode::asString).contains("recordType", "Name", "StageName", "CloseDate");
    }

    @Test
    void aFilterFormulaIsASoqlConditionAndEveryMatchPagesOnce() {
        Map<String, Object> formula = Map.of("operator", "OR", "conditions", List.of(
                Map.of("operator", "AND", "conditions", List.of(
                        Map.of("field", "LeadSource", "operator", "$stringExactlyMatches", "value", "Web"),
                        Map.of("field", "Email", "operator", "$stringContains", "value", "@example"))),
                Map.of("field", "LastName", "operator", "$stringExactlyMatches", "value", "Number 3")));

        List<JsonNode> found = allPages(bob, "SALESFORCE_SEARCH_RECORDS_CONTACT", Map.of("filterFormula", formula, "sortBy", "LastName", "sortDirection", "DESC"));

        assertThat(found).extracting(r -> r.get("LastName").asString()).containsExactly("Number 6", "Number 4", "Number 3", "Number 2");
        assertThat(salesforce.received("GET", "/services/data/v62.0/query").get(0).query().get("q")).isEqualTo("SELECT FIELDS(STANDARD) FROM Contact WHERE "
                + "((LeadSource = 'Web' AND Email LIKE '%@example%') OR LastName = 'Number 3') ORDER BY LastName DESC");
        assertThat(salesforce.received().stream().filter(r -> r.path().contains("/query/01g"))).hasSize(1);

        // A condition Salesforce's own syntax says, and a sort field that is not one, refused before any call.
        assertThat(allPages(bob, "SALESFORCE_SEARCH_RECORDS_ANY", Map.of("recordType", "Contact", "filterFormula", "LastName = 'Number 1'"))).hasSize(1);
        salesforce.reset();
        JsonNode refused = TestServer.expect(run(bob, "SALESFORCE_SEARCH_RECORDS_CONTACT", Map.of("sortBy", "Name; DELETE")), 400);
        assertThat(refused.get("message").asString()).contains("sortBy");
        assertThat(salesforce.received()).isEmpty();
    }

    @Test
    void noFilterValueCanBreakOutOfItsLiteral() {
        List<String> attacks = List.of("x' OR LastName != 'y", "\\' OR Id != null OR LastName = \\'", "ends with a backslash\\", "50%_off",
                "line\nbreak", "tab\tand \"quotes\"");
        for (String attack : attacks) {
            salesforce.add("Contact", Json.object().put("LastName", attack));
        }
        for (String attack : attacks) {
            List<JsonNode> exact = allPages(bob, "SALESFORCE_SEARCH_RECORDS_CONTACT", Map.of("filterFormula",
                    Map.of("field", "LastName", "operator", "$stringExactlyMatches", "value", attack)));
            assertThat(exact).as(attack).extracting(r -> r.get("LastName").asString()).containsExactly(attack);
            List<JsonNode> contains = allPages(bob, "SALESFORCE_SEARCH_RECORDS_CONTACT", Map.of("filterFormula",
                    Map.of("field", "LastName", "operator", "$stringContains", "value", attack)));
            assertThat(contains).as(attack).extracting(r -> r.get("LastName").asString()).containsExactly(attack);
        }
        JsonNode badField = TestServer.expect(run(bob, "SALESFORCE_SEARCH_RECORDS_CONTACT", Map.of("filterFormula",
                Map.of("field", "LastName != null OR Id", "operator", "$exists"))), 400);
        assertThat(badField.get("message").asString()).contains("parameters.filterFormula.field");
        JsonNode badNumber = TestServer.expect(run(bob, "SALESFORCE_SEARCH_RECORDS_ACCOUNT", Map.of("filterFormula",
                Map.of("field", "NumberOfEmployees", "operator", "$numberGreaterThan", "value", "1 OR Name != null"))), 400);
        assertThat(badNumber.get("message").asString()).contains("not a number");
    }

    @Test
    void aSoqlQueryAndAListViewPageByTheirLocator() {
        List<JsonNode> all = allPages(alice, "SALESFORCE_WRITE_SOQL_QUERY", Map.of("query", "SELECT Id, LastName FROM Contact"));
        assertThat(all).extracting(r -> r.get("Id").asString()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(salesforce.records("Contact").keySet());

        String view = salesforce.listView("Contact", "SELECT Id, LastName, LeadSource FROM Contact WHERE LeadSource = 'Web' ORDER BY LastName ASC NULLS FIRST");
        List<JsonNode> web = allPages(alice, "SALESFORCE_GET_RECORD_BY_VIEW_ID_CONTACT", Map.of("listViewId", view));
        assertThat(web).isNotEmpty().allMatch(r -> r.get("LeadSource").asString().equals("Web"));
        assertThat(salesforce.received("GET", "/services/data/v62.0/sobjects/Contact/listviews/" + view + "/describe")).hasSize(1);

        JsonNode malformed = TestServer.expect(run(alice, "SALESFORCE_WRITE_SOQL_QUERY", Map.of("query", "SELECT Id FROM Contact WHERE")), 400);
        assertThat(malformed.get("message").asString()).contains("MALFORMED_QUERY");
        JsonNode forged = TestServer.expect(run(alice, "SALESFORCE_WRITE_SOQL_QUERY", Map.of("query", "SELECT Id FROM Contact",
                "paginationParameters", Map.of("pageCursor", "../../sobjects/Contact/describe"))), 400);
        assertThat(forged.toString()).contains("INVALID_QUERY_LOCATOR");
    }

    @Test
    void recordsAreWrittenWithActionKitsNamesAndDefaults() {
        JsonNode opportunity = TestServer.expect(run(alice, "SALESFORCE_CREATE_RECORD_OPPORTUNITY", Map.of("Name", "Acme renewal", "StageName", "Prospecting", "Amount", 1200.5)), 200);
        JsonNode sent = salesforce.received("POST", "/services/data/v62.0/sobjects/Opportunity").get(0).json();
        assertThat(sent.get("CloseDate").asString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        String id = opportunity.get("id").asString();
        TestServer.expect(run(alice, "SALESFORCE_UPDATE_RECORD_OPPORTUNITY", Map.of("recordId", id, "StageName", "Closed Won")), 200);
        assertThat(TestServer.expect(run(alice, "SALESFORCE_GET_RECORD_BY_ID_OPPORTUNITY", Map.of("recordId", id)), 200).get("StageName").asString())
                .isEqualTo("Closed Won");

        TestServer.expect(run(alice, "SALESFORCE_CREATE_RECORD_TASK", Map.of("subject", "Call Ada", "taskSubtype", "call", "whoId", "003000000000001AAA")), 200);
        JsonNode task = salesforce.received("POST", "/services/data/v62.0/sobjects/Task").get(0).json();
        assertThat(task.get("TaskSubtype").asString()).isEqualTo("Call");
        assertThat(task.get("Subject").asString()).isEqualTo("Call Ada");

        String contact = salesforce.records("Contact").keySet().iterator().next();
        String campaign = salesforce.add("Campaign", Json.object().put("Name", "Launch")).get("Id").asString();
        TestServer.expect(run(alice, "SALESFORCE_ADD_TO_CAMPAIGN", Map.of("campaignId", campaign, "contactId", contact, "status", "Sent")), 200);
        assertThat(salesforce.records("CampaignMember").values()).anyMatch(m -> m.get("ContactId").asString().equals(contact));
        TestServer.expect(run(alice, "SALESFORCE_ADD_TO_CAMPAIGN", Map.of("campaignId", campaign)), 400);

        JsonNode upserted = TestServer.expect(run(alice, "SALESFORCE_UPSERT_RECORD_ANY", Map.of("recordType", "Account", "externalIdField", "Website",
                "externalIdValue", "acme.example", "Name", "Acme")), 200);
        assertThat(upserted.get("created").asBoolean()).isTrue();
        TestServer.expect(run(alice, "SALESFORCE_DELETE_RECORD_OPPORTUNITY", Map.of("recordId", id)), 200);
        JsonNode gone = TestServer.expect(run(alice, "SALESFORCE_GET_RECORD_BY_ID_ANY", Map.of("recordType", "Opportunity", "recordId", id)), 404);
        assertThat(gone.get("message").asString()).contains("NOT_FOUND");
    }

    @Test
    void customFieldsAndObjectsAreBuiltAsTheToolingApiTakesThem() {
        TestServer.expect(run(alice, "SALESFORCE_CREATE_CUSTOM_FIELD_CONTACT", Map.of("label", "Customer Tier (2026)", "type", "Number",
                "length", 16, "decimalPlace", 2, "helperText", "How much they buy")), 200);
        TestServer.expect(run(alice, "SALESFORCE_CREATE_CUSTOM_FIELD_ANY", Map.of("recordType", "Lead", "label", "Colour", "type", "Picklist",
                "pickListValues", "Red\nGreen\n\nBlue")), 200);
        TestServer.expect(run(alice, "SALESFORCE_CREATE_CUSTOM_OBJECT", Map.of("label", "Invoice", "pluralLabel", "Invoices", "recordName", "Invoice Number")), 200);

        JsonNode tier = salesforce.toolingCreated().get(0);
        assertThat(tier.get("FullName").asString()).isEqualTo("Contact.Customer_Tier_2026__c");
        assertThat(tier.at("/Metadata/precision").asInt()).isEqualTo(18);
        assertThat(tier.at("/Metadata/scale").asInt()).isEqualTo(2);
        assertThat(tier.at("/Metadata/inlineHelpText").asString()).isEqualTo("How much they buy");
        assertThat(salesforce.toolingCreated().get(1).at("/Metadata/valueSet/valueSetDefinition/value")).extracting(v -> v.get("fullName").asString())
                .containsExactly("Red", "Green", "Blue");
        assertThat(salesforce.toolingCreated().get(2).get("FullName").asString()).isEqualTo("Invoice__c");
        assertThat(salesforce.toolingCreated().get(2).at("/Metadata/nameField/label").asString()).isEqualTo("Invoice Number");

        JsonNode tooLong = TestServer.expect(run(alice, "SALESFORCE_CREATE_CUSTOM_FIELD_CONTACT", Map.of("label", "Big", "type", "Currency",
                "length", 17, "decimalPlace", 2)), 400);
        assertThat(tooLong.get("message").asString()).contains("parameters.length");
        JsonNode noLength = TestServer.expect(run(alice, "SALESFORCE_CREATE_CUSTOM_FIELD_CONTACT", Map.of("label", "Code", "type", "Text")), 400);
        assertThat(noLength.get("message").asString()).contains("length");
        assertThat(salesforce.toolingCreated()).hasSize(3);
    }

    @Test
    void salesforcesErrorsLimitsAndExpiredSessions() {
        JsonNode required = TestServer.expect(run(alice, "SALESFORCE_CREATE_RECORD_ANY", Map.of("recordType", "Lead", "LastName", "Lovelace")), 400);
        assertThat(required.get("message").asString()).contains("Company");
        salesforce.failNext("create", new VendorFake.VendorError(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Email must be a company address"));
        JsonNode custom = TestServer.expect(run(alice, "SALESFORCE_CREATE_RECORD_LEAD", Map.of("LastName", "Lovelace", "Company", "Analytical")), 400);
        assertThat(custom.get("message").asString()).contains("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        assertThat(custom.toString()).contains("Email must be a company address");

        salesforce.failNext("get", new VendorFake.RateLimited(0));
        String contact = salesforce.records("Contact").keySet().iterator().next();
        // Salesforce says "limit" with a 403, never 429: it is still waited out and tried again, once.
        TestServer.expect(run(alice, "SALESFORCE_GET_RECORD_BY_ID_CONTACT", Map.of("recordId", contact)), 200);
        assertThat(salesforce.received("GET", "/services/data/v62.0/sobjects/Contact/" + contact)).hasSize(2);

        int refreshes = Refreshes.callsAfterEachExpiry(server, project, salesforce, "salesforce", Map.of("api", salesforce.apiUrl()),
                "00D-expired", "salesforce-refresh", "SALESFORCE_GET_RECORD_BY_ID_CONTACT", Map.of("recordId", contact), 3);
        assertThat(refreshes).isEqualTo(3);
    }

    @Test
    void aLeadIsConvertedThroughSoapWithTheOrgsConvertedStatus() {
        String lead = salesforce.add("Lead", Json.object().put("LastName", "Byron").put("FirstName", "Ada").put("Company", "Analytical Engines"))
                .get("Id").asString();
        JsonNode converted = TestServer.expect(server.runAction(project, alice, "SALESFORCE_CONVERT_LEAD", Map.of("leadId", lead,
                "opportunityName", "Engines <Difference> & Co")), 200);
        assertThat(converted.get("success").asBoolean()).isTrue();
        String opportunity = converted.get("opportunityId").asString();
        assertThat(salesforce.records("Opportunity").get(opportunity).get("Name").asString()).isEqualTo("Engines <Difference> & Co");
        assertThat(salesforce.records("Account").get(converted.get("accountId").asString()).get("Name").asString()).isEqualTo("Analytical Engines");
        // The org's converted status was read first; the SOAP call carried the token as its session id.
        assertThat(salesforce.received("GET", "/services/data/v62.0/query").stream().map(r -> r.query().get("q")))
                .anyMatch(q -> q.contains("FROM LeadStatus WHERE IsConverted = true"));
        VendorFake.Received soap = salesforce.received("POST", "/services/Soap/u/62.0").get(0);
        assertThat(soap.headers().get("Content-Type")).startsWith("text/xml");
        assertThat(new String(soap.bytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("<urn:sessionId>00D-alice</urn:sessionId>")
                .contains("<urn:convertedStatus>Closed - Converted</urn:convertedStatus>").contains("Engines &lt;Difference&gt; &amp; Co");

        // Salesforce's refusals arrive as its REST errors do.
        JsonNode again = TestServer.expect(server.runAction(project, alice, "SALESFORCE_CONVERT_LEAD", Map.of("leadId", lead)), 400);
        assertThat(again.toString()).contains("CANNOT_UPDATE_CONVERTED_LEAD");
        String other = salesforce.add("Lead", Json.object().put("LastName", "Somerville").put("Company", "Tides")).get("Id").asString();
        JsonNode status = TestServer.expect(server.runAction(project, alice, "SALESFORCE_CONVERT_LEAD", Map.of("leadId", other,
                "convertedStatus", "Open - Not Contacted")), 400);
        assertThat(status.toString()).contains("INVALID_STATUS");
    }

    @Test
    void aSoapFaultForAnExpiredSessionRefreshesAndTheRetryCarriesTheNewToken() {
        VendorResponse fault = new dev.switchboard.integrations.salesforce.soap.SalesforceSoapProtocol().decode(new VendorResponse(500,
                Map.of("Content-Type", List.of("text/xml")), ("<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:sf=\"urn:fault.partner.soap.sforce.com\"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode>"
                + "<faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(fault.status()).isEqualTo(401);
        assertThat(fault.json().at("/0/errorCode").asString()).isEqualTo("INVALID_SESSION_ID");

        String lead = salesforce.add("Lead", Json.object().put("LastName", "Hopper").put("Company", "Navy")).get("Id").asString();
        int refreshes = Refreshes.callsAfterEachExpiry(server, project, salesforce, "salesforce", Map.of("api", salesforce.apiUrl()),
                "00D-soap-expired", "salesforce-soap-refresh", "SALESFORCE_CONVERT_LEAD_WITH_STATUS",
                Map.of("leadId", lead, "convertedStatus", "Closed - Converted"), 1);
        assertThat(refreshes).isEqualTo(1);
        List<VendorFake.Received> attempts = salesforce.received("POST", "/services/Soap/u/62.0");
        VendorFake.Received last = attempts.get(attempts.size() - 1);
        String token = last.headers().get("Authorization").substring("Bearer ".length());
        assertThat(token).isNotEqualTo("00D-soap-expired");
        assertThat(new String(last.bytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("<urn:sessionId>" + token + "</urn:sessionId>");
    }
}
