package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.GoogleSheetsFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Google Sheets' row actions as ActionKit's clients call them (rows keyed by the column names of the first row, rows
 * to update chosen by ActionKit's filter formula), against a fake that keeps worksheets as cells and reads A1 ranges
 * as Google does; the value actions beneath them; a vendor error, a 429, and the connect flow.
 */
class GoogleSheetsTest {
    private static final String ID = GoogleSheetsFake.SPREADSHEET;
    private static GoogleSheetsFake sheets;
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("sheets");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        sheets.close();
    }

    /** A fresh spreadsheet for each test: Leads (first), and Bob's Orders, whose title needs quoting. */
    @BeforeEach
    void freshSpreadsheet() {
        if (sheets != null) {
            sheets.close();
        }
        sheets = new GoogleSheetsFake()
                .sheet("Leads", 0, 1000, List.of(List.of("Name", "Email", "Status", "Signed up"),
                        List.of("Ada Lovelace", "ada@example.com", "pending", "2026-01-31"),
                        List.of("Grace Hopper", "grace@example.com", "done", "2026-02-01"),
                        List.of(),
                        List.of("Alan Turing", "alan@example.com", "pending", "2026-03-15")))
                .sheet("Bob's Orders", 7, 50, List.of(List.of("", "Order", "Total", "Status"), List.of("", "A-1", "=SUM(10,20)", "open")));
        sheets.start();
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googlesheets", Map.of("enabled", true,
                "urls", Map.of("api", sheets.apiUrl()))), 200);
        server.importCredential(project.id(), "ada", "googlesheets", "ya29.sheets");
        sheets.accept("ya29.sheets");
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void rowsAreReadFromTheFirstWorksheetKeyedByColumnName() {
        JsonNode all = TestServer.expect(run("GOOGLE_SHEETS_GET_ROW", Map.of("spreadsheetId", ID)), 200);

        assertThat(all.get("rows")).extracting(r -> r.get("rowNumber").asInt()).containsExactly(2, 3, 5);
        assertThat(all.at("/rows/2/values/Email").asString()).isEqualTo("alan@example.com");
        assertThat(all.at("/rows/0/values/Signed up").asString()).isEqualTo("2026-01-31");
        assertThat(all.get("values")).as("Google's own cells stay").hasSize(5);

        JsonNode two = TestServer.expect(run("GOOGLE_SHEETS_GET_ROW", Map.of("spreadsheetId", ID, "limit", "2")), 200);
        assertThat(two.get("rows")).hasSize(2);
        assertThat(sheets.received().getLast().path()).isEqualTo("/v4/spreadsheets/" + ID + "/values/%27Leads%27%211%3A3");
    }

    @Test
    void aRowIsAddedByColumnNameAfterTheTable() {
        JsonNode added = TestServer.expect(run("GOOGLE_SHEETS_CREATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads",
                "additionalFields", Map.of("email", "linus@example.com", "Name", "Linus", "Signed up", "2026-04-01"))), 200);

        assertThat(added.at("/updates/updatedRange").asString()).isEqualTo("Leads!A6:D6");
        assertThat(sheets.rows("Leads").get(5)).containsExactly("Linus", "linus@example.com", "", "2026-04-01");
        var append = sheets.received().getLast();
        assertThat(append.query()).containsEntry("valueInputOption", "USER_ENTERED").containsEntry("insertDataOption", "INSERT_ROWS");

        // A worksheet whose title has a quote and whose table starts in column B
        TestServer.expect(run("GOOGLE_SHEETS_CREATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "7",
                "additionalFields", Map.of("Order", "A-2", "Total", "=1+1"), "valueInputOption", "RAW")), 200);
        assertThat(sheets.rows("Bob's Orders").get(2)).containsExactly("", "A-2", "=1+1");
        assertThat(sheets.received().getLast().path()).contains("%27Bob%27%27s%20Orders%27%21B1%3AD1:append");
        assertThat(sheets.received().getLast().query()).containsEntry("valueInputOption", "RAW");
    }

    @Test
    void anUnknownColumnOrWorksheetIsRefusedBeforeAnythingIsWritten() {
        JsonNode column = TestServer.expect(run("GOOGLE_SHEETS_CREATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads",
                "additionalFields", Map.of("Emial", "x@example.com"))), 400);
        assertThat(column.get("message").asString()).contains("parameters.additionalFields.Emial").contains("did you mean 'Email'");
        JsonNode worksheet = TestServer.expect(run("GOOGLE_SHEETS_CREATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Lead",
                "additionalFields", Map.of("Email", "x@example.com"))), 400);
        assertThat(worksheet.get("message").asString()).contains("parameters.worksheet").contains("did you mean 'Leads'");
        assertThat(sheets.received()).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void rowsMatchingTheFilterGetOnlyTheGivenCells() {
        Map<String, Object> pending = Map.of("field", "Status", "operator", "$stringExactlyMatches", "value", "pending");
        Map<String, Object> after = Map.of("field", "Signed up", "operator", "$dateTimeAfter", "value", "2026-02-01");

        JsonNode updated = TestServer.expect(run("GOOGLE_SHEETS_UPDATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads",
                "filterFormula", Map.of("operator", "AND", "conditions", List.of(pending, after)),
                "additionalFields", Map.of("Status", "contacted"))), 200);

        assertThat(updated.get("totalUpdatedCells").asInt()).isEqualTo(1);
        assertThat(sheets.rows("Leads").get(4)).containsExactly("Alan Turing", "alan@example.com", "contacted", "2026-03-15");
        assertThat(sheets.rows("Leads").get(1).get(2)).isEqualTo("pending");
        JsonNode sent = sheets.received("POST", "/v4/spreadsheets/" + ID + "/values:batchUpdate").getLast().json();
        assertThat(sent.at("/data/0/range").asString()).isEqualTo("'Leads'!C5");

        // Only the given cells are written: the formula beside them stays.
        TestServer.expect(run("GOOGLE_SHEETS_UPDATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Bob's Orders",
                "filterFormula", "{\"field\": \"Order\", \"operator\": \"$stringExactlyMatches\", \"value\": \"A-1\"}",
                "additionalFields", Map.of("Status", "shipped"))), 200);
        assertThat(sheets.rows("Bob's Orders").get(1)).containsExactly("", "A-1", "=SUM(10,20)", "shipped");

        int writes = sheets.received("POST", "/v4/spreadsheets/" + ID + "/values:batchUpdate").size();
        JsonNode none = TestServer.expect(run("GOOGLE_SHEETS_UPDATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads",
                "filterFormula", Map.of("field", "Status", "operator", "$stringExactlyMatches", "value", "lost"),
                "additionalFields", Map.of("Status", "x"))), 200);
        assertThat(none.get("totalUpdatedCells").asInt()).isZero();
        JsonNode badField = TestServer.expect(run("GOOGLE_SHEETS_UPDATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads",
                "filterFormula", Map.of("field", "Stat", "operator", "$stringExactlyMatches", "value", "x"),
                "additionalFields", Map.of("Status", "x"))), 400);
        assertThat(badField.get("message").asString()).contains("parameters.filterFormula.field").contains("did you mean 'Status'");
        JsonNode badOperator = TestServer.expect(run("GOOGLE_SHEETS_UPDATE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads",
                "filterFormula", Map.of("field", "Status", "operator", "$stringSoundsLike", "value", "x"),
                "additionalFields", Map.of("Status", "x"))), 400);
        assertThat(badOperator.get("message").asString()).contains("parameters.filterFormula.operator");
        assertThat(sheets.received("POST", "/v4/spreadsheets/" + ID + "/values:batchUpdate")).as("no write for none or a bad filter").hasSize(writes);
    }

    @Test
    void rowsAreFoundThenDeletedByNumber() {
        JsonNode found = TestServer.expect(run("GOOGLE_SHEETS_SEARCH_ROWS", Map.of("spreadsheetId", ID, "worksheet", "Leads",
                "filterFormula", Map.of("field", "Email", "operator", "$stringEndsWith", "value", "@example.com"), "limit", 2)), 200);
        assertThat(found.get("rows")).extracting(r -> r.at("/values/Name").asString()).containsExactly("Ada Lovelace", "Grace Hopper");

        TestServer.expect(run("GOOGLE_SHEETS_DELETE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads", "rowNumber", 2)), 200);

        assertThat(sheets.rows("Leads").get(1).getFirst()).isEqualTo("Grace Hopper");
        JsonNode header = TestServer.expect(run("GOOGLE_SHEETS_DELETE_ROW", Map.of("spreadsheetId", ID, "worksheet", "Leads", "rowNumber", 1)), 400);
        assertThat(header.get("message").asString()).contains("parameters.rowNumber");
    }

    @Test
    void googlesErrorsAndRateLimits() {
        JsonNode missing = TestServer.expect(run("GOOGLE_SHEETS_GET_ROW", Map.of("spreadsheetId", "nope")), 404);
        assertThat(missing.at("/meta/isIntegrationError").asBoolean()).isTrue();
        sheets.failNext("getValues", new VendorFake.RateLimited(0));
        TestServer.expect(run("GOOGLE_SHEETS_GET_VALUES", Map.of("spreadsheetId", ID, "range", "Leads!A1:B2")), 200);
        assertThat(sheets.received().stream().filter(r -> r.path().contains("/values/")).count()).isEqualTo(2);
    }

    @Test
    void connectingLabelsTheAccountWithItsAddress() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googlesheets", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret",
                "scopes", List.of("https://www.googleapis.com/auth/spreadsheets", "openid", "email"),
                "urls", Map.of("api", sheets.apiUrl(), "token", sheets.baseUrl() + "/oauth/token", "authorize", sheets.baseUrl() + "/oauth/authorize",
                        "account", sheets.baseUrl() + "/v1/userinfo"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);

        var connected = dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "googlesheets");

        assertThat(connected.authorizeUrl()).contains("access_type=offline").contains("prompt=consent");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/googlesheets/allCredentials/0/label").asString()).isEqualTo(GoogleSheetsFake.EMAIL);
        assertThat(server.runAction(project, newcomer, "GOOGLE_SHEETS_GET_ROW", Map.of("spreadsheetId", ID)).status()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsRefreshedKeepingItsRefreshToken() {
        // Google refreshes without a new refresh token; the kept one must still work the second time.
        int refreshes = Refreshes.callsAfterEachExpiry(server, project, sheets, "googlesheets", Map.of("api", sheets.apiUrl()),
                "ya29.expired", "1//grace-refresh", "GOOGLE_SHEETS_GET_ROW", Map.of("spreadsheetId", ID), 2);
        assertThat(refreshes).isEqualTo(2);
    }
}
