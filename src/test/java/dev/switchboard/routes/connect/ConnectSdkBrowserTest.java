package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.json.Json;
import dev.switchboard.testing.Browsers;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Paragon's Connect SDK, unchanged (the npm package pinned in src/test/browser/package.json, bundled by esbuild), in
 * headless Chromium, against a started Switchboard reached by the on-prem host layout: the SDK derives its service
 * hosts from one base ({@code zeus.sb.test}, {@code worker-proxy.sb.test}, {@code connect.sb.test},
 * {@code dashboard.sb.test}, ...), which Chromium's host resolver maps to this machine, where one Switchboard answers
 * them all. The application's page is on its own origin ({@code app.sb.test}), as in production. Each step asserts
 * what the SDK returned. The steps run in order: they are one user's session.
 *
 * <p>Needs Chromium and the SDK bundle ({@code .ci/run} installs both; see {@link #SDK_BUNDLE}). Without them the test
 * is skipped, unless SWITCHBOARD_REQUIRE_BROWSER is set.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectSdkBrowserTest {
    /** Built by scripts/browser-deps (what .ci/run calls): the SDK as one script that sets window.ConnectSDK, and axe-core. */
    static final Path BROWSER_DEPS = Browsers.BROWSER_DEPS;
    static final Path SDK_BUNDLE = BROWSER_DEPS.resolve("connect-sdk.js");
    private static final String USER = "sdk-user";

    private static TestServer server;
    private static SlackFake slack;
    private static Javalin app;
    private static WebDriver browser;
    private static Project project;
    private static String token;
    private static int port;
    private static String appWindow;

    @BeforeAll
    static void start() throws Exception {
        Browsers.require(SDK_BUNDLE);
        slack = new SlackFake(3, 2).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        port = Integer.parseInt(server.url("/").replaceAll(".*:(\\d+)/.*", "$1"));
        project = server.createProject("sdk");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack", slack.oauthConfig("chat:write", "channels:read")), 200);
        server.configureIntegration(project.id(), "mailchimp", "http://127.0.0.1:1/3.0");
        token = Tokens.sign(project.privateKeyPem(), USER, c -> c);

        byte[] sdk = Files.readAllBytes(SDK_BUNDLE);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/", ctx -> ctx.contentType("text/html").result(appPage()));
            config.routes.get("/connect-sdk.js", ctx -> ctx.contentType("text/javascript").result(sdk));
        }).start(0);

        // the on-prem layout: every <service>.sb.test is this machine
        browser = Browsers.chromium("--host-resolver-rules=MAP *.sb.test 127.0.0.1");
        browser.get("http://app.sb.test:" + app.port() + "/");
        appWindow = browser.getWindowHandle();
        awaitTheSdk();
    }

    /**
     * Waits until the page's script has made {@code window.paragon}. A loaded machine has let the driver's navigation
     * return before that (CI once saw "paragon is not defined" in the first test, and every later one failed after it);
     * if the script never gets there, the failure names the page's own errors.
     */
    private static void awaitTheSdk() {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        try {
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> (Boolean) page.executeScript("return typeof window.paragon === 'object';"));
        } catch (TimeoutException e) {
            throw new AssertionError("the application's page never made window.paragon; readyState "
                    + page.executeScript("return document.readyState;") + ", page errors " + page.executeScript("return window.__pageErrors;"), e);
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (app != null) app.stop();
        if (server != null) server.close();
        if (slack != null) slack.close();
    }

    /** The application's page: the SDK, configured by the on-prem layout of host sb.test (http, on the test's port). */
    private static String appPage() {
        String base = "http://%s.sb.test:" + port;
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title></head><body>
                <h1>An application using the Connect SDK</h1>
                <script>window.__pageErrors = []; addEventListener('error', e => __pageErrors.push(String(e.message)));</script>
                <script src="/connect-sdk.js"></script>
                <script>
                  window.paragon = new ConnectSDK();
                  paragon.configureGlobal({host: 'sb.test'}, {
                    ZEUS_PUBLIC_URL: '%1$s', WORKER_PROXY_PUBLIC_URL: '%2$s', CONNECT_PUBLIC_URL: '%3$s', DASHBOARD_PUBLIC_URL: '%4$s',
                    CDN_PUBLIC_URL: '%4$s', HERMES_PUBLIC_URL: '%5$s', PASSPORT_PUBLIC_URL: '%6$s', PASSPORT_PRODUCTION_URL: '%6$s',
                    API_TRIGGER_KIT_PUBLIC_URL: '%7$s'});
                </script></body></html>""".formatted(base.formatted("zeus"), base.formatted("worker-proxy"), base.formatted("connect"),
                base.formatted("dashboard"), base.formatted("hermes"), base.formatted("passport"), base.formatted("actionkit"));
    }

    /**
     * Runs an async expression in the application's page and waits for it: its value as JSON, or a failure naming the
     * SDK's error. Started without blocking the driver, so that the test can work a popup meanwhile.
     */
    private static void begin(String expression) {
        ((JavascriptExecutor) browser).executeScript("window.__result = undefined; (async () => { try { window.__result = JSON.stringify("
                + "{ok: true, value: await (" + expression + ")}); } catch (e) { window.__result = JSON.stringify({ok: false, error: String("
                + "e && e.message || e)}); } })();");
    }

    private static JsonNode outcome() {
        browser.switchTo().window(appWindow);
        String result = new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> (String) ((JavascriptExecutor) d).executeScript("return window.__result;"));
        JsonNode node = Json.MAPPER.readTree(result);
        assertThat(node.get("ok").asBoolean()).as(result).isTrue();
        return node.path("value");
    }

    private static JsonNode run(String expression) {
        begin(expression);
        return outcome();
    }

    private static WebElement waitFor(By by) {
        return Browsers.waitFor(browser, by);
    }

    /** The OAuth popup the SDK opened: the Slack fake's consent screen, where the user allows. */
    private static void allowInPopup() {
        String popup = new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> d.getWindowHandles().stream().filter(h -> !h.equals(appWindow)).findFirst().orElse(null));
        browser.switchTo().window(popup);
        waitFor(By.id("allow")).click();
        browser.switchTo().window(appWindow);
    }

    @Test
    @Order(1)
    void authenticateAndGetUserListTheProjectsIntegrations() {
        run("paragon.authenticate('" + project.id() + "', '" + token + "')");
        JsonNode user = run("paragon.getUser()");

        assertThat(user.get("authenticated").asBoolean()).isTrue();
        assertThat(user.get("userId").asString()).isEqualTo(USER);
        assertThat(user.get("integrations").propertyNames()).containsExactlyInAnyOrder("slack", "mailchimp");
        assertThat(user.at("/integrations/slack/enabled").asBoolean()).isFalse();
        assertThat(user.at("/integrations/slack/allCredentials")).isEmpty();
    }

    @Test
    @Order(2)
    void integrationMetadataHasNamesColoursAndIconsThatLoad() {
        JsonNode metadata = run("paragon.getIntegrationMetadata()");

        assertThat(metadata).extracting(m -> m.get("type").asString()).containsExactlyInAnyOrder("slack", "mailchimp");
        JsonNode slackTile = java.util.stream.StreamSupport.stream(metadata.spliterator(), false)
                .filter(m -> m.get("type").asString().equals("slack")).findFirst().orElseThrow();
        assertThat(slackTile.get("name").asString()).isEqualTo("Slack");
        assertThat(slackTile.get("brandColor").asString()).isEqualTo("#4A154B");
        assertThat(slackTile.get("icon").asString()).isEqualTo("http://dashboard.sb.test:" + port + "/integrations/slack.svg");
        // The icon loads from the dashboard host, as an image in the application's page.
        JsonNode size = run("new Promise((ok, fail) => { const i = new Image(); i.onload = () => ok([i.naturalWidth, i.naturalHeight]); "
                + "i.onerror = () => fail('icon did not load'); i.src = '" + slackTile.get("icon").asString() + "'; })");
        assertThat(size.get(0).asInt()).isPositive();
    }

    @Test
    @Order(3)
    void connectOpensSwitchboardsPortalAndTheOAuthPopupThenResolvesWithTheAccount() {
        begin("paragon.connect('slack', {})");
        WebElement frame = waitFor(By.id("paragon-connect-frame"));
        browser.switchTo().frame(frame);
        assertThat(waitFor(By.id("title")).getText()).isEqualTo("Connect Slack");
        waitFor(By.id("connect")).click();
        allowInPopup();

        JsonNode installed = outcome();

        assertThat(installed.get("integrationType").asString()).isEqualTo("slack");
        assertThat(installed.at("/credential/status").asString()).isEqualTo("VALID");
        assertThat(installed.at("/credential/label").asString()).isEqualTo("Slack Softball Team");
        JsonNode user = run("paragon.getUser()");
        assertThat(user.at("/integrations/slack/enabled").asBoolean()).isTrue();
        assertThat(user.at("/integrations/slack/credentialId").asString()).isEqualTo(installed.get("credentialId").asString());
        run("paragon.closePortal()");
    }

    @Test
    @Order(4)
    void aSecondAccountInstallsHeadlessAndRequestsPickTheirAccount() {
        slack.teamId("T0SECOND1");
        run("(paragon.setHeadless(true), 0)");
        begin("paragon.installIntegration('slack', {allowMultipleCredentials: true})");
        allowInPopup();
        JsonNode second = outcome();

        JsonNode user = run("paragon.getUser()");
        assertThat(user.at("/integrations/slack/allCredentials")).hasSize(2);
        String first = java.util.stream.StreamSupport.stream(user.at("/integrations/slack/allCredentials").spliterator(), false)
                .map(c -> c.get("id").asString()).filter(id -> !id.equals(second.get("credentialId").asString())).findFirst().orElseThrow();

        JsonNode viaFirst = run("paragon.request('slack', '/conversations.list?limit=2', {method: 'GET', selectedCredentialId: '" + first + "'})");
        JsonNode viaSecond = run("paragon.request('slack', '/chat.postMessage', {method: 'POST', body: {channel: 'C00000001', text: 'from the SDK'}, "
                + "selectedCredentialId: '" + second.get("credentialId").asString() + "'})");

        assertThat(viaFirst.get("channels")).hasSize(2);
        assertThat(viaSecond.get("ok").asBoolean()).isTrue();
        assertThat(slack.received("chat.postMessage").getLast().body().get("text").asString()).isEqualTo("from the SDK");
        assertThat(slack.received("chat.postMessage").getLast().headers().get("Authorization"))
                .isNotEqualTo(slack.received("conversations.list").getLast().headers().get("Authorization"));
    }

    @Test
    @Order(5)
    void anApiKeyIntegrationInstallsHeadless() {
        JsonNode done = run("new Promise((ok, fail) => { paragon.installFlow.start('mailchimp', {"
                + "onNext: (stage) => { if (stage.stage === 'preOptions') paragon.installFlow.setPreOptions({apiKey: '0123456789abcdef-us19'}); },"
                + "onComplete: ok, onError: (e) => fail(e) }); })");

        assertThat(done.at("/credential/status").asString()).isEqualTo("VALID");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()), 200);
        assertThat(me.at("/integrations/mailchimp/enabled").asBoolean()).isTrue();
        assertThat(run("paragon.getUser()").at("/integrations/mailchimp/enabled").asBoolean()).isTrue();
    }

    @Test
    @Order(6)
    void userMetadataIsStoredAndReadBack() {
        run("paragon.setUserMetadata({name: 'Ada Lovelace', plan: 'pro'})");

        JsonNode user = run("paragon.getUser()");
        assertThat(user.at("/meta/Name").asString()).isEqualTo("Ada Lovelace");
        assertThat(user.at("/meta/plan").asString()).isEqualTo("pro");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()), 200);
        assertThat(me.at("/meta/Name").asString()).isEqualTo("Ada Lovelace");
    }

    @Test
    @Order(7)
    void uninstallRemovesTheChosenAccountOnly() {
        JsonNode before = run("paragon.getUser()").at("/integrations/slack/allCredentials");
        String removed = before.get(0).get("id").asString();

        run("paragon.uninstallIntegration('slack', {selectedCredentialId: '" + removed + "'})");

        JsonNode after = run("paragon.getUser()").at("/integrations/slack/allCredentials");
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("id").asString()).isNotEqualTo(removed);
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()), 200);
        assertThat(me.at("/integrations/slack/allCredentials")).extracting(c -> c.get("id").asString()).doesNotContain(removed).hasSize(1);
    }
}
