package dev.switchboard.routes.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The operator console over plain HTTP, as a browser would drive it and as an attacker would try it: the sign-in and
 * its cookie, CSRF and origin checks on every form, the session ended by signing out, the API and the console each
 * refusing the other's credential, escaping, and each form doing what the admin API does (a refused form changing
 * nothing). ConsoleBrowserTest drives the same pages in Chromium.
 */
class ConsoleTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    private static SlackFake slack;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        slack = new SlackFake(3, 2).acceptToken("xoxb-console-token").start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    /** A signed-in browser: its session cookie, and the CSRF token its pages carry. */
    record Browser(String cookie, String csrf) {
        Answer get(String path) {
            return Http.send("GET", server.url(path), Map.of("Cookie", cookie), null);
        }

        Answer post(String path, Map<String, String> form) {
            return post(path, form, Map.of());
        }

        Answer post(String path, Map<String, String> form, Map<String, String> headers) {
            Map<String, String> all = new LinkedHashMap<>(Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"));
            all.putAll(headers);
            return Http.send("POST", server.url(path), all, encode(form));
        }

        /** The form with this session's CSRF token added. */
        Answer submit(String path, Map<String, String> form) {
            Map<String, String> withToken = new LinkedHashMap<>(form);
            withToken.put("csrf", csrf);
            return post(path, withToken);
        }
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static Browser signIn() {
        Answer signedIn = Http.send("POST", server.url("/admin/console/sign-in"), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                encode(Map.of("token", TestServer.ADMIN_TOKEN)));
        assertThat(signedIn.status()).as(signedIn.text()).isEqualTo(303);
        String cookie = signedIn.header("Set-Cookie").split(";", 2)[0];
        Answer projects = Http.send("GET", server.url("/admin/console/projects"), Map.of("Cookie", cookie), null);
        Matcher csrf = CSRF.matcher(projects.text());
        assertThat(csrf.find()).as(projects.text()).isTrue();
        return new Browser(cookie, csrf.group(1));
    }

    private static int projectCount() {
        return server.admin("GET", "/admin/projects", null).json().get("projects").size();
    }

    @Test
    void signingInSetsAStrictHttpOnlyCookieAndSigningOutEndsTheSession() {
        Answer page = Http.send("GET", server.url("/admin/console/projects"), Map.of(), null);
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.header("Location")).isEqualTo("/admin/console/sign-in");
        assertThat(Http.send("GET", server.url("/admin"), Map.of(), null).header("Location")).isEqualTo("/admin/console/projects");

        Answer signInPage = Http.send("GET", server.url("/admin/console/sign-in"), Map.of(), null);
        assertThat(signInPage.status()).isEqualTo(200);
        assertThat(signInPage.header("Content-Type")).startsWith("text/html");
        assertThat(signInPage.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(signInPage.header("Cache-Control")).isEqualTo("no-store");

        Answer wrong = Http.send("POST", server.url("/admin/console/sign-in"), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                encode(Map.of("token", "not-the-admin-token")));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Set-Cookie")).isNull();
        assertThat(wrong.text()).contains("That is not this server's admin token").doesNotContain("not-the-admin-token");

        Answer right = Http.send("POST", server.url("/admin/console/sign-in"), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                encode(Map.of("token", TestServer.ADMIN_TOKEN)));
        String setCookie = right.header("Set-Cookie");
        assertThat(setCookie).startsWith("switchboard_console=").contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/admin")
                .doesNotContain(TestServer.ADMIN_TOKEN);
        Browser browser = signIn();
        assertThat(browser.get("/admin/console/projects").status()).isEqualTo(200);

        // the cookie opens the console only, the admin token the API only
        assertThat(Http.send("GET", server.url("/admin/projects"), Map.of("Cookie", browser.cookie()), null).status()).isEqualTo(401);
        assertThat(Http.send("GET", server.url("/admin/console/projects"), Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN), null)
                .status()).isEqualTo(303);
        String forged = "switchboard_console=" + "A".repeat(43);
        assertThat(Http.send("GET", server.url("/admin/console/projects"), Map.of("Cookie", forged), null).status()).isEqualTo(303);

        Answer signedOut = browser.submit("/admin/console/sign-out", Map.of());
        assertThat(signedOut.status()).isEqualTo(303);
        assertThat(signedOut.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(browser.get("/admin/console/projects").status()).as("the old cookie, replayed after signing out").isEqualTo(303);
    }

    @Test
    void everyFormNeedsItsSessionsCsrfTokenAndThisSitesOrigin() {
        Browser browser = signIn();
        Browser other = signIn();
        int before = projectCount();
        Answer noToken = browser.post("/admin/console/projects", Map.of("name", "forged"));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.text()).contains("CSRF token");
        assertThat(browser.post("/admin/console/projects", Map.of("name", "forged", "csrf", other.csrf())).status())
                .as("another session's token").isEqualTo(403);
        assertThat(browser.post("/admin/console/projects", Map.of("name", "forged", "csrf", browser.csrf()),
                Map.of("Origin", "https://evil.example")).status()).as("posted from another site").isEqualTo(403);
        assertThat(Http.send("POST", server.url("/admin/console/projects"), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                encode(Map.of("name", "forged", "csrf", browser.csrf()))).status()).as("no session").isEqualTo(303);
        assertThat(projectCount()).as("nothing was created").isEqualTo(before);

        Answer created = browser.post("/admin/console/projects", Map.of("name", "from the console", "csrf", browser.csrf()),
                Map.of("Origin", server.url("")));
        assertThat(created.status()).isEqualTo(303);
        assertThat(projectCount()).isEqualTo(before + 1);
    }

    @Test
    void projectsAreCreatedRenamedSetAndDeletedOnlyOnceConfirmed() {
        Browser browser = signIn();
        Answer blank = browser.submit("/admin/console/projects", Map.of("name", "  "));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.text()).contains("'name' is required");

        Answer created = browser.submit("/admin/console/projects", Map.of("name", "<script>alert(1)</script>"));
        String projectPath = created.header("Location").split("\\?")[0];
        String projectId = projectPath.substring(projectPath.lastIndexOf('/') + 1);
        Answer page = browser.get(projectPath);
        assertThat(page.text()).as("names are escaped").contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");

        Answer badColour = browser.submit(projectPath, Map.of("name", "renamed", "unknownParameters", "ignore", "accentColor", "blue"));
        assertThat(badColour.status()).isEqualTo(400);
        assertThat(badColour.text()).contains("#RRGGBB");
        JsonNode unchanged = server.admin("GET", "/admin/projects/" + projectId, null).json();
        assertThat(unchanged.get("name").asString()).as("a refused form changes nothing").isEqualTo("<script>alert(1)</script>");
        assertThat(unchanged.get("unknownParameters").asString()).isEqualTo("refuse");

        Answer saved = browser.submit(projectPath, Map.of("name", "renamed", "unknownParameters", "ignore", "displayName", "Acme"));
        assertThat(saved.status()).isEqualTo(303);
        assertThat(browser.get(saved.header("Location")).text()).contains("Saved.");
        JsonNode project = server.admin("GET", "/admin/projects/" + projectId, null).json();
        assertThat(project.get("name").asString()).isEqualTo("renamed");
        assertThat(project.get("unknownParameters").asString()).isEqualTo("ignore");
        assertThat(project.get("branding").get("displayName").asString()).isEqualTo("Acme");

        assertThat(browser.get(projectPath + "/delete").text()).contains("cannot be undone");
        Answer notConfirmed = browser.submit(projectPath + "/delete", Map.of("confirm", "something else"));
        assertThat(notConfirmed.status()).isEqualTo(400);
        assertThat(server.admin("GET", "/admin/projects/" + projectId, null).status()).isEqualTo(200);
        Answer deleted = browser.submit(projectPath + "/delete", Map.of("confirm", "renamed"));
        assertThat(deleted.status()).isEqualTo(303);
        assertThat(server.admin("GET", "/admin/projects/" + projectId, null).status()).isEqualTo(404);
        assertThat(browser.get(projectPath).status()).isEqualTo(404);
    }

    @Test
    void aGeneratedKeysPrivateHalfIsShownOnceAndSignsTokensUntilRetired() {
        Browser browser = signIn();
        TestServer.Project project = server.createProject("keys");
        String projectPath = "/admin/console/projects/" + project.id();
        Answer generated = browser.submit(projectPath + "/signing-keys", Map.of("mode", "generate"));
        assertThat(generated.status()).isEqualTo(201);
        Matcher pem = Pattern.compile("(-----BEGIN PRIVATE KEY-----[^<]+-----END PRIVATE KEY-----)").matcher(generated.text());
        assertThat(pem.find()).isTrue();
        Matcher kid = Pattern.compile("id=\"kid\">([^<]+)<").matcher(generated.text());
        assertThat(kid.find()).isTrue();
        assertThat(generated.text()).contains("download=\"switchboard-" + kid.group(1) + ".pem\"");

        String privateKey = pem.group(1).replace("&#10;", "\n").replace("\r", "");
        server.importCredential(project.id(), "u1", "slack", "xoxb-console-token");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        String token = Tokens.sign(privateKey, Tokens.claims("u1").build(), kid.group(1));
        assertThat(server.runAction(project, token, "SLACK_LIST_CHANNELS", Map.of()).status()).isEqualTo(200);
        assertThat(browser.get(projectPath).text()).as("only the public half is kept").doesNotContain("PRIVATE KEY");

        Answer badPem = browser.submit(projectPath + "/signing-keys", Map.of("mode", "pem", "publicKeyPem", "not a key"));
        assertThat(badPem.status()).isEqualTo(400);
        assertThat(badPem.text()).contains("publicKeyPem");

        assertThat(browser.submit(projectPath + "/signing-keys/" + kid.group(1) + "/retire", Map.of()).status()).isEqualTo(303);
        assertThat(server.runAction(project, token, "SLACK_LIST_CHANNELS", Map.of()).status()).as("signed by a retired key").isEqualTo(401);
    }

    @Test
    void anIntegrationsFormKeepsItsSecretWhenLeftEmptyAndRefusesABadAddress() {
        Browser browser = signIn();
        TestServer.Project project = server.createProject("integrations");
        String path = "/admin/console/projects/" + project.id() + "/integrations/slack";
        assertThat(browser.get(path).text()).contains("Rate limit").contains("Client secret");
        Answer saved = browser.submit(path, Map.of("enabled", "on", "clientId", "console-client", "clientSecret", "console-secret",
                "scopes", "chat:write, channels:read", "url.api", slack.apiUrl()));
        assertThat(saved.status()).isEqualTo(303);
        JsonNode config = server.admin("GET", "/admin/projects/" + project.id() + "/integrations/slack", null).json();
        assertThat(config.get("enabled").asBoolean()).isTrue();
        assertThat(config.get("scopes").toString()).isEqualTo("[\"chat:write\",\"channels:read\"]");
        assertThat(config.get("urls").get("api").asString()).isEqualTo(slack.apiUrl());
        Answer page = browser.get(path);
        assertThat(page.text()).contains("A secret is stored").doesNotContain("console-secret");

        Answer badUrl = browser.submit(path, Map.of("clientId", "changed", "url.api", "ftp://example.com"));
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.text()).contains("urls.api must be an absolute http(s) URL");
        assertThat(server.admin("GET", "/admin/projects/" + project.id() + "/integrations/slack", null).json().get("clientId").asString())
                .isEqualTo("console-client");

        assertThat(browser.submit(path, Map.of("clientId", "console-client")).status()).as("disabled, secret left empty").isEqualTo(303);
        config = server.admin("GET", "/admin/projects/" + project.id() + "/integrations/slack", null).json();
        assertThat(config.get("enabled").asBoolean()).isFalse();
        assertThat(config.get("hasClientSecret").asBoolean()).as("the stored secret is kept").isTrue();
        assertThat(browser.get("/admin/console/projects/" + project.id() + "/integrations/nope").status()).isEqualTo(404);
    }

    @Test
    void usersAccountsAreListedAndDisconnectedAndRunsFiltered() {
        Browser browser = signIn();
        TestServer.Project project = server.createProject("accounts");
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        String credential = server.importCredential(project.id(), "ada+lovelace@example.com", "slack", "xoxb-console-token");
        String token = Tokens.sign(project.privateKeyPem(), "ada+lovelace@example.com", c -> c);
        Answer ran = server.runAction(project, token, "SLACK_LIST_CHANNELS", Map.of());
        assertThat(ran.status()).isEqualTo(200);
        assertThat(server.runAction(project, token, "SLACK_SEND_MESSAGE", Map.of("channel", "#general")).status()).isEqualTo(400);

        String base = "/admin/console/projects/" + project.id();
        assertThat(browser.get(base + "/users").text()).contains("ada+lovelace@example.com");
        String userPath = base + "/users/ada%2Blovelace%40example.com";
        Answer user = browser.get(userPath);
        assertThat(user.status()).as(user.text()).isEqualTo(200);
        assertThat(user.text()).contains("account-" + credential).contains("VALID").doesNotContain("xoxb-console-token");

        Answer runs = browser.get(base + "/runs?status=FAILED");
        assertThat(runs.text()).contains("SLACK_SEND_MESSAGE").contains("invalid_parameters").doesNotContain("SLACK_LIST_CHANNELS");
        Answer badSince = browser.get(base + "/runs?since=yesterday");
        assertThat(badSince.status()).isEqualTo(400);
        assertThat(badSince.text()).contains("since must be an ISO-8601 instant");
        Matcher runLink = Pattern.compile("href=\"(" + Pattern.quote(base) + "/runs/[0-9a-f-]+)\"").matcher(browser.get(base + "/runs?outcome=succeeded").text());
        assertThat(runLink.find()).isTrue();
        Answer detail = browser.get(runLink.group(1));
        assertThat(detail.text()).contains("SLACK_LIST_CHANNELS").contains(ran.header("X-Request-Id")).contains("SUCCEEDED");

        Answer disconnected = browser.submit(userPath + "/accounts/" + credential + "/disconnect", Map.of());
        assertThat(disconnected.status()).isEqualTo(303);
        assertThat(server.admin("GET", "/admin/projects/" + project.id() + "/users/ada+lovelace@example.com/credentials", null).json()
                .get("credentials")).isEmpty();
        assertThat(browser.submit(userPath + "/accounts/" + credential + "/disconnect", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void anAccountIsImportedFromTheUsersPageAndAPublicKeyAddedByPem() throws Exception {
        Browser browser = signIn();
        TestServer.Project project = server.createProject("imports");
        String base = "/admin/console/projects/" + project.id();
        Answer noToken = browser.submit(base + "/users", Map.of("userId", "cy", "integration", "slack"));
        assertThat(noToken.status()).isEqualTo(400);
        assertThat(noToken.text()).contains("field 'accessToken' is required");
        Answer badData = browser.submit(base + "/users", Map.of("userId", "cy", "integration", "xero", "accessToken", "xero-token",
                "providerData", "no equals sign"));
        assertThat(badData.status()).isEqualTo(400);
        assertThat(server.admin("GET", "/admin/projects/" + project.id() + "/users", null).json().get("users")).as("nothing stored").isEmpty();

        Answer imported = browser.submit(base + "/users", Map.of("userId", "cy", "integration", "xero", "accessToken", "xero-token",
                "refreshToken", "xero-refresh", "expiresAt", "2030-01-01T00:00:00Z", "providerData", "tenantId=tenant-1\n"));
        assertThat(imported.status()).as(imported.text()).isEqualTo(303);
        assertThat(imported.header("Location")).endsWith("/users/cy?done=imported");
        JsonNode account = server.admin("GET", "/admin/projects/" + project.id() + "/users/cy/credentials", null).json().get("credentials").get(0);
        assertThat(account.get("integration").asString()).isEqualTo("xero");
        assertThat(account.get("hasRefreshToken").asBoolean()).isTrue();
        assertThat(account.get("providerData").get("tenantId").asString()).isEqualTo("tenant-1");
        assertThat(browser.get(imported.header("Location")).text()).contains("Account imported.").doesNotContain("xero-token");

        java.security.KeyPair pair = dev.switchboard.auth.Pem.generateRsa();
        String publicPem = dev.switchboard.auth.Pem.encodePublic((java.security.interfaces.RSAPublicKey) pair.getPublic());
        Answer added = browser.submit(base + "/signing-keys", Map.of("mode", "pem", "publicKeyPem", publicPem));
        assertThat(added.status()).isEqualTo(303);
        JsonNode keys = server.admin("GET", "/admin/projects/" + project.id() + "/signing-keys", null).json().get("signingKeys");
        assertThat(keys.valueStream().map(k -> k.get("publicKeyPem").asString().strip())).contains(publicPem.strip());
        assertThat(browser.submit(base + "/signing-keys", Map.of("mode", "pem", "publicKeyPem", publicPem)).status())
                .as("the same key twice").isEqualTo(409);
    }

    @Test
    void theTriggerWebhookIsSetAndItsEventsReplayedFromTheConsole() {
        Browser browser = signIn();
        TestServer.Project project = server.createProject("console-triggers");
        String base = "/admin/console/projects/" + project.id();
        Answer badUrl = browser.submit(base + "/trigger-webhook", Map.of("url", "javascript:alert(1)"));
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(browser.submit(base + "/trigger-webhook", Map.of("url", "http://127.0.0.1:1/events")).status()).isEqualTo(303);
        String secret = server.admin("GET", "/admin/projects/" + project.id() + "/trigger-webhook", null).json().get("secret").asString();
        assertThat(browser.get(base).text()).contains(secret).contains("http://127.0.0.1:1/events");

        assertThat(browser.submit(base + "/integrations/slack", Map.of("enabled", "on", "clientId", "cid", "signingSecret", "console-signing")).status())
                .isEqualTo(303);
        assertThat(browser.submit(base + "/integrations/slack", Map.of("enabled", "on", "clientId", "cid")).status()).isEqualTo(303);
        assertThat(server.admin("GET", "/admin/projects/" + project.id() + "/integrations/slack", null).json().get("hasSigningSecret").asBoolean())
                .as("kept when left empty").isTrue();
        server.importCredential(project.id(), "u1", Map.of("integration", "slack", "accessToken", "xoxb-1", "providerId", "T-console"));
        TestServer.expect(server.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", Tokens.sign(project.privateKeyPem(), "u1", c -> c),
                Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED"), Map.of()), 200);
        assertThat(dev.switchboard.testing.SlackEventsApi.post(server, project.id(),
                dev.switchboard.testing.SlackEventsApi.messageEvent("Ev-console", "T-console", "C1", "hi", ""), "console-signing").status()).isEqualTo(200);

        assertThat(browser.get(base + "/users/u1").text()).as("the user's subscriptions and their state")
                .contains("SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED").contains("ACTIVE");
        Answer events = browser.get(base + "/trigger-events");
        Matcher replay = Pattern.compile("action=\"(" + Pattern.quote(base) + "/trigger-events/[0-9a-f-]+/replay)\"").matcher(events.text());
        assertThat(replay.find()).as(events.text()).isTrue();
        Answer detail = browser.get(replay.group(1).replace("/replay", ""));
        assertThat(detail.text()).contains("What is delivered").contains("SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED").containsPattern("(&quot;|\")hi(&quot;|\")");
        Answer replayed = browser.submit(replay.group(1), Map.of());
        assertThat(replayed.status()).isEqualTo(303);
        assertThat(browser.get(replayed.header("Location")).text()).contains("delivered again");
        assertThat(browser.submit(base + "/trigger-events/nope/replay", Map.of()).status()).isEqualTo(404);
    }
}
