package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Browsers;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The Connect page end to end in headless Chromium (Debian's chromium and chromedriver, which .ci/run installs):
 * open the page with a user token, connect Slack through the fake's consent screen, see the account listed and
 * working, connect Mailchimp with an API key, disconnect. Without a browser on the machine the test is skipped,
 * unless SWITCHBOARD_REQUIRE_BROWSER is set (as .ci/run sets it).
 */
class ConnectBrowserTest {

    private static TestServer server;
    private static SlackFake slack;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browsers.require();
        slack = new SlackFake(2, 1).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        browser = Browsers.chromium();
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

    @Test
    void userConnectsSlackByOAuthAndMailchimpByKeyThenDisconnects() {
        Project project = server.createProject("connect");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack", slack.oauthConfig("chat:write", "channels:read")), 200);
        server.configureIntegration(project.id(), "mailchimp", "http://127.0.0.1:1/3.0");
        String userId = "browser-user";
        String token = Tokens.sign(project.privateKeyPem(), userId, c -> c);

        browser.get(server.url("/projects/" + project.id() + "/connect#token=" + token));
        assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").doesNotContain(token);
        // a token from a link is used only once the person at the screen agrees to act as its user
        assertThat(waitFor(By.id("confirm-user")).getText()).contains("\"" + userId + "\"");
        assertThat(browser.findElements(By.id("connect-slack"))).as("nothing to connect before agreeing").isEmpty();
        waitFor(By.id("confirm-identity")).click();
        assertThat(waitFor(By.id("identity")).getText()).contains(userId);
        waitFor(By.id("connect-slack")).click();

        waitFor(By.id("allow")).click(); // Slack's consent screen
        WebElement account = waitFor(By.cssSelector("#accounts-slack li[data-status=VALID]"));
        assertThat(account.getText()).as("named by its workspace").contains("Slack Softball Team").contains("Connected");
        assertThat(waitFor(By.id("message")).getText()).contains("Connected Slack.");
        assertThat(slack.authorizeRequests()).singleElement().satisfies(q ->
                assertThat(q).contains("code_challenge=").contains("code_challenge_method=S256").contains("scope=chat%3Awrite%2Cchannels%3Aread"));

        Answer sent = server.runAction(project, token, "SLACK_SEND_MESSAGE", Map.of("channel", "#general", "message", "connected in a browser"));
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        String credentialId = sent.header("X-Paragon-Credential");
        assertThat(account.getAttribute("id")).isEqualTo("account-" + credentialId);

        waitFor(By.id("apikey-mailchimp")).sendKeys("0123456789abcdef-us19");
        waitFor(By.id("connect-mailchimp")).click();
        waitFor(By.cssSelector("#accounts-mailchimp li[data-status=VALID]"));
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()), 200);
        assertThat(me.at("/integrations/mailchimp/enabled").asBoolean()).isTrue();

        waitFor(By.id("disconnect-" + credentialId)).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("account-" + credentialId)).isEmpty());
        assertThat(TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()), 200)
                .at("/integrations/slack/enabled").asBoolean()).isFalse();
    }
}
