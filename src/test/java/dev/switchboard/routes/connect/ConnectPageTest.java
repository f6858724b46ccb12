package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Browsers;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The Connect page as an end user sees it, in headless Chromium: the project's branding, each integration's icon,
 * name and description, accounts named by their workspace with their state in words, failures in plain language with
 * the code only in a details line; no serious or critical accessibility violation (axe-core); and screenshots at
 * phone and desktop width (connected, not connected, error) saved to target/screenshots.
 */
class ConnectPageTest {

    private static TestServer server;
    private static SlackFake slack;
    private static WebDriver browser;
    private static Project project;

    @BeforeAll
    static void start() throws Exception {
        Browsers.require(Browsers.AXE);
        slack = new SlackFake(2, 1).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("connect-page");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack", slack.oauthConfig("chat:write")), 200);
        server.configureIntegration(project.id(), "mailchimp", "http://127.0.0.1:1/3.0");
        server.configureIntegration(project.id(), "servicenow", "http://127.0.0.1:1/api/now");
        TestServer.expect(server.admin("PATCH", "/admin/projects/" + project.id(), Map.of("branding", Map.of("displayName", "Acme Analytics",
                "accentColor", "#0B57D0", "logoUrl", server.url("/integrations/asana.svg")))), 200);
        browser = Browsers.chromium("--hide-scrollbars");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (slack != null) slack.close();
    }

    private static WebElement waitFor(By by) {
        return Browsers.waitFor(browser, by);
    }

    /** Opens the page as this user, agreeing to act as them, with a fragment the vendor's redirect would add. */
    private static void open(String userId, String fragment) {
        String token = Tokens.sign(project.privateKeyPem(), userId, c -> c);
        browser.get("about:blank"); // a new document: the same address with another fragment would not reload the page
        browser.get(server.url("/projects/" + project.id() + "/connect#token=" + token));
        waitFor(By.id("confirm-identity")).click();
        waitFor(By.id("connect-slack"));
        if (fragment != null) {
            // the sign-in is kept for the tab: reopening with only the vendor's answer is what its redirect does
            browser.get("about:blank");
            browser.get(server.url("/projects/" + project.id() + "/connect#" + fragment));
            waitFor(By.id("connect-slack"));
        }
    }

    @Test
    void aNewUserSeesTheBrandedPageWithEachIntegrationToConnect() throws Exception {
        open("new-user", null);

        assertThat(waitFor(By.id("heading")).getText()).isEqualTo("Connect your accounts to Acme Analytics");
        assertThat(browser.findElement(By.id("logo")).getAttribute("alt")).isEqualTo("Acme Analytics logo");
        WebElement slackCard = waitFor(By.id("integration-slack"));
        assertThat(slackCard.getText()).contains("Slack").contains("Team messaging");
        assertThat(slackCard.findElement(By.tagName("img")).getAttribute("src")).endsWith("/integrations/slack.svg");
        assertThat(waitFor(By.id("connect-slack")).getText()).isEqualTo("Connect Slack");
        assertThat(browser.findElement(By.cssSelector("label[for=apikey-mailchimp]")).getText()).isEqualTo("Mailchimp API key");
        assertThat(waitFor(By.id("connect-slack")).getCssValue("background-color")).isEqualTo("rgba(11, 87, 208, 1)");
        assertThat(Browsers.seriousViolations(browser)).isEmpty();
        Browsers.screenshots(browser, "connect-not-connected");
    }

    @Test
    void connectedAccountsAreNamedByWorkspaceAndABrokenOneSaysWhatToDo() throws Exception {
        server.importCredential(project.id(), "busy-user", Map.of("integration", "slack", "accessToken", "xoxb-good",
                "providerData", Map.of("teamName", "Acme Sales")));
        slack.acceptToken("xoxb-good");
        server.importCredential(project.id(), "busy-user", Map.of("integration", "slack", "accessToken", "xoxb-revoked",
                "providerData", Map.of("teamName", "Old Workspace")));
        // The revoked one fails on use and is marked as needing reconnection.
        String busy = Tokens.sign(project.privateKeyPem(), "busy-user", c -> c);
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", busy, null, Map.of()), 200);
        String revokedId = java.util.stream.StreamSupport.stream(me.at("/integrations/slack/allCredentials").spliterator(), false)
                .filter(c -> c.get("label").asString().equals("Old Workspace")).findFirst().orElseThrow().get("id").asString();
        server.user("POST", "/projects/" + project.id() + "/actions", busy, Map.of("action", "SLACK_LIST_CHANNELS", "parameters", Map.of()),
                Map.of("X-Paragon-Credential", revokedId));

        open("busy-user", null);

        WebElement good = waitFor(By.cssSelector("#accounts-slack li[data-status=VALID]"));
        assertThat(good.getText()).contains("Acme Sales").contains("Connected");
        WebElement broken = waitFor(By.cssSelector("#accounts-slack li[data-status=INVALID]"));
        assertThat(broken.getText()).contains("Old Workspace").contains("Not working").contains("Reconnect it to continue")
                .doesNotContain("invalid_auth");
        assertThat(broken.findElement(By.tagName("button")).getText()).isEqualTo("Reconnect");
        assertThat(waitFor(By.id("connect-slack")).getText()).isEqualTo("Connect another Slack account");
        assertThat(Browsers.seriousViolations(browser)).isEmpty();
        Browsers.screenshots(browser, "connect-connected");
    }

    @Test
    void aFailedConnectionIsExplainedInPlainWordsWithTheCodeOnlyInDetails() throws Exception {
        open("unlucky-user", "error=token_endpoint_unavailable");

        WebElement message = waitFor(By.id("message"));
        assertThat(message.getText()).contains("could not be reached").contains("Try again in a few minutes")
                .doesNotContain("token_endpoint_unavailable");
        message.findElement(By.tagName("summary")).click();
        assertThat(message.getText()).contains("Error code: token_endpoint_unavailable");
        assertThat(Browsers.seriousViolations(browser)).isEmpty();
        Browsers.screenshots(browser, "connect-error");
    }
}
