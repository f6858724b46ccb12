package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.fakes.AsanaFake;
import dev.switchboard.fakes.ConfluenceFake;
import dev.switchboard.fakes.DropboxSignFake;
import dev.switchboard.fakes.MailchimpFake;
import dev.switchboard.fakes.SageIntacctFake;
import dev.switchboard.fakes.ServiceNowFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.fakes.XeroFake;
import dev.switchboard.fakes.ZohoCrmFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The seed's integrations end to end, each against its vendor fake: page through a list action and check
 * every record arrives exactly once, run the write action and check what the vendor received, one vendor
 * error, one rate limit.
 */
class SeedIntegrationsTest {
    private static final String USER = "user-1";

    private static TestServer server;
    private static Project project;
    private static String token;
    private static final AsanaFake asana = new AsanaFake(12, 9);
    private static final ConfluenceFake confluence = new ConfluenceFake(30, 8);
    private static final MailchimpFake mailchimp = new MailchimpFake(23);
    private static final ZohoCrmFake zoho = new ZohoCrmFake(30);
    private static final DropboxSignFake dropboxSign = new DropboxSignFake(45);
    private static final ServiceNowFake serviceNow = new ServiceNowFake(26, Set.of(3, 4, 11, 25));
    private static final XeroFake xero = new XeroFake(10);
    private static final SageIntacctFake intacct = new SageIntacctFake(23);
    private static final List<VendorFake> fakes = List.of(asana, confluence, mailchimp, zoho, dropboxSign, serviceNow, xero, intacct);

