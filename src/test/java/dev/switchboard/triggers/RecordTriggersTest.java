package dev.switchboard.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.fakes.AsanaFake;
import dev.switchboard.fakes.BoxFake;
import dev.switchboard.fakes.ConfluenceFake;
import dev.switchboard.fakes.DropboxFake;
import dev.switchboard.fakes.GitHubFake;
import dev.switchboard.fakes.GmailFake;
import dev.switchboard.fakes.GoogleCalendarFake;
import dev.switchboard.fakes.GoogleDriveFake;
import dev.switchboard.fakes.HubSpotFake;
import dev.switchboard.fakes.IntercomFake;
import dev.switchboard.fakes.JiraFake;
import dev.switchboard.fakes.LinearFake;
import dev.switchboard.fakes.MailchimpFake;
import dev.switchboard.fakes.NotionFake;
import dev.switchboard.fakes.OutlookFake;
import dev.switchboard.fakes.SalesforceFake;
import dev.switchboard.fakes.TeamsFake;
import dev.switchboard.fakes.ServiceNowFake;
import dev.switchboard.fakes.XeroFake;
import dev.switchboard.fakes.ZendeskFake;
import dev.switchboard.fakes.ZohoCrmFake;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.WebhookReceiver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The polling triggers of the record-keeping integrations, each against its vendor's fake: the first poll notes what
 * exists and fires nothing; records made afterwards through the catalog's own actions fire once each, with the record
 * as the payload; a poll with nothing new fires nothing; an "updated" trigger fires again for each change of a record
 * (and for new ones). Polls are driven with the test's own instants, a minute apart.
 */
