package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Connect SDK's side of Switchboard over plain HTTP, for what a browser test cannot easily show: a session's outcome
 * reaches only its own user, the popup's steps refuse forged or replayed input, what the popup page writes cannot be
 * turned into script, browsers from any origin pass the preflight of user endpoints but not of the admin API, and
 * every host of the on-prem layout reaches the same routes.
 */
class SdkConnectFlowTest {
    private static TestServer server;
    private static SlackFake slack;
    private static Project project;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        slack = new SlackFake(1, 1).start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("sdk-flow");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack", slack.oauthConfig("chat:write")), 200);
        server.configureIntegration(project.id(), "mailchimp", "http://127.0.0.1:1/3.0");
        alice = Tokens.sign(project.privateKeyPem(), "alice", c -> c);
        bob = Tokens.sign(project.privateKeyPem(), "bob", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HttpResponse<String> get(HttpClient browser, String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String buildOAuth(String token, String session, String origin) {
        Answer answer = server.user("GET", "/v2/projects/" + project.id() + "/sdk/actions/build-oauth?action=slack&oauthMetaKeyId=" + session + "&originForPostMessage="
                + URLEncoder.encode(origin, StandardCharsets.UTF_8), token, null, Map.of());
        return TestServer.expect(answer, 200).get("redirectUrl").asString();
    }

    private static JsonNode poll(String token, String session) {
        return TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/actions/session-id/" + session, token, null, Map.of()), 200);
    }

    /** The popup's path: Switchboard's first stop, the vendor's consent, back to the callback; the callback's page. */
    private static HttpResponse<String> popup(HttpClient browser, String redirectUrl, boolean allow) throws Exception {
        HttpResponse<String> begin = get(browser, redirectUrl);
        assertThat(begin.statusCode()).as(begin.body()).isEqualTo(302);
        String authorize = begin.headers().firstValue("Location").orElseThrow();
        String approve = authorize.replace("/oauth/v2/authorize?", "/oauth/v2/approve?" + (allow ? "" : "deny=1&"));
        String callback = get(browser, approve).headers().firstValue("Location").orElseThrow();
        return get(browser, callback);
    }

    @Test
    void aSessionsOutcomeReachesItsOwnUserOnlyAndItsLinkWorksOnce() throws Exception {
        String redirect = buildOAuth(alice, "alicesession1", "https://app.example.com");
        assertThat(poll(alice, "alicesession1").has("connectCredentialId")).as("nothing before the popup finishes").isFalse();

        HttpClient browser = browser();
        HttpResponse<String> done = popup(browser, redirect, true);

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Connected. You can close this window.").contains("window.close()");
        String credentialId = poll(alice, "alicesession1").get("connectCredentialId").asString();
        assertThat(credentialId).isNotBlank();
        assertThat(poll(bob, "alicesession1").has("connectCredentialId")).as("another user polling the same id learns nothing").isFalse();
        assertThat(server.user("GET", "/projects/" + project.id() + "/sdk/credentials/" + credentialId, bob, null, Map.of()).status()).isEqualTo(404);
        JsonNode credential = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/credentials/" + credentialId, alice, null, Map.of()), 200);
        assertThat(credential.get("status").asString()).isEqualTo("VALID");
        assertThat(credential.at("/configurations/0/isDefault").asBoolean()).isTrue();

        assertThat(get(browser(), redirect).statusCode()).as("the first stop's link is spent with its state").isEqualTo(400);
        TestServer.expect(server.user("DELETE", "/projects/" + project.id() + "/sdk/actions/session-id/alicesession1", alice, null, Map.of()), 200);
        assertThat(poll(alice, "alicesession1").has("connectCredentialId")).isFalse();
    }

    @Test
    void theFirstStopAndTheCallbackRefuseAnotherBrowser() throws Exception {
        String redirect = buildOAuth(alice, "forged1", "https://app.example.com");
        String forged = redirect.replaceAll("browser=[^&]+", "browser=not-the-secret");
        HttpResponse<String> refused = get(browser(), forged);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("unknown, used or expired");

        // The vendor's consent reached in a browser that never passed the first stop (a link sent to someone else).
        HttpResponse<String> begin = get(browser(), redirect);
        String authorize = begin.headers().firstValue("Location").orElseThrow();
        HttpClient victim = browser();
        String callback = get(victim, authorize.replace("/oauth/v2/authorize?", "/oauth/v2/approve?")).headers().firstValue("Location").orElseThrow();
        HttpResponse<String> landed = get(victim, callback);
        assertThat(landed.statusCode()).isEqualTo(400);
        assertThat(landed.body()).contains("another browser");
        assertThat(poll(alice, "forged1").has("connectCredentialId")).isFalse();
    }

    @Test
    void aRefusalIsToldToTheSdksWindowInPlainWordsAndRecordedForItsPoll() throws Exception {
        String redirect = buildOAuth(alice, "denied1", "https://app.example.com:8443");

        HttpResponse<String> page = popup(browser(), redirect, false);

        assertThat(page.body()).contains("oauth_error_callback").contains("\"https://app.example.com:8443\"")
                .contains("You did not allow access");
        JsonNode outcome = poll(alice, "denied1");
        assertThat(outcome.get("error").asString()).isEqualTo("access_denied");
        assertThat(outcome.has("connectCredentialId")).isFalse();
    }

    @Test
    void whatThePopupPagesWriteCannotBecomeScript() throws Exception {
        Answer badOrigin = server.user("GET", "/v2/projects/" + project.id() + "/sdk/actions/build-oauth?action=slack&oauthMetaKeyId=s1"
                + "&originForPostMessage=javascript:alert(1)", alice, null, Map.of());
        assertThat(TestServer.expect(badOrigin, 400).get("message").asString()).contains("originForPostMessage");
        Answer badSession = server.user("GET", "/v2/projects/" + project.id() + "/sdk/actions/build-oauth?action=slack&oauthMetaKeyId=%3Cscript%3E"
                + "&originForPostMessage=https://app.example.com", alice, null, Map.of());
        assertThat(TestServer.expect(badSession, 400).get("message").asString()).contains("oauthMetaKeyId");

        HttpResponse<String> nonce = get(browser(), server.url("/projects/" + project.id() + "/sdk/actions/oauth-nonce?action=slack&originForPostMessage="
                + URLEncoder.encode("https://app.example.com/</script><script>alert(1)</script>", StandardCharsets.UTF_8)));
        assertThat(nonce.body()).doesNotContain("alert(1)");
        HttpResponse<String> fine = get(browser(), server.url("/projects/" + project.id() + "/sdk/actions/oauth-nonce?originForPostMessage="
                + URLEncoder.encode("https://app.example.com", StandardCharsets.UTF_8)));
        assertThat(fine.body()).contains("oauth-nonce-loaded").contains("\"https://app.example.com\"");
        assertThat(fine.headers().firstValue("Cross-Origin-Opener-Policy")).as("the popup keeps its opener").isEmpty();
    }

    @Test
    void apiKeysInstallHeadlessAndOAuthIntegrationsRefuseThem() {
        Answer oauth = server.user("POST", "/projects/" + project.id() + "/sdk/credentials", alice,
                Map.of("integrationId", "slack", "payload", Map.of("apiKey", "x")), Map.of());
        assertThat(TestServer.expect(oauth, 400).get("code").asString()).isEqualTo("connect_not_available");

        JsonNode integrations = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/integrations", alice, null, Map.of()), 200);
        String mailchimpId = java.util.stream.StreamSupport.stream(integrations.spliterator(), false)
                .filter(i -> i.get("type").asString().equals("mailchimp")).findFirst().orElseThrow().get("id").asString();
        JsonNode saved = TestServer.expect(server.user("POST", "/projects/" + project.id() + "/sdk/credentials", alice,
                Map.of("integrationId", mailchimpId, "config", Map.of(), "payload", Map.of("apiKey", "0123456789abcdef-us19")), Map.of()), 200);
        assertThat(saved.get("status").asString()).isEqualTo("VALID");
        assertThat(saved.get("integrationId").asString()).isEqualTo(mailchimpId);
        assertThat(saved.toString()).as("the key is never echoed").doesNotContain("0123456789abcdef");
    }

    @Test
    void browsersFromAnyOriginPassThePreflightOfUserEndpointsOnly() {
        Answer preflight = Http.send("OPTIONS", server.url("/projects/" + project.id() + "/sdk/me"), Map.of("Origin", "https://app.example.com",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization,x-paragon-sdk-version"), null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("x-paragon-sdk-version");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).as("no cookies across origins").isNull();

        Answer admin = Http.send("OPTIONS", server.url("/admin/projects"), Map.of("Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"), null);
        assertThat(admin.header("Access-Control-Allow-Origin")).isNull();

        Answer me = Http.send("GET", server.url("/projects/" + project.id() + "/sdk/me"), Map.of("Origin", "https://app.example.com",
                "Authorization", "Bearer " + alice), null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(me.json().at("/project/accessibleFeatures").toString()).contains("headless-cp");
    }

    @Test
    void everyHostOfTheOnPremLayoutReachesTheSameRoutes() throws Exception {
        int port = URI.create(server.url("/")).getPort();
        for (String host : List.of("worker-actionkit.sb.example.com", "zeus.sb.example.com", "actionkit.sb.example.com", "worker-proxy.sb.example.com")) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /projects/" + project.id() + "/actions?limit_to_available=false HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                        + alice + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertThat(status).as(host).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }
}