    @BeforeAll
    static void start() {
        fakes.forEach(VendorFake::start);
        server = TestServer.start(TestDatabases.Kind.SQLITE, new VendorTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(4)));
        project = server.createProject("seed-integrations");
        token = Tokens.sign(project.privateKeyPem(), USER, c -> c);
        connect("asana", asana.apiUrl(), Map.of("accessToken", "asana-token"), asana);
        connect("confluence", confluence.apiUrlTemplate(), Map.of("accessToken", "atlassian-token",
                "providerData", Map.of("cloudId", ConfluenceFake.CLOUD_ID)), confluence);
        connect("mailchimp", mailchimp.apiUrlTemplate(), Map.of("apiKey", "0123456789abcdef0123456789abcdef-us19"), mailchimp);
        connect("zohocrm", zoho.apiUrl(), Map.of("accessToken", "1000.zoho-token"), zoho);
        connect("dropboxsign", dropboxSign.apiUrl(), Map.of("accessToken", "dropbox-sign-token"), dropboxSign);
        connect("servicenow", serviceNow.apiUrl(), Map.of("accessToken", "servicenow-token", "providerData", Map.of("instance", "dev12345")), serviceNow);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/sageintacct", Map.of("enabled", true,
                "clientId", SageIntacctFake.SENDER_ID, "clientSecret", SageIntacctFake.SENDER_PASSWORD, "urls", Map.of("api", intacct.endpoint()))), 200);
        server.importCredential(project.id(), USER, Map.of("integration", "sageintacct", "apiKey", "company-login-password",
                "providerData", Map.of("userId", SageIntacctFake.USER, "companyId", SageIntacctFake.COMPANY)));
        intacct.accept("company-login-password");
        connect("xero", xero.apiUrl(), Map.of("accessToken", "xero-token", "providerData", Map.of("tenantId", XeroFake.TENANT_ID)), xero);
    }

    private static void connect(String integration, String apiUrl, Map<String, Object> credential, VendorFake fake) {
        server.configureIntegration(project.id(), integration, apiUrl);
        Map<String, Object> body = new HashMap<>(credential);
        body.put("integration", integration);
        server.importCredential(project.id(), USER, body);
        fake.accept(credential.containsKey("apiKey") ? (String) credential.get("apiKey") : (String) credential.get("accessToken"));
    }

    @AfterAll
    static void stop() {
        server.close();
        fakes.forEach(VendorFake::close);
    }

    @BeforeEach
    void resetFakes() {
        fakes.forEach(VendorFake::reset);
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    /**
     * Pages through a list action, sending the previous answer's pageCursor on odd pages and its whole
     * nextPaginationParameters on even ones, as two kinds of client would.
     *
     * @return the records in the order delivered, and the number of pages
     */
    private static Paged pageThrough(String action, Map<String, Object> parameters, String recordsPointer) {
        List<JsonNode> records = new ArrayList<>();
        Map<String, Object> request = new HashMap<>(parameters);
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run(action, request), 200);
            pages++;
            page.at(recordsPointer).forEach(records::add);
            if (!page.has("pageCursor")) {
                assertThat(page.has("nextPaginationParameters")).isFalse();
                return new Paged(records, pages);
            }
            assertThat(page.get("pageCursor").isString()).as("pageCursor is always a string").isTrue();
            Object next = pages % 2 == 1 ? Map.of("pageCursor", page.get("pageCursor").asString())
                    : Http.plain(page.get("nextPaginationParameters"));
            request.put("paginationParameters", next);
            assertThat(pages).as("pagination must end").isLessThan(50);
        }
    }

    private record Paged(List<JsonNode> records, int pages) {
        List<String> ids(String field) {
            return records.stream().map(r -> r.get(field).asString()).toList();
        }
    }

    private static JsonNode expectIntegrationError(Answer answer, int status) {
        JsonNode body = TestServer.expect(answer, status);
        assertThat(body.at("/meta/isIntegrationError").asBoolean()).isTrue();
        assertThat(body.at("/meta/integrationStatus").asInt()).isPositive();
        return body;
    }

    @Nested
    class Asana {
        @Test
        void everyProjectArrivesExactlyOnceAcrossPages() {
            Paged paged = pageThrough("ASANA_GET_PROJECTS", Map.of("workspace", "1", "limit", 5), "/data");
            assertThat(paged.ids("gid")).containsExactlyElementsOf(asana.projects().stream().map(p -> p.get("gid").asString()).toList());
            assertThat(paged.pages()).isEqualTo(3);
            assertThat(asana.received("GET", "/api/1.0/projects").getLast().query()).containsEntry("limit", "5").containsKey("offset");
        }

        @Test
        void createTaskSendsAsanasDataEnvelope() {
            JsonNode created = TestServer.expect(run("ASANA_CREATE_TASK", Map.of("name", "Write docs", "project", "42",
                    "dueOnDate", "2026-12-24", "notes", "for the README")), 200);
            assertThat(created.at("/data/name").asString()).isEqualTo("Write docs");
            JsonNode sent = asana.received("POST", "/api/1.0/tasks").getLast().json();
            assertThat(sent.at("/data/name").asString()).isEqualTo("Write docs");
            assertThat(sent.at("/data/projects/0").asString()).isEqualTo("42");
            assertThat(sent.at("/data/due_on").asString()).isEqualTo("2026-12-24");
            assertThat(asana.received().getLast().headers().get("Authorization")).isEqualTo("Bearer asana-token");
        }

        @Test
        void asanaErrorPassesThroughWithItsMessage() {
            JsonNode body = expectIntegrationError(run("ASANA_GET_TASKS", Map.of("limit", 10)), 400);
            assertThat(body.get("message").asString()).contains("Must specify exactly one of project");
            assertThat(body.at("/meta/integrationResponse/errors/0/message").asString()).startsWith("Must specify");
        }

        @Test
        void rateLimitIsRetriedAfterRetryAfter() {
            asana.failNext("projects", new VendorFake.RateLimited(1));
            TestServer.expect(run("ASANA_GET_PROJECTS", Map.of("workspace", "1")), 200);
            assertThat(asana.received("GET", "/api/1.0/projects")).hasSize(2);
        }
    }

    @Nested
    class Confluence {
        @Test
        void everySpaceArrivesExactlyOnceWithTheCursorTakenFromLinksNext() {
            Paged paged = pageThrough("CONFLUENCE_SEARCH_SPACES", Map.of("limit", 10), "/results");
            assertThat(paged.ids("id")).containsExactlyElementsOf(confluence.spaces().stream().map(s -> s.get("id").asString()).toList());
            assertThat(paged.pages()).isEqualTo(3);
            List<VendorFake.Received> calls = confluence.received("GET", "/ex/confluence/" + ConfluenceFake.CLOUD_ID + "/wiki/api/v2/spaces");
            assertThat(calls).hasSize(3);
            assertThat(calls.get(1).query().get("cursor")).isNotBlank().doesNotContain("/");
        }

        @Test
        void createPageSendsStorageBodyToTheAccountsCloud() {
            JsonNode page = TestServer.expect(run("CONFLUENCE_CREATE_PAGE", Map.of("spaceId", "1002", "title", "Runbook",
                    "content", "<p>Restart it.</p>", "parentId", "98001")), 200);
            assertThat(page.get("title").asString()).isEqualTo("Runbook");
            JsonNode sent = confluence.received("POST", "/ex/confluence/" + ConfluenceFake.CLOUD_ID + "/wiki/api/v2/pages").getLast().json();
            assertThat(sent.get("spaceId").asString()).isEqualTo("1002");
            assertThat(sent.at("/body/representation").asString()).isEqualTo("storage");
            assertThat(sent.at("/body/value").asString()).isEqualTo("<p>Restart it.</p>");
            assertThat(sent.get("parentId").asString()).isEqualTo("98001");
        }

        @Test
        void updatePageReadsTheVersionFirstAndSendsTheNextOneKeepingTheTitle() {
            String id = confluence.pages().get(2).get("id").asString();
            String pages = "/ex/confluence/" + ConfluenceFake.CLOUD_ID + "/wiki/api/v2/pages/" + id;

            JsonNode first = TestServer.expect(run("CONFLUENCE_UPDATE_PAGE", Map.of("pageId", id, "content", "<p>v2</p>", "versionMessage", "fix")), 200);
            JsonNode second = TestServer.expect(run("CONFLUENCE_UPDATE_PAGE", Map.of("pageId", id, "content", "<p>v3</p>", "title", "Renamed")), 200);

            assertThat(first.at("/version/number").asInt()).isEqualTo(2);
            assertThat(second.at("/version/number").asInt()).isEqualTo(3);
            List<VendorFake.Received> sent = confluence.received("PUT", pages);
            assertThat(sent.get(0).json().get("title").asString()).isEqualTo("Page 3");
            assertThat(sent.get(0).json().get("id").asString()).isEqualTo(id);
            assertThat(sent.get(0).json().at("/version/message").asString()).isEqualTo("fix");
            assertThat(sent.get(1).json().get("title").asString()).isEqualTo("Renamed");
            assertThat(confluence.received("GET", pages)).hasSize(2);
            assertThat(confluence.pages().get(2).at("/body/storage/value").asString()).isEqualTo("<p>v3</p>");
        }

        @Test
        void aPageSavedElsewhereBetweenTheReadAndTheWriteIsAConflictAndNothingIsWritten() {
            String id = confluence.pages().get(4).get("id").asString();
            // The fake answers the read, then someone saves the page before the write arrives.
            confluence.onNext("getPage", () -> confluence.editElsewhere(id));

            JsonNode body = expectIntegrationError(run("CONFLUENCE_UPDATE_PAGE", Map.of("pageId", id, "content", "<p>lost?</p>")), 409);

            assertThat(body.get("message").asString()).contains("CONFLICT");
            assertThat(confluence.pages().get(4).at("/body/storage/value").asString()).isEqualTo("<p>5</p>");
            assertThat(expectIntegrationError(run("CONFLUENCE_UPDATE_PAGE", Map.of("pageId", "1", "content", "<p/>")), 404)
                    .get("message").asString()).contains("NOT_FOUND");
        }

        @Test
        void missingSpaceIsA404IntegrationError() {
            JsonNode body = expectIntegrationError(run("CONFLUENCE_CREATE_PAGE", Map.of("spaceId", "999", "title", "x", "content", "<p/>")), 404);
            assertThat(body.get("message").asString()).contains("NOT_FOUND");
        }

        @Test
        void rateLimitIsRetried() {
            confluence.failNext("pages", new VendorFake.RateLimited(1));
            JsonNode pages = TestServer.expect(run("CONFLUENCE_GET_PAGES_IN_SPACE", Map.of("spaceId", "1001")), 200);
            assertThat(pages.get("results")).hasSize(8);
        }
    }

    @Nested
    class Mailchimp {
        @Test
        void everyAudienceArrivesExactlyOnceByOffset() {
            Paged paged = pageThrough("MAILCHIMP_SEARCH_LISTS", Map.of("count", 5), "/lists");
            assertThat(paged.ids("id")).containsExactlyElementsOf(mailchimp.lists().stream().map(l -> l.get("id").asString()).toList());
            assertThat(paged.pages()).isEqualTo(5);
            assertThat(mailchimp.received("GET", "/us19/3.0/lists").get(2).query()).containsEntry("offset", "10").containsEntry("count", "5");
            assertThat(mailchimp.dataCenters()).as("the data center comes from the API key's suffix").containsOnly("us19");
        }

        @Test
        void addMemberSendsTheContactWithBasicAuth() {
            String listId = mailchimp.lists().get(0).get("id").asString();
            JsonNode member = TestServer.expect(run("MAILCHIMP_ADD_CONTACT_TO_LIST", Map.of("listId", listId,
                    "emailAddress", "Ada@Example.com", "status", "subscribed", "mergeFields", Map.of("FNAME", "Ada"))), 200);
            assertThat(member.get("status").asString()).isEqualTo("subscribed");
            VendorFake.Received sent = mailchimp.received("POST", "/us19/3.0/lists/" + listId + "/members").getLast();
            assertThat(sent.json().get("email_address").asString()).isEqualTo("Ada@Example.com");
            assertThat(sent.json().at("/merge_fields/FNAME").asString()).isEqualTo("Ada");
            assertThat(sent.headers().get("Authorization")).startsWith("Basic ");
        }

        @Test
        void problemDetailErrorsPassThrough() {
            JsonNode body = expectIntegrationError(run("MAILCHIMP_ADD_CONTACT_TO_LIST", Map.of("listId", "nope",
                    "emailAddress", "a@b.co", "status", "pending")), 404);
            assertThat(body.get("message").asString()).contains("Resource Not Found");
            assertThat(body.at("/meta/integrationResponse/detail").asString()).contains("could not be found");
        }

        @Test
        void rateLimitWithoutRetryAfterIsRetriedWithBackoff() {
            mailchimp.failNext("lists", new VendorFake.RateLimited(0));
            TestServer.expect(run("MAILCHIMP_SEARCH_LISTS", Map.of()), 200);
            assertThat(mailchimp.received("GET", "/us19/3.0/lists")).hasSize(2);
        }
    }

    @Nested
    class ZohoCrm {
        @Test
        void everyLeadArrivesExactlyOnceByOffsetOverZohoPages() {
            Paged paged = pageThrough("ZOHO_CRM_GET_RECORDS", Map.of("module", "Leads", "fields", "Last_Name,Email", "perPage", 7), "/data");
            assertThat(paged.ids("id")).containsExactlyElementsOf(zoho.module("Leads").stream().map(l -> l.get("id").asString()).toList());
            assertThat(paged.pages()).isEqualTo(5);
            assertThat(zoho.received().getLast().query()).containsEntry("page", "5").containsEntry("per_page", "7");
            assertThat(zoho.received().getLast().headers().get("Authorization")).isEqualTo("Zoho-oauthtoken 1000.zoho-token");
        }

        @Test
        void anOffsetBetweenPagesStartsMidPageWithoutRepeats() {
            JsonNode page = TestServer.expect(run("ZOHO_CRM_GET_RECORDS", Map.of("module", "Leads", "fields", "Last_Name", "perPage", 7,
                    "paginationParameters", Map.of("offset", 10))), 200);
            List<String> expected = zoho.module("Leads").subList(10, 14).stream().map(l -> l.get("id").asString()).toList();
            assertThat(page.get("data")).extracting(r -> r.get("id").asString()).containsExactlyElementsOf(expected);
            assertThat(page.at("/nextPaginationParameters/offset").asInt()).isEqualTo(14);
        }

        @Test
        void createRecordSendsZohosDataArray() {
            JsonNode created = TestServer.expect(run("ZOHO_CRM_CREATE_RECORD_ANY", Map.of("recordType", "Contacts",
                    "Last_Name", "Lovelace", "Email", "ada@example.com")), 200);
            assertThat(created.at("/data/0/code").asString()).isEqualTo("SUCCESS");
            JsonNode sent = zoho.received("POST", "/crm/v8/Contacts").getLast().json();
            assertThat(sent.at("/data/0/Last_Name").asString()).isEqualTo("Lovelace");
            assertThat(zoho.module("Contacts")).hasSize(1);
        }

        @Test
        void zohoErrorCodePassesThrough() {
            JsonNode body = expectIntegrationError(run("ZOHO_CRM_GET_RECORDS", Map.of("module", "Nope", "fields", "id")), 400);
            assertThat(body.get("message").asString()).contains("INVALID_MODULE");
        }

        @Test
        void rateLimitIsRetriedAndAnExpiredTokenIsACredentialProblem() {
            zoho.failNext("records", new VendorFake.RateLimited(0));
            TestServer.expect(run("ZOHO_CRM_GET_RECORDS", Map.of("module", "Leads", "fields", "Email", "perPage", 200)), 200);
            assertThat(zoho.received()).hasSize(2);

            String other = Tokens.sign(project.privateKeyPem(), "zoho-expired", c -> c);
            server.importCredential(project.id(), "zoho-expired", Map.of("integration", "zohocrm", "accessToken", "1000.expired"));
            Answer answer = server.runAction(project, other, "ZOHO_CRM_GET_RECORDS", Map.of("module", "Leads", "fields", "Email"));
            assertThat(TestServer.expect(answer, 424).get("message").asString()).contains("INVALID_TOKEN");
        }
    }

    @Nested
    class DropboxSign {
        @Test
        void everySignatureRequestArrivesExactlyOnceByPage() {
            Paged paged = pageThrough("DROPBOX_SIGN_SEARCH_SIGNATURE_REQUESTS", Map.of(), "/signature_requests");
            assertThat(paged.ids("signature_request_id"))
                    .containsExactlyElementsOf(dropboxSign.requests().stream().map(r -> r.get("signature_request_id").asString()).toList());
            assertThat(paged.pages()).isEqualTo(3);
        }

        @Test
        void sendSignatureRequestSendsSignersAndFiles() {
            JsonNode sent = TestServer.expect(run("DROPBOX_SIGN_CREATE_AND_SEND_SIGNATURE_REQUEST", Map.of("fileUrls", List.of("https://example.com/nda.pdf"),
                    "signers", List.of(Map.of("email_address", "ada@example.com", "name", "Ada")), "title", "NDA", "testMode", true)), 200);
            assertThat(sent.at("/signature_request/title").asString()).isEqualTo("NDA");
            JsonNode received = dropboxSign.received("POST", "/v3/signature_request/send").getLast().json();
            assertThat(received.at("/file_urls/0").asString()).isEqualTo("https://example.com/nda.pdf");
            assertThat(received.at("/signers/0/email_address").asString()).isEqualTo("ada@example.com");
            assertThat(received.get("test_mode").asBoolean()).isTrue();
        }

        @Test
        void vendorErrorPassesThroughAndSignerTyposAreCaughtFirst() {
            dropboxSign.failNext("send", new VendorFake.VendorError(400, "bad_request", "Invalid file url"));
            JsonNode body = expectIntegrationError(run("DROPBOX_SIGN_CREATE_AND_SEND_SIGNATURE_REQUEST", Map.of("fileUrls", List.of("https://example.com/x.pdf"),
                    "signers", List.of(Map.of("email_address", "a@b.co", "name", "A")))), 400);
            assertThat(body.get("message").asString()).contains("bad_request");

            JsonNode typo = TestServer.expect(run("DROPBOX_SIGN_CREATE_AND_SEND_SIGNATURE_REQUEST", Map.of("fileUrls", List.of("https://example.com/x.pdf"),
                    "signers", List.of(Map.of("email", "a@b.co", "name", "A")))), 400);
            assertThat(typo.get("message").asString()).contains("parameters.signers[0].email: unknown parameter; did you mean 'email_address'?");
        }

        @Test
        void rateLimitResetHeaderIsHonoured() {
            dropboxSign.failNext("list", new VendorFake.RateLimited(1));
            TestServer.expect(run("DROPBOX_SIGN_SEARCH_SIGNATURE_REQUESTS", Map.of("pageSize", 100)), 200);
            assertThat(dropboxSign.received("GET", "/v3/signature_request/list")).hasSize(2);
        }
    }

    @Nested
    class ServiceNow {
        @Test
        void everyVisibleIncidentArrivesExactlyOnceThoughPagesAreShort() {
            Paged paged = pageThrough("SERVICENOW_SEARCH_RECORDS", Map.of("tableName", "incident", "limit", 5), "/result");
            List<String> visible = IntStream.range(0, serviceNow.table("incident").size())
                    .filter(i -> !serviceNow.hiddenByAcl().contains(i))
                    .mapToObj(i -> serviceNow.table("incident").get(i).get("sys_id").asString()).toList();
            assertThat(paged.ids("sys_id")).containsExactlyElementsOf(visible);
            assertThat(paged.pages()).isEqualTo(6);
            assertThat(serviceNow.received().getLast().query()).containsEntry("sysparm_offset", "25").containsEntry("sysparm_limit", "5");
        }

        @Test
        void createRecordSendsTheFieldsAsTheBody() {
            JsonNode created = TestServer.expect(run("SERVICENOW_CREATE_RECORD", Map.of("tableName", "incident",
                    "fields", Map.of("short_description", "Printer on fire", "urgency", "1"))), 200);
            assertThat(created.at("/result/sys_id").asString()).isNotBlank();
            JsonNode sent = serviceNow.received("POST", "/api/now/table/incident").getLast().json();
            assertThat(sent.get("short_description").asString()).isEqualTo("Printer on fire");
            assertThat(sent.has("fields")).isFalse();
        }

        @Test
        void createTicketSendsServiceNowsColumnNames() {
            JsonNode created = TestServer.expect(run("SERVICENOW_CREATE_TICKET", Map.of("shortDescription", "VPN down",
                    "callerId", "6816f79cc0a8016401c5a33be04be441", "urgency", "1", "additionalFields", Map.of("u_customer_ref", "A-17"))), 200);
            assertThat(created.at("/result/number").asString()).startsWith("INC");
            JsonNode sent = serviceNow.received("POST", "/api/now/table/incident").getLast().json();
            assertThat(sent.get("short_description").asString()).isEqualTo("VPN down");
            assertThat(sent.get("caller_id").asString()).isEqualTo("6816f79cc0a8016401c5a33be04be441");
            assertThat(sent.get("urgency").asString()).isEqualTo("1");
            assertThat(sent.get("u_customer_ref").asString()).as("additionalFields go to the body's top level").isEqualTo("A-17");
        }

        @Test
        void aTicketIsReadUpdatedCommentedAndDeletedBySysId() {
            String sysId = serviceNow.table("incident").get(0).get("sys_id").asString();
            JsonNode read = TestServer.expect(run("SERVICENOW_GET_TICKET_BY_ID", Map.of("ticketId", sysId, "fields", "number,state")), 200);
            assertThat(read.at("/result/sys_id").asString()).isEqualTo(sysId);
            assertThat(serviceNow.received().getLast().query()).containsEntry("sysparm_fields", "number,state");

            JsonNode updated = TestServer.expect(run("SERVICENOW_UPDATE_TICKET", Map.of("ticketId", sysId, "state", "6",
                    "closeCode", "Solved (Permanently)", "closeNotes", "Rebooted")), 200);
            assertThat(updated.at("/result/state").asString()).isEqualTo("6");
            JsonNode patch = serviceNow.received("PATCH", "/api/now/table/incident/" + sysId).getLast().json();
            assertThat(patch.get("close_code").asString()).isEqualTo("Solved (Permanently)");
            assertThat(patch.get("close_notes").asString()).isEqualTo("Rebooted");

            TestServer.expect(run("SERVICENOW_ADD_COMMENT_TO_TICKET", Map.of("ticketId", sysId, "workNote", "checked the logs")), 200);
            assertThat(serviceNow.received("PATCH", "/api/now/table/incident/" + sysId).getLast().json().get("work_notes").asString())
                    .isEqualTo("checked the logs");

            TestServer.expect(run("SERVICENOW_DELETE_TICKET", Map.of("ticketId", sysId)), 200);
            JsonNode gone = expectIntegrationError(run("SERVICENOW_GET_TICKET_BY_ID", Map.of("ticketId", sysId)), 404);
            assertThat(gone.get("message").asString()).contains("No Record found");
        }

        @Test
        void everyServiceNowActionIsAnsweredByTheFake() {
            String sysId = serviceNow.table("incident").get(1).get("sys_id").asString();
            Map<String, Map<String, Object>> inputs = Map.ofEntries(
                    Map.entry("SERVICENOW_CREATE_TICKET", Map.of("shortDescription", "x")),
                    Map.entry("SERVICENOW_UPDATE_TICKET", Map.of("ticketId", sysId, "urgency", "2")),
                    Map.entry("SERVICENOW_GET_TICKETS", Map.of("query", "active=true^ORDERBYnumber", "limit", 3)),
                    Map.entry("SERVICENOW_GET_TICKET_BY_ID", Map.of("ticketId", sysId)),
                    Map.entry("SERVICENOW_SEARCH_RECORDS", Map.of("tableName", "incident")),
                    Map.entry("SERVICENOW_ADD_COMMENT_TO_TICKET", Map.of("ticketId", sysId, "comment", "on it")),
                    Map.entry("SERVICENOW_CREATE_RECORD", Map.of("tableName", "incident", "fields", Map.of("short_description", "y"))),
                    Map.entry("SERVICENOW_UPDATE_RECORD", Map.of("tableName", "incident", "recordId", sysId, "fields", Map.of("impact", "3"))),
                    Map.entry("SERVICENOW_CREATE_CHANGE_REQUEST", Map.of("shortDescription", "Patch the VPN")),
                    Map.entry("SERVICENOW_SEARCH_USERS", Map.of("query", "active=true")),
                    Map.entry("SERVICENOW_SEARCH_KNOWLEDGE_ARTICLES", Map.of("query", "short_descriptionLIKEvpn")),
                    Map.entry("SERVICENOW_DELETE_TICKET", Map.of("ticketId", sysId)));
            IntegrationCatalog catalog = IntegrationCatalog.load(java.nio.file.Path.of("none"));
            assertThat(inputs.keySet()).as("every ServiceNow action is run here").containsExactlyInAnyOrderElementsOf(
                    catalog.actionsOf("servicenow").stream().map(a -> a.name()).toList());
            catalog.actionsOf("servicenow").stream().map(a -> a.name()).filter(n -> !n.equals("SERVICENOW_DELETE_TICKET"))
                    .forEach(name -> assertThat(run(name, inputs.get(name)).status()).as(name).isEqualTo(200));
            assertThat(run("SERVICENOW_DELETE_TICKET", inputs.get("SERVICENOW_DELETE_TICKET")).status()).isEqualTo(200);
        }

        @Test
        void unknownTableIsA400IntegrationError() {
            JsonNode body = expectIntegrationError(run("SERVICENOW_SEARCH_RECORDS", Map.of("tableName", "nope")), 400);
            assertThat(body.get("message").asString()).contains("Invalid table nope");
        }

        @Test
        void rateLimitIsRetried() {
            serviceNow.failNext("create", new VendorFake.RateLimited(1));
            TestServer.expect(run("SERVICENOW_CREATE_RECORD", Map.of("tableName", "incident", "fields", Map.of("short_description", "x"))), 200);
            assertThat(serviceNow.received("POST", "/api/now/table/incident")).as("a 429 is safe to repeat even for a write").hasSize(2);
        }
    }

    @Nested
    class Xero {
        @Test
        void everyInvoiceArrivesExactlyOnceByPage() {
            Paged paged = pageThrough("XERO_GET_INVOICES", Map.of("pageSize", 4), "/Invoices");
            assertThat(paged.ids("InvoiceID")).containsExactlyElementsOf(xero.invoices().stream().map(i -> i.get("InvoiceID").asString()).toList());
            assertThat(paged.pages()).isEqualTo(3);
            assertThat(xero.received().getLast().headers().get("xero-tenant-id")).isEqualTo(XeroFake.TENANT_ID);
        }

        @Test
        void createContactSendsXerosContactsArray() {
            JsonNode created = TestServer.expect(run("XERO_CREATE_CUSTOMER", Map.of("name", "Acme Ltd", "emailAddress", "ap@acme.example")), 200);
            assertThat(created.at("/Contacts/0/ContactStatus").asString()).isEqualTo("ACTIVE");
            JsonNode sent = xero.received("PUT", "/api.xro/2.0/Contacts").getLast().json();
            assertThat(sent.at("/Contacts/0/Name").asString()).isEqualTo("Acme Ltd");
            assertThat(sent.at("/Contacts/0/EmailAddress").asString()).isEqualTo("ap@acme.example");
        }

        @Test
        void validationErrorPassesThrough() {
            TestServer.expect(run("XERO_CREATE_CUSTOMER", Map.of("name", "Twice")), 200);
            JsonNode body = expectIntegrationError(run("XERO_CREATE_CUSTOMER", Map.of("name", "Twice")), 400);
            assertThat(body.at("/meta/integrationResponse/Elements/0/ValidationErrors/0/Message").asString()).contains("already assigned");
        }

        @Test
        void rateLimitIsRetriedAndAnExpiredTokenIsACredentialProblem() {
            xero.failNext("invoices", new VendorFake.RateLimited(1));
            TestServer.expect(run("XERO_GET_INVOICES", Map.of()), 200);
            assertThat(xero.received("GET", "/api.xro/2.0/Invoices")).hasSize(2);

            String other = Tokens.sign(project.privateKeyPem(), "xero-expired", c -> c);
            server.importCredential(project.id(), "xero-expired", Map.of("integration", "xero", "accessToken", "expired",
                    "providerData", Map.of("tenantId", XeroFake.TENANT_ID)));
            Answer answer = server.runAction(project, other, "XERO_GET_INVOICES", Map.of());
            JsonNode body = TestServer.expect(answer, 424);
            assertThat(body.get("message").asString()).contains("TokenExpired");
        }
    }

    @Nested
    class SageIntacct {
        @Test
        void everyVendorArrivesExactlyOnceThroughResultIds() {
            Paged paged = pageThrough("SAGE_INTACCT_SEARCH_VENDORS", Map.of("pageSize", 10), "/data");
            assertThat(paged.ids("VENDORID")).containsExactlyElementsOf(intacct.object("VENDOR").stream().map(v -> v.get("VENDORID")).toList());
            assertThat(paged.records().get(1).get("NAME").asString()).as("XML escapes round-trip").isEqualTo("Vendor 2 & Sons <Ltd>");
            assertThat(paged.pages()).isEqualTo(3);
            List<VendorFake.Received> calls = intacct.received("POST", "/ia/xml/xmlgw.phtml");
            assertThat(calls.get(0).body()).contains("<readByQuery><object>VENDOR</object>").contains("<pagesize>10</pagesize>");
            assertThat(calls.get(1).body()).contains("<readMore><resultId>");
            assertThat(calls.get(0).body()).contains("<senderid>" + SageIntacctFake.SENDER_ID + "</senderid>")
                    .contains("<userid>" + SageIntacctFake.USER + "</userid>");
        }

        @Test
        void offsetArithmeticIsRefusedWithAReason() {
            JsonNode body = TestServer.expect(run("SAGE_INTACCT_SEARCH_VENDORS", Map.of("paginationParameters", Map.of("offset", 10))), 400);
            assertThat(body.get("message").asString()).contains("pageCursor");
        }

        @Test
        void createVendorSendsTheRecordAsXml() {
            JsonNode created = TestServer.expect(run("SAGE_INTACCT_CREATE_VENDOR", Map.of("name", "SaaS Corp <EU>",
                    "printAs", "SaaS Corporation", "email", "ap@saas.example")), 200);
            assertThat(created.get("ok").asBoolean()).isTrue();
            assertThat(created.at("/data/0/RECORDNO").asString()).isEqualTo("24");
            String sent = intacct.received("POST", "/ia/xml/xmlgw.phtml").getLast().body();
            assertThat(sent).contains("<create><VENDOR><NAME>SaaS Corp &lt;EU&gt;</NAME><DISPLAYCONTACT><PRINTAS>SaaS Corporation</PRINTAS>"
                    + "<EMAIL1>ap@saas.example</EMAIL1></DISPLAYCONTACT></VENDOR></create>");
            assertThat(intacct.object("VENDOR").getLast()).containsEntry("NAME", "SaaS Corp <EU>").containsEntry("DISPLAYCONTACT.EMAIL1", "ap@saas.example");
        }

        @Test
        void aVendorIsReadUpdatedAndDeletedByRecordNumber() {
            JsonNode read = TestServer.expect(run("SAGE_INTACCT_GET_VENDOR_BY_ID", Map.of("recordNumber", "3")), 200);
            assertThat(read.at("/data/0/VENDORID").asString()).isEqualTo("V0003");
            assertThat(intacct.received().getLast().body()).contains("<read><object>VENDOR</object><keys>3</keys><fields>*</fields></read>");

            TestServer.expect(run("SAGE_INTACCT_UPDATE_VENDOR", Map.of("recordNumber", "3", "name", "Renamed Ltd", "email", "ap@renamed.example")), 200);
            assertThat(intacct.received().getLast().body()).contains("<update><VENDOR><RECORDNO>3</RECORDNO>").contains("<NAME>Renamed Ltd</NAME>");
            assertThat(intacct.object("VENDOR").get(2)).containsEntry("NAME", "Renamed Ltd");

            TestServer.expect(run("SAGE_INTACCT_DELETE_VENDOR", Map.of("recordNumber", "3")), 200);
            assertThat(intacct.received().getLast().body()).contains("<delete><object>VENDOR</object><keys>3</keys></delete>");
            JsonNode again = expectIntegrationError(run("SAGE_INTACCT_DELETE_VENDOR", Map.of("recordNumber", "3")), 400);
            assertThat(again.get("message").asString()).contains("BL01001973");
        }

        @Test
        void actionKitsPageSizeInsidePaginationParametersIsTaken() {
            TestServer.expect(run("SAGE_INTACCT_SEARCH_VENDOR_TYPES", Map.of("paginationParameters", Map.of("pageSize", 25))), 200);
            assertThat(intacct.received().getLast().body()).contains("<object>VENDTYPE</object>").contains("<pagesize>25</pagesize>");
            JsonNode dimensions = TestServer.expect(run("SAGE_INTACCT_GET_DIMENSIONS", Map.of()), 200);
            assertThat(dimensions.at("/data/0/objectName").asString()).isEqualTo("DEPARTMENT");
        }

        @Test
        void resultFailureInsideHttp200IsA400() {
            intacct.failNext("gateway", new VendorFake.VendorError(200, "DL02000001", "Object definition VENDOR2 not found"));
            JsonNode body = expectIntegrationError(run("SAGE_INTACCT_SEARCH_CUSTOMERS", Map.of()), 400);
            assertThat(body.get("message").asString()).contains("DL02000001");
            assertThat(body.at("/meta/integrationResponse/errorMessage").asString()).isEqualTo("Object definition VENDOR2 not found");
        }

        @Test
        void throttlingIsRetriedAndABadLoginIsACredentialProblem() {
            intacct.failNext("gateway", new VendorFake.RateLimited(0));
            TestServer.expect(run("SAGE_INTACCT_SEARCH_CUSTOMERS", Map.of()), 200);
            assertThat(intacct.received()).hasSize(2);

            String other = Tokens.sign(project.privateKeyPem(), "intacct-wrong", c -> c);
            server.importCredential(project.id(), "intacct-wrong", Map.of("integration", "sageintacct", "apiKey", "wrong-password",
                    "providerData", Map.of("userId", SageIntacctFake.USER, "companyId", SageIntacctFake.COMPANY)));
            JsonNode body = TestServer.expect(server.runAction(project, other, "SAGE_INTACCT_SEARCH_VENDORS", Map.of()), 424);
            assertThat(body.get("message").asString()).contains("XL03000006");
            assertThat(body.toString()).doesNotContain("wrong-password").doesNotContain(SageIntacctFake.SENDER_PASSWORD);
        }
    }

    @Nested
    class Listing {
        private static final Set<String> PARAGON_TYPES = Set.of("TEXT", "TEXTAREA", "NUMBER", "EMAIL", "URL", "BOOLEAN_INPUT", "ENUM", "FILE", "CODE");

        private JsonNode list(String query) {
            return TestServer.expect(server.user("GET", "/projects/" + project.id() + "/actions" + query, token, null, Map.of()), 200);
        }

        @Test
        void everyConnectedIntegrationIsListedAsFunctionSchemas() {
            JsonNode body = list("");
            assertThat(body.get("actions").propertyNames()).containsExactlyInAnyOrder(
                    "asana", "confluence", "mailchimp", "zohocrm", "dropboxsign", "servicenow", "xero", "sageintacct");
            assertThat(body.get("errors")).isEmpty();
            body.get("actions").properties().forEach(integration -> integration.getValue().forEach(tool -> {
                JsonNode function = tool.get("function");
                assertThat(function.get("name").asString()).matches("^[A-Z0-9_]{1,64}$");
                assertThat(function.get("description").asString()).isNotBlank();
                JsonNode parameters = function.get("parameters");
                assertThat(parameters.get("type").asString()).isEqualTo("object");
                assertThat(parameters.toString()).doesNotContain("$schema").doesNotContain("$ref");
            }));
        }

        @Test
        void paragonFormatGivesFormInputsForEveryAction() {
            JsonNode body = list("?format=paragon");
            int actions = 0;
            for (JsonNode integration : body.get("actions")) {
                for (JsonNode action : integration) {
                    actions++;
                    assertThat(action.get("title").asString()).isNotBlank();
                    for (JsonNode input : action.get("inputs")) {
                        assertThat(PARAGON_TYPES).contains(input.get("type").asString());
                        if (input.get("type").asString().equals("ENUM")) {
                            assertThat(input.get("values")).isNotEmpty();
                        }
                    }
                }
            }
            IntegrationCatalog catalog = IntegrationCatalog.load(java.nio.file.Path.of("none"));
            assertThat(actions).isEqualTo(body.get("actions").propertyNames().stream().mapToInt(k -> catalog.actionsOf(k).size()).sum());
            JsonNode addContact = java.util.stream.StreamSupport.stream(body.at("/actions/mailchimp").spliterator(), false)
                    .filter(a -> a.get("name").asString().equals("MAILCHIMP_ADD_CONTACT_TO_LIST")).findFirst().orElseThrow().get("inputs");
            assertThat(addContact.get(1).get("type").asString()).isEqualTo("EMAIL");
            assertThat(addContact.get(2).get("type").asString()).isEqualTo("ENUM");
        }

        @Test
        void categoryAndIntegrationFiltersNarrowTheList() {
            assertThat(list("?categories=crm").get("actions").propertyNames()).containsExactly("zohocrm");
            assertThat(list("?categories=accounting").get("actions").propertyNames()).containsExactlyInAnyOrder("xero", "sageintacct");
            assertThat(list("?integrations=asana,servicenow").get("actions").propertyNames()).containsExactlyInAnyOrder("asana", "servicenow");
            String stranger = Tokens.sign(project.privateKeyPem(), "nobody", c -> c);
            JsonNode none = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/actions", stranger, null, Map.of()), 200);
            assertThat(none.get("actions").size()).isZero();
        }
    }
}