class RecordTriggersTest {
    private static TestServer server;
    private static WebhookReceiver receiver;
    private static Instant clock = Instant.now().plusSeconds(1_000_000);

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.TRIGGER_DELIVERY_INTERVAL_MS, "0"));
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    /** A project whose trigger webhook is the receiver, and a user's token. */
    private record User(TestServer.Project project, String token) {}

    private static TestServer.Project project(String name) {
        TestServer.Project project = server.createProject(name);
        receiver.secret(TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/trigger-webhook",
                Map.of("url", receiver.url())), 200).get("secret").asString());
        return project;
    }

    private static String subscribe(User user, String integration, String type, Map<String, Object> parameters) {
        return TestServer.expect(server.user("POST", "/projects/" + user.project().id() + "/trigger-subscriptions", user.token(),
                Map.of("integration", integration, "type", type, "parameters", parameters), Map.of()), 200).get("id").asString();
    }

    private static void unsubscribe(User user, String... subscriptions) {
        for (String subscription : subscriptions) {
            server.user("DELETE", "/projects/" + user.project().id() + "/trigger-subscriptions/" + subscription, user.token(), null, Map.of());
        }
    }

    /** Polls what is due a minute after the last poll; returns how many events were new. */
    private static int poll() {
        clock = clock.plusSeconds(61);
        return server.node().triggerPoller().pollDue(clock);
    }

    /** Delivers what is due and returns the records delivered to a subscription so far, each checked to be signed. */
    private static List<JsonNode> delivered(String subscription) {
        while (server.node().triggerDelivery().deliverDue(clock.plusSeconds(3600)) > 0) {
            // until nothing is due
        }
        List<JsonNode> records = new ArrayList<>();
        for (WebhookReceiver.Delivery delivery : receiver.deliveries()) {
            if (delivery.body().get("triggerSubscriptionId").asString().equals(subscription)) {
                assertThat(delivery.signedCorrectly()).isTrue();
                records.add(delivery.body().get("payload"));
            }
        }
        return records;
    }

    private static JsonNode run(User user, String action, Map<String, Object> parameters) {
        return TestServer.expect(server.runAction(user.project(), user.token(), action, parameters), 200);
    }

    @Test
    void zohoCrmNewAndChangedRecordsFireOnceEach() {
        ZohoCrmFake zoho = new ZohoCrmFake(3).start();
        try {
            TestServer.Project project = project("zoho-triggers");
            server.configureIntegration(project.id(), "zohocrm", zoho.apiUrl());
            User ada = new User(project, server.connect(project, zoho, "ada", "zohocrm", "1000.ada"));
            assertThat(server.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", ada.token(), Map.of("integration", "zohocrm",
                    "type", "ZOHO_CRM_TRIGGER_RECORD_UPDATED", "parameters", Map.of("recordType", "Leads", "fields", "Last_Name,Email")), Map.of())
                    .json().get("message").asString()).as("an updated trigger needs the modification time").contains("parameters.fields");
            String created = subscribe(ada, "zohocrm", "ZOHO_CRM_TRIGGER_RECORD_CREATED", Map.of("recordType", "Leads", "fields", "Last_Name,Email"));
            String updated = subscribe(ada, "zohocrm", "ZOHO_CRM_TRIGGER_RECORD_UPDATED", Map.of("recordType", "Leads", "fields", "Last_Name,Modified_Time"));
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                JsonNode answer = run(ada, "ZOHO_CRM_CREATE_RECORD_LEADS", Map.of("Last_Name", "New " + i));
                ids.add(answer.toString().replaceAll(".*\"id\":\"([0-9]+)\".*", "$1"));
            }
            assertThat(poll()).as("three new leads, for both subscriptions").isEqualTo(6);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("Last_Name").asString()).containsExactlyInAnyOrder("New 1", "New 2", "New 3");

            run(ada, "ZOHO_CRM_UPDATE_RECORD_LEADS", Map.of("recordId", ids.get(1), "Last_Name", "Renamed"));
            assertThat(poll()).as("one change, for the updated trigger only").isEqualTo(1);
            run(ada, "ZOHO_CRM_UPDATE_RECORD_LEADS", Map.of("recordId", ids.get(1), "Last_Name", "Renamed again"));
            assertThat(poll()).isEqualTo(1);
            assertThat(delivered(updated)).extracting(r -> r.get("Last_Name").asString())
                    .containsExactlyInAnyOrder("New 1", "New 2", "New 3", "Renamed", "Renamed again");
            assertThat(delivered(created)).hasSize(3);
            unsubscribe(ada, created, updated);
        } finally {
            zoho.close();
        }
    }

    /** The id in an action's answer ({"id": ...} somewhere in it). */
    private static String idIn(JsonNode answer) {
        return answer.findValue("id").asString();
    }

    @Test
    void salesforceNewAndChangedRecordsFireOnceEachFilteredAtTheVendorAcrossBatches() {
        SalesforceFake salesforce = new SalesforceFake(2).start();
        salesforce.batchSize(2); // SOQL's batches (2,000 in life): three new records take two
        try {
            TestServer.Project project = project("salesforce-triggers");
            server.configureIntegration(project.id(), "salesforce", salesforce.apiUrl());
            User ada = new User(project, server.connect(project, salesforce, "ada", "salesforce", "00D-ada"));
            String created = subscribe(ada, "salesforce", "SALESFORCE_TRIGGER_RECORD_CREATED",
                    Map.of("recordType", "Lead", "filterFormula", "Company = 'Acme'"));
            String updated = subscribe(ada, "salesforce", "SALESFORCE_TRIGGER_RECORD_UPDATED", Map.of("recordType", "Lead"));
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (String company : List.of("Acme", "Globex", "Acme")) {
                ids.add(idIn(run(ada, "SALESFORCE_CREATE_RECORD_LEAD", Map.of("LastName", "Lead of " + company + " " + ids.size(), "Company", company))));
            }
            assertThat(poll()).as("two new Acme leads, and three new leads for the updated trigger").isEqualTo(5);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("Id").asString()).containsExactlyInAnyOrder(ids.get(0), ids.get(2));

            run(ada, "SALESFORCE_UPDATE_RECORD_LEAD", Map.of("recordId", ids.get(1), "LastName", "Renamed"));
            assertThat(poll()).as("one change, for the updated trigger only").isEqualTo(1);
            List<JsonNode> changes = delivered(updated);
            assertThat(changes).extracting(r -> r.get("Id").asString()).containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(2), ids.get(1));
            assertThat(changes.getLast().get("LastName").asString()).isEqualTo("Renamed");
            unsubscribe(ada, created, updated);
        } finally {
            salesforce.close();
        }
    }

    @Test
    void hubspotNewRecordsOfEachTypeFireOnceFilteredAtTheVendor() {
        HubSpotFake hubspot = new HubSpotFake(3).start();
        try {
            TestServer.Project project = project("hubspot-triggers");
            server.configureIntegration(project.id(), "hubspot", hubspot.apiUrl());
            User ada = new User(project, server.connect(project, hubspot, "ada", "hubspot", "pat-ada"));
            String leads = subscribe(ada, "hubspot", "HUBSPOT_RECORD_CREATED", Map.of("recordType", "contacts", "properties", List.of("email"),
                    "filterFormula", Map.of("operator", "AND", "conditions", List.of(Map.of("field", "lifecyclestage", "operator", "$stringExactlyMatches", "value", "lead")))));
            String companies = subscribe(ada, "hubspot", "HUBSPOT_RECORD_CREATED", Map.of("recordType", "companies"));
            assertThat(poll()).as("the baseline").isZero();

            for (String stage : List.of("lead", "customer", "lead")) {
                run(ada, "HUBSPOT_CREATE_RECORD_CONTACTS", Map.of("email", stage + "-" + System.nanoTime() + "@example.com", "lifecyclestage", stage));
            }
            run(ada, "HUBSPOT_CREATE_RECORD_COMPANIES", Map.of("name", "Acme"));
            assertThat(poll()).as("two new leads and a new company").isEqualTo(3);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(leads)).extracting(r -> r.at("/properties/email").asString()).hasSize(2).allSatisfy(e -> assertThat(e).startsWith("lead-"));
            assertThat(delivered(companies)).extracting(r -> r.at("/properties/name").asString()).containsExactly("Acme");
            unsubscribe(ada, leads, companies);
        } finally {
            hubspot.close();
        }
    }

    @Test
    void intercomNewAndChangedContactsFireOnceEach() {
        IntercomFake intercom = new IntercomFake(3).start();
        try {
            TestServer.Project project = project("intercom-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/intercom", Map.of("enabled", true,
                    "urls", Map.of("api", intercom.apiUrl(), "me", intercom.apiUrl() + "/me"))), 200);
            User ada = new User(project, server.connect(project, intercom, "ada", "intercom", "dG9rOmFkYQ"));
            String leads = subscribe(ada, "intercom", "INTERCOM_TRIGGER_CONTACT_CREATED",
                    Map.of("filterFormula", Map.of("field", "role", "operator", "$stringExactlyMatches", "value", "lead")));
            String changes = subscribe(ada, "intercom", "INTERCOM_TRIGGER_CONTACT_UPDATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (String role : List.of("user", "lead", "user")) {
                ids.add(idIn(run(ada, "INTERCOM_CREATE_CONTACT", Map.of("role", role, "email", role + ids.size() + "@example.com"))));
            }
            assertThat(poll()).as("one new lead, and three new contacts for the updated trigger").isEqualTo(4);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(leads)).extracting(r -> r.get("id").asString()).containsExactly(ids.get(1));

            run(ada, "INTERCOM_UPDATE_CONTACT", Map.of("contactId", ids.get(2), "name", "Grace Hopper"));
            assertThat(poll()).as("one change, for the updated trigger only").isEqualTo(1);
            List<JsonNode> changed = delivered(changes);
            assertThat(changed).extracting(r -> r.get("id").asString()).containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(2), ids.get(2));
            assertThat(changed.getLast().get("name").asString()).isEqualTo("Grace Hopper");
            unsubscribe(ada, leads, changes);
        } finally {
            intercom.close();
        }
    }

    @Test
    void zendeskNewAndChangedTicketsFireOnceEachFilteredAtTheVendor() {
        ZendeskFake zendesk = new ZendeskFake(3).start();
        try {
            TestServer.Project project = project("zendesk-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/zendesk", Map.of("enabled", true,
                    "urls", Map.of("api", zendesk.apiUrl(), "me", zendesk.apiUrl() + "/users/me"))), 200);
            server.importCredential(project.id(), "ada", Map.of("integration", "zendesk", "accessToken", "zd-ada",
                    "providerData", Map.of("subdomain", ZendeskFake.SUBDOMAIN)));
            zendesk.accept("zd-ada");
            User ada = new User(project, dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "ada", c -> c));
            String urgent = subscribe(ada, "zendesk", "ZENDESK_TRIGGER_TICKET_CREATED", Map.of("ticketPriority", "urgent"));
            String solved = subscribe(ada, "zendesk", "ZENDESK_TRIGGER_TICKET_UPDATED", Map.of("ticketStatus", "solved"));
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (String priority : List.of("urgent", "low", "urgent")) {
                ids.add(idIn(run(ada, "ZENDESK_CREATE_TICKET", Map.of("ticketSubject", "Printer on fire " + ids.size(), "ticketDescription", "Smoke.",
                        "requesterName", "Grace", "requesterEmail", "grace@example.com", "ticketPriority", priority))));
            }
            assertThat(poll()).as("two new urgent tickets; none solved yet").isEqualTo(2);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(urgent)).extracting(r -> r.get("id").asString()).containsExactlyInAnyOrder(ids.get(0), ids.get(2));

            run(ada, "ZENDESK_UPDATE_TICKET", Map.of("ticketId", ids.get(1), "ticketStatus", "solved"));
            assertThat(poll()).as("the ticket just solved").isEqualTo(1);
            assertThat(delivered(solved)).extracting(r -> r.get("id").asString() + " " + r.get("status").asString()).containsExactly(ids.get(1) + " solved");
            unsubscribe(ada, urgent, solved);
        } finally {
            zendesk.close();
        }
    }

    @Test
    void googleDrivesNewFilesFireOnceAcrossPages() {
        GoogleDriveFake drive = new GoogleDriveFake(5).start();
        try {
            TestServer.Project project = project("drive-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googledrive", Map.of("enabled", true,
                    "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))), 200);
            User ada = new User(project, server.connect(project, drive, "ada", "googledrive", "ya29.drive-ada"));
            String files = subscribe(ada, "googledrive", "GOOGLE_DRIVE_TRIGGER_FILE_CREATED", Map.of("supportsAllDrives", true));
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 120; i++) { // more than the poll's page of 100
                String hex = java.util.HexFormat.of().formatHex(("report " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ids.add(idIn(run(ada, "GOOGLE_DRIVE_SAVE_FILE", Map.of("filename", "report-" + i + ".txt",
                        "file", Map.of("data", hex, "mimeType", "text/plain", "dataType", "FILE")))));
            }
            assertThat(poll()).as("every new file, over two pages").isEqualTo(120);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(files)).extracting(r -> r.get("id").asString()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(drive.received("GET", "/drive/v3/files").getLast().query()).as("shared drives, as the subscription asked")
                    .containsEntry("includeItemsFromAllDrives", "true").containsEntry("orderBy", "createdTime desc");
            unsubscribe(ada, files);
        } finally {
            drive.close();
        }
    }

    @Test
    void googleSheetsNewAndChangedSpreadsheetsFireOnceEach() {
        GoogleDriveFake drive = new GoogleDriveFake(3).start(); // the Sheets integration lists spreadsheets through Drive
        try {
            TestServer.Project project = project("sheets-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googlesheets", Map.of("enabled", true,
                    "urls", Map.of("drive", drive.apiUrl()))), 200);
            User ada = new User(project, server.connect(project, drive, "ada", "googlesheets", "ya29.sheets-ada"));
            String created = subscribe(ada, "googlesheets", "GOOGLE_SHEETS_TRIGGER_FILE_CREATED", Map.of());
            String updated = subscribe(ada, "googlesheets", "GOOGLE_SHEETS_TRIGGER_FILE_UPDATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            String spreadsheet = "application/vnd.google-apps.spreadsheet";
            String budget = drive.addFile("Budget", spreadsheet);
            drive.addFile("notes.txt", "text/plain");
            String pipeline = drive.addFile("Pipeline", spreadsheet);
            assertThat(poll()).as("two new spreadsheets (not the text file), for both subscriptions").isEqualTo(4);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("name").asString()).containsExactlyInAnyOrder("Budget", "Pipeline");

            drive.touch(budget); // someone edits its cells
            assertThat(poll()).as("one change, for the updated trigger only").isEqualTo(1);
            assertThat(delivered(updated)).extracting(r -> r.get("id").asString()).containsExactlyInAnyOrder(budget, pipeline, budget);
            assertThat(drive.received("GET", "/drive/v3/files").getLast().query().get("q"))
                    .isEqualTo("mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false");
            unsubscribe(ada, created, updated);
        } finally {
            drive.close();
        }
    }

    @Test
    void jiraNewAndChangedIssuesFireOnceEachByJql() {
        JiraFake jira = new JiraFake(4, 2).start();
        try {
            TestServer.Project project = project("jira-triggers");
            server.configureIntegration(project.id(), "jira", jira.apiUrl());
            server.importCredential(project.id(), "ada", Map.of("integration", "jira", "accessToken", "jira-ada", "providerData", Map.of("cloudId", JiraFake.CLOUD_ID)));
            jira.accept("jira-ada");
            User ada = new User(project, dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "ada", c -> c));
            assertThat(server.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", ada.token(), Map.of("integration", "jira",
                    "type", "JIRA_TRIGGER_ISSUE_CREATED", "parameters", Map.of("jqlQuery", "project = TEST ORDER BY key")), Map.of())
                    .json().get("message").asString()).as("the trigger orders the search itself").contains("parameters.jqlQuery");
            String created = subscribe(ada, "jira", "JIRA_TRIGGER_ISSUE_CREATED", Map.of("jqlQuery", "project = TEST"));
            String updated = subscribe(ada, "jira", "JIRA_TRIGGER_ISSUE_UPDATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            List<String> keys = new ArrayList<>();
            for (String summary : List.of("Printer on fire", "Paper jam")) {
                keys.add(run(ada, "JIRA_CREATE_ISSUE", Map.of("summary", summary, "project", "TEST")).get("key").asString());
            }
            assertThat(poll()).as("two new issues, for both subscriptions").isEqualTo(4);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("key").asString()).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(jira.received("POST", "/ex/jira/" + JiraFake.CLOUD_ID + "/rest/api/3/search/jql").getLast().json().get("jql").asString())
                    .isIn("project = TEST ORDER BY created DESC", "updated >= -30d ORDER BY updated DESC");

            run(ada, "JIRA_UPDATE_ISSUE", Map.of("issueKey", keys.get(0), "summary", "Printer on fire, again"));
            assertThat(poll()).as("one change, for the updated trigger only").isEqualTo(1);
            List<JsonNode> changes = delivered(updated);
            assertThat(changes).extracting(r -> r.get("key").asString()).containsExactlyInAnyOrder(keys.get(0), keys.get(1), keys.get(0));
            assertThat(changes.getLast().at("/fields/summary").asString()).isEqualTo("Printer on fire, again");
            unsubscribe(ada, created, updated);
        } finally {
            jira.close();
        }
    }

    @Test
    void githubNewAndChangedIssuesOfARepositoryFireOnceEach() {
        GitHubFake github = new GitHubFake(3).start();
        try {
            TestServer.Project project = project("github-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/github", Map.of("enabled", true,
                    "urls", Map.of("api", github.baseUrl(), "account", github.baseUrl() + "/user"))), 200);
            User ada = new User(project, server.connect(project, github, "ada", "github", "gho_adaTriggers000000000000000000000"));
            Map<String, Object> repository = Map.of("owner", GitHubFake.OWNER, "repo", GitHubFake.REPO);
            String created = subscribe(ada, "github", "GITHUB_TRIGGER_ISSUE_CREATED", repository);
            String updated = subscribe(ada, "github", "GITHUB_TRIGGER_ISSUE_UPDATED", repository);
            assertThat(poll()).as("the baseline").isZero();

            List<Integer> numbers = new ArrayList<>();
            for (String title : List.of("Login fails with SSO", "Typo in README")) {
                numbers.add(run(ada, "GITHUB_CREATE_ISSUE", Map.of("owner", GitHubFake.OWNER, "repo", GitHubFake.REPO, "title", title)).get("number").asInt());
            }
            assertThat(poll()).as("two new issues, for both subscriptions").isEqualTo(4);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("title").asString()).containsExactlyInAnyOrder("Login fails with SSO", "Typo in README");

            run(ada, "GITHUB_UPDATE_ISSUE", Map.of("owner", GitHubFake.OWNER, "repo", GitHubFake.REPO, "issue_number", numbers.get(1),
                    "title", "Typo in README", "state", "closed"));
            assertThat(poll()).as("the issue just closed, for the updated trigger only").isEqualTo(1);
            assertThat(delivered(updated)).extracting(r -> r.get("number").asInt() + " " + r.get("state").asString())
                    .containsExactlyInAnyOrder(numbers.get(0) + " open", numbers.get(1) + " open", numbers.get(1) + " closed");
            unsubscribe(ada, created, updated);
        } finally {
            github.close();
        }
    }

    @Test
    void confluenceNewAndEditedPagesOfASpaceFireOnceEach() {
        ConfluenceFake confluence = new ConfluenceFake(2, 3).start();
        try {
            TestServer.Project project = project("confluence-triggers");
            server.configureIntegration(project.id(), "confluence", confluence.apiUrlTemplate());
            server.importCredential(project.id(), "ada", Map.of("integration", "confluence", "accessToken", "atlassian-ada",
                    "providerData", Map.of("cloudId", ConfluenceFake.CLOUD_ID)));
            confluence.accept("atlassian-ada");
            User ada = new User(project, dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "ada", c -> c));
            String created = subscribe(ada, "confluence", "CONFLUENCE_TRIGGER_PAGE_CREATED", Map.of("spaceId", "1001"));
            String updated = subscribe(ada, "confluence", "CONFLUENCE_TRIGGER_PAGE_UPDATED", Map.of("spaceId", "1001"));
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (String title : List.of("Runbook", "Postmortem")) {
                ids.add(idIn(run(ada, "CONFLUENCE_CREATE_PAGE", Map.of("spaceId", "1001", "title", title, "content", "<p>" + title + "</p>"))));
            }
            run(ada, "CONFLUENCE_CREATE_PAGE", Map.of("spaceId", "1002", "title", "Elsewhere", "content", "<p>another space</p>"));
            assertThat(poll()).as("two new pages of the space, for both subscriptions").isEqualTo(4);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("title").asString()).containsExactlyInAnyOrder("Runbook", "Postmortem");

            run(ada, "CONFLUENCE_UPDATE_PAGE", Map.of("pageId", ids.get(0), "content", "<p>Step 1: breathe.</p>"));
            confluence.editElsewhere(ids.get(1)); // someone saves it in the editor
            assertThat(poll()).as("two new versions, for the updated trigger only").isEqualTo(2);
            assertThat(delivered(updated)).extracting(r -> r.get("id").asString() + " v" + r.at("/version/number").asInt())
                    .containsExactlyInAnyOrder(ids.get(0) + " v1", ids.get(1) + " v1", ids.get(0) + " v2", ids.get(1) + " v2");
            unsubscribe(ada, created, updated);
        } finally {
            confluence.close();
        }
    }

    @Test
    void serviceNowNewAndChangedIncidentsFireOnceEach() {
        ServiceNowFake serviceNow = new ServiceNowFake(3, java.util.Set.of()).start();
        try {
            TestServer.Project project = project("servicenow-triggers");
            server.configureIntegration(project.id(), "servicenow", serviceNow.apiUrl());
            server.importCredential(project.id(), "ada", Map.of("integration", "servicenow", "accessToken", "servicenow-ada",
                    "providerData", Map.of("instance", "dev12345")));
            serviceNow.accept("servicenow-ada");
            User ada = new User(project, dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "ada", c -> c));
            String created = subscribe(ada, "servicenow", "SERVICENOW_TRIGGER_TICKET_CREATED", Map.of());
            String updated = subscribe(ada, "servicenow", "SERVICENOW_TRIGGER_TICKET_UPDATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (String summary : List.of("Email is down", "VPN drops")) {
                ids.add(run(ada, "SERVICENOW_CREATE_TICKET", Map.of("shortDescription", summary)).findValue("sys_id").asString());
            }
            assertThat(poll()).as("two new incidents, for both subscriptions").isEqualTo(4);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("short_description").asString()).containsExactlyInAnyOrder("Email is down", "VPN drops");
            assertThat(serviceNow.received("GET", "/api/now/table/incident").getLast().query().get("sysparm_query"))
                    .isIn("ORDERBYDESCsys_created_on", "ORDERBYDESCsys_updated_on");

            run(ada, "SERVICENOW_UPDATE_TICKET", Map.of("ticketId", ids.get(0), "shortDescription", "Email is down for everyone"));
            assertThat(poll()).as("one change, for the updated trigger only").isEqualTo(1);
            assertThat(delivered(updated)).extracting(r -> r.get("sys_id").asString() + " #" + r.get("sys_mod_count").asString())
                    .containsExactlyInAnyOrder(ids.get(0) + " #0", ids.get(1) + " #0", ids.get(0) + " #1");
            unsubscribe(ada, created, updated);
        } finally {
            serviceNow.close();
        }
    }

    @Test
    void gmailNewEmailsAndNewThreadsOfTheInboxFireOnceEach() {
        GmailFake gmail = new GmailFake(4).start();
        try {
            TestServer.Project project = project("gmail-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/gmail", Map.of("enabled", true,
                    "urls", Map.of("api", gmail.apiUrl(), "people", gmail.peopleUrl()))), 200);
            User ada = new User(project, server.connect(project, gmail, "ada", "gmail", "ya29.gmail-ada"));
            String emails = subscribe(ada, "gmail", "GMAIL_TRIGGER_EMAIL_RECEIVED", Map.of());
            String threads = subscribe(ada, "gmail", "GMAIL_TRIGGER_THREAD_CREATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            String first = gmail.receive("Lunch?", "grace@example.com").get("threadId").asString();
            String second = gmail.receive("Invoice 42", "billing@example.com").get("threadId").asString();
            String reply = gmail.reply(first, "Re: Lunch?", "grace@example.com").get("id").asString();
            run(ada, "GMAIL_SEND_EMAIL", Map.of("toRecipients", List.of("grace@example.com"), "from", "ada@example.com",
                    "subject", "Sent, not received", "messageContent", "<p>Hi</p>"));
            assertThat(poll()).as("three received emails (not the sent one) in two new threads").isEqualTo(5);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(threads)).extracting(r -> r.get("threadId").asString()).containsExactlyInAnyOrder(first, second);
            assertThat(delivered(emails)).extracting(r -> r.get("id").asString()).hasSize(3).contains(reply);
            unsubscribe(ada, emails, threads);
        } finally {
            gmail.close();
        }
    }

    @Test
    void outlooksNewEmailsFireOnce() {
        OutlookFake outlook = new OutlookFake(12).start();
        try {
            TestServer.Project project = project("outlook-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/outlook", Map.of("enabled", true,
                    "urls", Map.of("api", outlook.graphUrl(), "me", outlook.meUrl()))), 200);
            User ada = new User(project, server.connect(project, outlook, "ada", "outlook", "eyJ0eXAi.outlook-ada"));
            String emails = subscribe(ada, "outlook", "OUTLOOK_TRIGGER_EMAIL_RECEIVED", Map.of("mailFolder", "inbox"));
            assertThat(poll()).as("the baseline").isZero();

            outlook.receive("Lunch?", "grace@example.com");
            outlook.receive("Invoice 42", "billing@example.com");
            assertThat(poll()).as("two new emails").isEqualTo(2);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(emails)).extracting(r -> r.get("subject").asString()).containsExactlyInAnyOrder("Lunch?", "Invoice 42");
            unsubscribe(ada, emails);
        } finally {
            outlook.close();
        }
    }

    @Test
    void notionsEditedPagesFireOncePerEdit() {
        NotionFake notion = new NotionFake(3, 1).start();
        try {
            TestServer.Project project = project("notion-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/notion", Map.of("enabled", true,
                    "urls", Map.of("api", notion.apiUrl()))), 200);
            User ada = new User(project, server.connect(project, notion, "ada", "notion", "secret_notion_ada"));
            String edits = subscribe(ada, "notion", "NOTION_TRIGGER_PAGE_UPDATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            String parent = notion.pages().getFirst().get("id").asString();
            String notes = idIn(run(ada, "NOTION_CREATE_PAGE", Map.of("parent", Map.of("page_id", parent),
                    "properties", Map.of("title", List.of(Map.of("text", Map.of("content", "Weekly notes")))))));
            assertThat(poll()).as("the new page").isEqualTo(1);
            assertThat(poll()).as("nothing new").isZero();
            run(ada, "NOTION_UPDATE_PAGE", Map.of("pageId", parent, "properties", Map.of("title", List.of(Map.of("text", Map.of("content", "Renamed"))))));
            run(ada, "NOTION_UPDATE_PAGE", Map.of("pageId", notes, "properties", Map.of("title", List.of(Map.of("text", Map.of("content", "Weekly notes, v2"))))));
            assertThat(poll()).as("two edited pages").isEqualTo(2);
            assertThat(delivered(edits)).extracting(r -> r.get("id").asString()).containsExactlyInAnyOrder(notes, parent, notes);
            unsubscribe(ada, edits);
        } finally {
            notion.close();
        }
    }

    @Test
    void mailchimpsNewSubscribersAndChangedContactsFireOnceEach() {
        MailchimpFake mailchimp = new MailchimpFake(2).start();
        try {
            TestServer.Project project = project("mailchimp-triggers");
            server.configureIntegration(project.id(), "mailchimp", mailchimp.apiUrlTemplate());
            server.importCredential(project.id(), "ada", Map.of("integration", "mailchimp", "apiKey", "0123456789abcdef0123456789abcdef-us19"));
            mailchimp.accept("0123456789abcdef0123456789abcdef-us19");
            User ada = new User(project, dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "ada", c -> c));
            String list = mailchimp.lists().getFirst().get("id").asString();
            String subscribers = subscribe(ada, "mailchimp", "MAILCHIMP_TRIGGER_LIST", Map.of("listId", list));
            String changes = subscribe(ada, "mailchimp", "MAILCHIMP_TRIGGER_CONTACT_UPDATED", Map.of("listId", list));
            assertThat(poll()).as("the baseline").isZero();

            run(ada, "MAILCHIMP_ADD_CONTACT_TO_LIST", Map.of("listId", list, "emailAddress", "ada@example.com", "status", "subscribed"));
            run(ada, "MAILCHIMP_ADD_CONTACT_TO_LIST", Map.of("listId", list, "emailAddress", "grace@example.com", "status", "pending"));
            assertThat(poll()).as("one new subscriber; two new contacts for the updated trigger").isEqualTo(3);
            assertThat(poll()).as("nothing new").isZero();
            run(ada, "MAILCHIMP_UPDATE_CONTACT_TO_LIST", Map.of("listId", list, "listContact", "grace@example.com", "status", "subscribed"));
            assertThat(poll()).as("grace confirmed: a new subscriber and a change").isEqualTo(2);
            assertThat(delivered(subscribers)).extracting(r -> r.get("email_address").asString()).containsExactlyInAnyOrder("ada@example.com", "grace@example.com");
            assertThat(delivered(changes)).extracting(r -> r.get("email_address").asString() + " " + r.get("status").asString())
                    .containsExactlyInAnyOrder("ada@example.com subscribed", "grace@example.com pending", "grace@example.com subscribed");
            unsubscribe(ada, subscribers, changes);
        } finally {
            mailchimp.close();
        }
    }

    @Test
    void linearNewAndChangedIssuesFireOnceEach() {
        org.junit.jupiter.api.Assumptions.assumeTrue(LinearFake.available(), "Linear's GraphQL schema is not here");
        LinearFake linear = new LinearFake(3).start();
        try {
            TestServer.Project project = project("linear-triggers");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/linear", Map.of("enabled", true,
                    "urls", Map.of("api", linear.apiUrl(), "graphql", linear.apiUrl() + "/graphql"))), 200);
            User ada = new User(project, server.connect(project, linear, "ada", "linear", "lin_oauth_ada"));
            String created = subscribe(ada, "linear", "LINEAR_TRIGGER_ISSUE_CREATED", Map.of());
            String updated = subscribe(ada, "linear", "LINEAR_TRIGGER_ISSUE_UPDATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            List<String> ids = new ArrayList<>();
            for (String title : List.of("Checkout button does nothing", "Safari crash")) {
                ids.add(run(ada, "LINEAR_CREATE_ISSUE", Map.of("teamId", linear.teamId("ENG"), "title", title)).findValue("id").asString());
            }
            assertThat(poll()).as("two new issues, for both subscriptions").isEqualTo(4);
            assertThat(poll()).as("nothing new").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("title").asString()).containsExactlyInAnyOrder("Checkout button does nothing", "Safari crash");

            run(ada, "LINEAR_UPDATE_ISSUE", Map.of("issueId", ids.get(0), "title", "Checkout fixed"));
            assertThat(poll()).as("one change, for the updated trigger only").isEqualTo(1);
            assertThat(delivered(updated)).extracting(r -> r.get("title").asString())
                    .containsExactlyInAnyOrder("Checkout button does nothing", "Safari crash", "Checkout fixed");
            unsubscribe(ada, created, updated);
        } finally {
            linear.close();
        }
    }

    @Test
    void googleCalendarsNewAndChangedEventsFireOnceEachThroughChangedSinceWindows() {
        GoogleCalendarFake calendar = new GoogleCalendarFake(3).start();
        try {
            TestServer.Project project = project("calendar-triggers");
            server.configureIntegration(project.id(), "googleCalendar", calendar.apiUrl());
            User ada = new User(project, server.connect(project, calendar, "ada", "googleCalendar", "ya29.calendar-ada"));
            String created = subscribe(ada, "googleCalendar", "GOOGLE_CALENDAR_TRIGGER_EVENT_CREATED", Map.of("calendarId", "primary"));
            String updated = subscribe(ada, "googleCalendar", "GOOGLE_CALENDAR_TRIGGER_EVENT_UPDATED", Map.of());
            calendar.clockAt(clock.minusSeconds(600)); // the existing events were made ten minutes before the subscriptions
            String old = idIn(run(ada, "GOOGLE_CALENDAR_CREATE_EVENT", Map.of("eventName", "Old standup", "startTime", "2026-12-10T09:00:00Z")));
            assertThat(poll()).as("the baseline").isZero();

            calendar.clockAt(clock); // from now on, the vendor's times are the test's
            List<String> ids = new ArrayList<>();
            for (String name : List.of("Design review", "Retro")) {
                ids.add(idIn(run(ada, "GOOGLE_CALENDAR_CREATE_EVENT", Map.of("eventName", name, "startTime", "2026-12-11T09:00:00Z"))));
            }
            run(ada, "GOOGLE_CALENDAR_UPDATE_EVENT", Map.of("eventId", old, "eventName", "Old standup, moved"));
            assertThat(poll()).as("two new events; for the updated trigger, those and the old one changed").isEqualTo(5);
            assertThat(poll()).as("nothing new: the overlap with the last window fires nothing twice").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("summary").asString()).containsExactlyInAnyOrder("Design review", "Retro");
            assertThat(delivered(updated)).extracting(r -> r.get("summary").asString())
                    .containsExactlyInAnyOrder("Design review", "Retro", "Old standup, moved");
            assertThat(calendar.received("GET", "/calendar/v3/calendars/primary/events").getLast().query()).containsKey("updatedMin")
                    .containsEntry("orderBy", "updated").containsEntry("singleEvents", "false");
            unsubscribe(ada, created, updated);
        } finally {
            calendar.close();
        }
    }

    @Test
    void asanasNewAndChangedTasksFireOnceEachThroughChangedSinceWindows() {
        AsanaFake asana = new AsanaFake(2, 3).start();
        try {
            TestServer.Project project = project("asana-triggers");
            server.configureIntegration(project.id(), "asana", asana.apiUrl());
            User ada = new User(project, server.connect(project, asana, "ada", "asana", "asana-ada"));
            String board = asana.projects().getFirst().get("gid").asString();
            String created = subscribe(ada, "asana", "ASANA_TRIGGER_TASK_CREATED", Map.of("project", board));
            String updated = subscribe(ada, "asana", "ASANA_TRIGGER_TASK_UPDATED", Map.of("project", board));
            String old = asana.tasks().getFirst().get("gid").asString(); // made long before the subscriptions
            assertThat(poll()).as("the baseline").isZero();

            asana.clockAt(clock); // from now on, the vendor's times are the test's
            List<String> ids = new ArrayList<>();
            for (String name : List.of("Write the launch post", "Book the venue")) {
                ids.add(run(ada, "ASANA_CREATE_TASK", Map.of("name", name, "project", board)).findValue("gid").asString());
            }
            run(ada, "ASANA_UPDATE_TASK", Map.of("taskId", old, "completeStatus", true));
            assertThat(poll()).as("two new tasks; for the updated trigger, those and the old one completed").isEqualTo(5);
            assertThat(poll()).as("nothing new: the overlap with the last window fires nothing twice").isZero();
            assertThat(delivered(created)).extracting(r -> r.get("name").asString()).containsExactlyInAnyOrder("Write the launch post", "Book the venue");
            assertThat(delivered(updated)).extracting(r -> r.get("gid").asString()).containsExactlyInAnyOrder(ids.get(0), ids.get(1), old);
            assertThat(asana.received("GET", "/api/1.0/tasks").getLast().query()).containsKey("modified_since").containsEntry("project", board);
            unsubscribe(ada, created, updated);
        } finally {
            asana.close();
        }
    }

    @Test
    void xerosNewAndChangedInvoicesFireOnceEachEveryFiveMinutes() {
        XeroFake xero = new XeroFake(3).start();
        try {
            TestServer.Project project = project("xero-triggers");
            server.configureIntegration(project.id(), "xero", xero.apiUrl());
            server.importCredential(project.id(), "ada", Map.of("integration", "xero", "accessToken", "xero-ada", "providerData", Map.of("tenantId", XeroFake.TENANT_ID)));
            xero.accept("xero-ada");
            User ada = new User(project, dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "ada", c -> c));
            String invoices = subscribe(ada, "xero", "XERO_TRIGGER_INVOICE_UPDATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            String fresh = xero.addInvoice("INV-0100", 120.0).get("InvoiceID").asString();
            assertThat(poll()).as("a minute later: not yet (every five minutes, Xero's limits)").isZero();
            for (int i = 0; i < 4; i++) {
                poll();
            }
            assertThat(delivered(invoices)).extracting(r -> r.get("InvoiceNumber").asString()).containsExactly("INV-0100");
            xero.change(fresh, "AUTHORISED");
            for (int i = 0; i < 5; i++) {
                poll();
            }
            assertThat(delivered(invoices)).extracting(r -> r.get("InvoiceNumber").asString() + " " + r.get("Status").asString())
                    .containsExactly("INV-0100 DRAFT", "INV-0100 AUTHORISED");
            unsubscribe(ada, invoices);
        } finally {
            xero.close();
        }
    }

    @Test
    void shortListsInNoOrderAreReadWholeAndEachNewEntryFiresOnce() {
        JiraFake jira = new JiraFake(1, 3).start();
        TeamsFake teams = new TeamsFake(5).start();
        DropboxFake dropbox = new DropboxFake(3).start();
        BoxFake box = new BoxFake(7).start();
        try {
            TestServer.Project project = project("whole-list-triggers");
            server.configureIntegration(project.id(), "jira", jira.apiUrl());
            server.importCredential(project.id(), "ada", Map.of("integration", "jira", "accessToken", "jira-ada", "providerData", Map.of("cloudId", JiraFake.CLOUD_ID)));
            jira.accept("jira-ada");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/microsoftTeams", Map.of("enabled", true,
                    "urls", Map.of("api", teams.graphUrl(), "me", teams.meUrl()))), 200);
            server.connect(project, teams, "ada", "microsoftTeams", "eyJ0eXAi.teams-ada");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/dropbox", Map.of("enabled", true,
                    "urls", Map.of("api", dropbox.apiUrl(), "content", dropbox.contentUrl()))), 200);
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/box", Map.of("enabled", true,
                    "urls", Map.of("api", box.apiUrl(), "upload", box.uploadUrl(), "download", box.downloadUrl()))), 200);
            server.connect(project, box, "ada", "box", "box-ada");
            User ada = new User(project, server.connect(project, dropbox, "ada", "dropbox", "sl.dropbox-ada"));
            String boxFiles = subscribe(ada, "box", "BOX_TRIGGER_FILE_CREATED", Map.of("folderId", "0"));
            String projects = subscribe(ada, "jira", "JIRA_TRIGGER_PROJECT_CREATED", Map.of());
            String channels = subscribe(ada, "microsoftTeams", "TEAMS_TRIGGER_CHANNEL_CREATED", Map.of("teamId", TeamsFake.TEAM));
            String files = subscribe(ada, "dropbox", "TRIGGER_DROPBOX_FILE_CREATED", Map.of("folder", "/Reports"));
            assertThat(poll()).as("the baselines, each list read whole (Teams' channels over three pages)").isZero();

            String launch = jira.addProject("LAUNCH", "Launch");
            String release = teams.addChannel("Release");
            String contract = box.addFile("contract.pdf");
            String hex = java.util.HexFormat.of().formatHex("Q4".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            run(ada, "DROPBOX_SAVE_FILE", Map.of("path", "/Reports/q4.txt", "file", Map.of("data", hex, "mimeType", "text/plain", "dataType", "FILE")));
            run(ada, "DROPBOX_SAVE_FILE", Map.of("path", "/Elsewhere.txt", "file", Map.of("data", hex, "mimeType", "text/plain", "dataType", "FILE")));
            int fired = 0;
            for (int i = 0; i < 5; i++) { // Jira's and Teams' every five minutes
                fired += poll();
            }
            assertThat(fired).as("one new project, one new channel, one new file in each folder").isEqualTo(4);
            assertThat(delivered(boxFiles)).extracting(r -> r.get("id").asString()).containsExactly(contract);
            assertThat(delivered(projects)).extracting(r -> r.get("id").asString()).containsExactly(launch);
            assertThat(delivered(channels)).extracting(r -> r.get("id").asString()).containsExactly(release);
            assertThat(delivered(files)).extracting(r -> r.get("name").asString()).containsExactly("q4.txt");
            for (int i = 0; i < 5; i++) {
                assertThat(poll()).as("nothing new").isZero();
            }
            unsubscribe(ada, projects, channels, files, boxFiles);
        } finally {
            box.close();
            jira.close();
            teams.close();
            dropbox.close();
        }
    }

    @Test
    void aRateLimitedPollWaitsForTheVendorsRetryAfterThenFiresWhatIsNew() {
        ZendeskFake zendesk = new ZendeskFake(2).start();
        try {
            TestServer.Project project = project("zendesk-429");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/zendesk", Map.of("enabled", true,
                    "urls", Map.of("api", zendesk.apiUrl(), "me", zendesk.apiUrl() + "/users/me"))), 200);
            server.importCredential(project.id(), "ada", Map.of("integration", "zendesk", "accessToken", "zd-429",
                    "providerData", Map.of("subdomain", ZendeskFake.SUBDOMAIN)));
            zendesk.accept("zd-429");
            User ada = new User(project, dev.switchboard.testing.Tokens.sign(project.privateKeyPem(), "ada", c -> c));
            String tickets = subscribe(ada, "zendesk", "ZENDESK_TRIGGER_TICKET_CREATED", Map.of());
            assertThat(poll()).as("the baseline").isZero();

            run(ada, "ZENDESK_CREATE_TICKET", Map.of("ticketSubject", "After the 429", "ticketDescription", "Wait.",
                    "requesterName", "Grace", "requesterEmail", "grace@example.com"));
            zendesk.failNext("search", new dev.switchboard.fakes.VendorFake.RateLimited(300));
            assertThat(poll()).as("Zendesk answers 429 with Retry-After: 300").isZero();
            int calls = zendesk.received("GET", "/api/v2/search").size();
            for (int i = 0; i < 3; i++) {
                assertThat(poll()).as("not before Zendesk's Retry-After").isZero();
            }
            assertThat(zendesk.received("GET", "/api/v2/search")).as("no call while Zendesk asked to wait").hasSize(calls);
            assertThat(poll() + poll()).as("after it, what is new fires").isEqualTo(1);
            assertThat(delivered(tickets)).extracting(r -> r.get("subject").asString()).containsExactly("After the 429");
            unsubscribe(ada, tickets);
        } finally {
            zendesk.close();
        }
    }
}
