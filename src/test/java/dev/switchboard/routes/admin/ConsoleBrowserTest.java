package dev.switchboard.routes.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Browsers;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The operator console in headless Chromium, as an operator's first session goes: sign in with the admin token,
 * create a project, generate its signing key, enable Slack with an OAuth app, see a run appear (and open it) after a
 * user's action, disconnect the user's account, sign out. Every page is checked with axe-core (no serious or critical
 * violation) and saved as screenshots at phone and desktop width in target/screenshots/console-*.png.
 */
class ConsoleBrowserTest {
    private static SlackFake slack;
    private static TestServer server;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browsers.require(Browsers.AXE);
        slack = new SlackFake(2, 1).acceptToken("xoxb-console-browser").start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
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

    /** The page passes axe-core and is saved as screenshots. */
    private static void checkPage(String name) {
        assertThat(Browsers.seriousViolations(browser)).as("axe-core on the %s page", name).isEmpty();
        Browsers.screenshots(browser, "console-" + name);
    }

    @Test
    void anOperatorSetsUpAProjectAndSeesItsRuns() {
        browser.get(server.url("/admin"));
        waitFor(By.id("token"));
        assertThat(browser.getCurrentUrl()).endsWith("/admin/console/sign-in");
        checkPage("sign-in");
        browser.findElement(By.id("token")).sendKeys("not the token");
        browser.findElement(By.id("sign-in")).click();
        assertThat(waitFor(By.id("error")).getText()).contains("not this server's admin token");
        browser.findElement(By.id("token")).sendKeys(TestServer.ADMIN_TOKEN);
        browser.findElement(By.id("sign-in")).click();

        waitFor(By.id("name")).sendKeys("Acme in the browser");
        checkPage("projects-empty");
        browser.findElement(By.id("create-project")).click();
        assertThat(waitFor(By.cssSelector(".notice")).getText()).isEqualTo("Project created.");
        String projectId = waitFor(By.id("project-id")).getText();
        checkPage("project");

        waitFor(By.id("generate-key")).click();
        String kid = waitFor(By.id("kid")).getText();
        String privateKey = browser.findElement(By.id("private-key")).getAttribute("value");
        assertThat(privateKey).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(browser.findElement(By.id("download-key")).getAttribute("download")).isEqualTo("switchboard-" + kid + ".pem");
        checkPage("key");

        browser.get(server.url("/admin/console/projects/" + projectId));
        assertThat(waitFor(By.id("state-slack")).getText()).isEqualTo("not configured");
        browser.findElement(By.id("integration-slack")).click();
        waitFor(By.id("clientId")).sendKeys("browser-client-id");
        browser.findElement(By.id("clientSecret")).sendKeys("browser-client-secret");
        browser.findElement(By.id("scopes")).sendKeys("chat:write channels:read");
        browser.findElement(By.id("url.api")).sendKeys(slack.apiUrl());
        browser.findElement(By.id("save-integration")).click();
        assertThat(waitFor(By.cssSelector(".notice")).getText()).isEqualTo("Saved.");
        assertThat(browser.findElement(By.id("clientSecret")).getAttribute("value")).as("a stored secret is never sent back").isEmpty();
        checkPage("integration");
        browser.get(server.url("/admin/console/projects/" + projectId));
        assertThat(waitFor(By.id("state-slack")).getText()).isEqualTo("enabled");

        // a user of the project, signed by the key just generated, runs an action
        String credential = server.importCredential(projectId, "browser-user", "slack", "xoxb-console-browser");
        String token = Tokens.sign(privateKey, Tokens.claims("browser-user").build(), kid);
        Answer sent = server.runAction(new TestServer.Project(projectId, kid, privateKey), token, "SLACK_SEND_MESSAGE",
                Map.of("channel", "#general", "message", "sent while the operator watches"));
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);

        browser.findElement(By.linkText("Runs")).click();
        WebElement row = waitFor(By.cssSelector("#runs tbody tr"));
        assertThat(row.getText()).contains("SLACK_SEND_MESSAGE").contains("browser-user").contains("SUCCEEDED");
        checkPage("runs");
        row.findElement(By.tagName("a")).click();
        assertThat(waitFor(By.id("run-request-id")).getText()).isEqualTo(sent.header("X-Request-Id"));
        assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("SUCCEEDED");
        checkPage("run");

        browser.findElement(By.linkText("browser-user")).click();
        assertThat(waitFor(By.id("account-" + credential)).getText()).contains("slack").contains("VALID");
        checkPage("user");
        browser.findElement(By.id("disconnect-" + credential)).click();
        assertThat(waitFor(By.cssSelector(".notice")).getText()).isEqualTo("Account disconnected.");
        assertThat(browser.findElements(By.id("account-" + credential))).isEmpty();

        browser.get(server.url("/admin/console/projects/" + projectId));
        waitFor(By.id("webhookUrl")).sendKeys("https://example.com/switchboard-events");
        browser.findElement(By.id("save-webhook")).click();
        assertThat(waitFor(By.cssSelector(".notice")).getText()).isEqualTo("Trigger webhook saved.");
        assertThat(waitFor(By.id("webhook-secret")).getText()).startsWith("whsec_");
        browser.findElement(By.linkText("The delivery log")).click();
        waitFor(By.id("no-events"));
        checkPage("trigger-events");

        browser.findElement(By.id("sign-out")).click();
        assertThat(waitFor(By.cssSelector(".notice")).getText()).isEqualTo("Signed out.");
        browser.get(server.url("/admin/console/projects"));
        waitFor(By.id("token"));
        assertThat(browser.getCurrentUrl()).as("signed out for good").endsWith("/admin/console/sign-in");
    }
}
