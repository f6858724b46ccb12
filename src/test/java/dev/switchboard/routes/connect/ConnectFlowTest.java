package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The OAuth connect flow's defences, over plain HTTP: states are single use, bound to the browser, and refusals come back. */
class ConnectFlowTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestServer server;
    private static SlackFake slack;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        slack = new SlackFake(1, 1).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("connect-flow");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack", slack.oauthConfig("chat:write")), 200);
        token = Tokens.sign(project.privateKeyPem(), "flow-user", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    /** A browser: its own cookies, redirects not followed so each step can be seen. */
    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String startAuthorization(HttpClient browser) throws Exception {
        HttpResponse<String> started = browser.send(HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/connect/slack/start")))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        return vendorAuthorizeUrl(browser, JSON.readTree(started.body()).get("authorizeUrl").asString());
    }

    /** Switchboard's first stop: it sets this browser's cookie on the callback's host and sends it on to the vendor. */
    private static String vendorAuthorizeUrl(HttpClient browser, String firstStop) throws Exception {
        HttpResponse<String> stop = get(browser, firstStop);
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(302);
        assertThat(stop.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("Path=/connect/oauth/callback");
        return stop.headers().firstValue("Location").orElseThrow();
    }

    /** Follows the authorize URL through the fake's consent to the redirect back to Switchboard's callback. */
    private static String consent(HttpClient browser, String authorizeUrl, boolean allow) throws Exception {
        String approve = authorizeUrl.replace("/oauth/v2/authorize?", "/oauth/v2/approve?" + (allow ? "" : "deny=1&"));
        HttpResponse<String> redirect = browser.send(HttpRequest.newBuilder(URI.create(approve)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return redirect.headers().firstValue("Location").orElseThrow();
    }

    private static HttpResponse<String> get(HttpClient browser, String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCompletedFlowStoresTheAccountAndItsStateCannotBeReplayed() throws Exception {
        HttpClient browser = browser();
        String callback = consent(browser, startAuthorization(browser), true);
        HttpResponse<String> done = get(browser, callback);
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location").orElseThrow()).contains("/projects/" + project.id() + "/connect#connected=slack");

        HttpResponse<String> replay = get(browser, callback);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(replay.body()).get("code").asString()).isEqualTo("invalid_state");
        assertThat(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()).json()
                .at("/integrations/slack/allCredentials")).hasSize(1);
    }

    @Test
    void aCallbackInAnotherBrowserIsRefused() throws Exception {
        HttpClient victim = browser();
        String callback = consent(victim, startAuthorization(browser()), true); // started by someone else's browser
        HttpResponse<String> response = get(victim, callback);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("another browser");
    }

    @Test
    void aDeniedConsentComesBackAsAnError() throws Exception {
        HttpClient browser = browser();
        HttpResponse<String> back = get(browser, consent(browser, startAuthorization(browser), false));
        assertThat(back.statusCode()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("#error=access_denied");
    }

    @Test
    void startNeedsTheUsersTokenAndAnOAuthIntegration() throws Exception {
        HttpResponse<String> anonymous = browser().send(HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/connect/slack/start")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(get(browser(), server.url("/connect/oauth/callback?state=forged&code=x")).statusCode()).isEqualTo(400);
    }

    @Test
    void anAccountIdLongerThanTheStoresHoldStoresNothing() throws Exception {
        String user = "long-team-user";
        String userToken = Tokens.sign(project.privateKeyPem(), user, c -> c);
        slack.teamId("T".repeat(300));
        try {
            HttpClient browser = browser();
            HttpResponse<String> started = browser.send(HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/connect/slack/start")))
                    .header("Authorization", "Bearer " + userToken).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> back = get(browser, consent(browser, vendorAuthorizeUrl(browser, JSON.readTree(started.body()).get("authorizeUrl").asString()), true));
            assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("#error=invalid_token_answer");
        } finally {
            slack.teamId("T9TK3CUKW");
        }
        assertThat(server.user("GET", "/projects/" + project.id() + "/sdk/credentials", userToken, null, Map.of()).json()).isEmpty();
    }
}
