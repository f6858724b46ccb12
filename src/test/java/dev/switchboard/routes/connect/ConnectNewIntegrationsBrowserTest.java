package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.DropboxFake;
import dev.switchboard.fakes.GmailFake;
import dev.switchboard.fakes.GoogleCalendarFake;
import dev.switchboard.fakes.GoogleSheetsFake;
import dev.switchboard.fakes.NotionFake;
import dev.switchboard.fakes.OutlookFake;
import dev.switchboard.fakes.TeamsFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Browsers;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Each integration added after the seed connects on the Connect page in a real browser, end to end against its fake:
 * the button, the vendor's authorize address (which consents at once), the callback, the code exchange as that vendor
 * takes it (Notion's HTTP Basic and JSON, Dropbox's PKCE), and the account lookup that names the account, shown on
 * the page. The account then works for an action.
 */
class ConnectNewIntegrationsBrowserTest {
    /** An integration to connect: its fake, its URLs on the fake, the label the page should show, an action to run. */
    record Case(String key, VendorFake fake, Function<VendorFake, Map<String, String>> urls, String label, String action, Map<String, Object> parameters) {
        @Override
        public String toString() {
            return key;
        }
    }

    private static TestServer server;
    private static WebDriver browser;
    private static Project project;
    private static final List<Case> CASES = List.of(
            new Case("gmail", new GmailFake(1), f -> Map.of("api", ((GmailFake) f).apiUrl(), "people", ((GmailFake) f).peopleUrl(),
                    "account", ((GmailFake) f).apiUrl() + "/users/me/profile"), GmailFake.EMAIL, "GMAIL_LIST_LABELS", Map.of()),
            new Case("googleCalendar", new GoogleCalendarFake(0), f -> Map.of("api", ((GoogleCalendarFake) f).apiUrl(),
                    "people", ((GoogleCalendarFake) f).peopleUrl(), "account", ((GoogleCalendarFake) f).apiUrl() + "/calendars/primary"),
                    GoogleCalendarFake.EMAIL, "GOOGLE_CALENDAR_LIST_CALENDARS", Map.of()),
            new Case("googlesheets", new GoogleSheetsFake().sheet("Leads", 0, 10, List.of(List.of("Name"))), f -> Map.of("api",
                    ((GoogleSheetsFake) f).apiUrl(), "account", f.baseUrl() + "/v1/userinfo"), GoogleSheetsFake.EMAIL,
                    "GOOGLE_SHEETS_GET_ROW", Map.of("spreadsheetId", GoogleSheetsFake.SPREADSHEET)),
            new Case("notion", new NotionFake(1, 1), f -> Map.of("api", ((NotionFake) f).apiUrl()), NotionFake.WORKSPACE, "NOTION_LIST_USERS", Map.of()),
            new Case("dropbox", new DropboxFake(1), f -> Map.of("api", ((DropboxFake) f).apiUrl(), "content", ((DropboxFake) f).contentUrl(),
                    "account", ((DropboxFake) f).apiUrl() + "/users/get_current_account"), DropboxFake.EMAIL, "DROPBOX_LIST_FILES", Map.of()),
            new Case("outlook", new OutlookFake(1), f -> Map.of("api", ((OutlookFake) f).graphUrl(), "me", ((OutlookFake) f).meUrl()),
                    OutlookFake.USER, "OUTLOOK_GET_CALENDARS", Map.of()),
            new Case("microsoftTeams", new TeamsFake(1), f -> Map.of("api", ((TeamsFake) f).graphUrl(), "me", ((TeamsFake) f).meUrl()),
                    TeamsFake.USER, "TEAMS_JOINED_TEAM_LIST", Map.of()));

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @BeforeAll
    static void start() throws Exception {
        Browsers.require();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("connect-new");
        for (Case c : CASES) {
            c.fake().start();
            Map<String, String> urls = new HashMap<>(c.urls().apply(c.fake()));
            urls.put("authorize", c.fake().baseUrl() + "/oauth/authorize");
            urls.put("token", c.fake().baseUrl() + "/oauth/token");
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/" + c.key(), Map.of("enabled", true,
                    "clientId", "client-" + c.key(), "clientSecret", "secret-" + c.key(), "urls", urls)), 200);
        }
        browser = Browsers.chromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        CASES.forEach(c -> c.fake().close());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theAccountConnectsOnTheConnectPageAndIsNamed(Case c) {
        String userId = "browser-" + c.key();
        String token = Tokens.sign(project.privateKeyPem(), userId, claims -> claims);
        browser.get("about:blank");
        browser.get(server.url("/projects/" + project.id() + "/connect#token=" + token));
        Browsers.waitFor(browser, By.id("confirm-identity")).click();

        Browsers.waitFor(browser, By.id("connect-" + c.key())).click();

        WebElement account = Browsers.waitFor(browser, By.cssSelector("#accounts-" + c.key() + " li[data-status=VALID]"));
        assertThat(account.getText()).contains(c.label()).contains("Connected");
        assertThat(server.runAction(project, token, c.action(), c.parameters()).status()).isEqualTo(200);
    }
}
