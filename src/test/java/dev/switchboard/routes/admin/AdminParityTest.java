package dev.switchboard.routes.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything an operator does has an API and a CLI command: projects listed and deleted with all they hold, the
 * integrations shipped and configured, an OAuth app changed in part, users and their accounts listed, shown and
 * disconnected, runs paged by cursor with filters. The CLI commands are run against the same server.
 */
class AdminParityTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static SlackFake slack;
    private static TestServer server;
    /** Where the CLI reads the admin token, as it would from the server's data directory. */
    private static java.nio.file.Path tokenDir;

    @BeforeAll
    static void start() throws Exception {
        slack = new SlackFake(3, 2).acceptToken("xoxb-parity-token").start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        tokenDir = java.nio.file.Files.createTempDirectory("admin-cli");
        java.nio.file.Files.writeString(tokenDir.resolve("admin-token"), TestServer.ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    record Ran(int exitCode, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    /** The CLI, in this JVM, against the test server. */
    static Ran cli(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        if (all.get(0).equals("admin")) {
            all.addAll(1, List.of("--server", server.url("").replaceAll("/$", ""), "--data-dir", tokenDir.toString()));
        }
        int code = cli.execute(all.toArray(String[]::new));
        return new Ran(code, out.toString(), err.toString());
    }

    private static TestServer.Project projectWithSlack(String name) {
        TestServer.Project project = server.createProject(name);
        server.configureIntegration(project.id(), "slack", slack.apiUrl());
        return project;
    }

    @Test
    void projectsAreListedAndDeletedWithEverythingUnderThem() throws Exception {
        TestServer.Project doomed = projectWithSlack("doomed");
        TestServer.Project kept = projectWithSlack("kept");
        for (TestServer.Project project : List.of(doomed, kept)) {
            server.importCredential(project.id(), "u1", "slack", "xoxb-parity-token");
            assertThat(server.runAction(project, Tokens.sign(project.privateKeyPem(), "u1", c -> c), "SLACK_LIST_CHANNELS", Map.of()).status()).isEqualTo(200);
        }
        Ran listed = cli("admin", "list-projects");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.json().get("projects").valueStream().map(p -> p.get("id").asString())).contains(doomed.id(), kept.id());

        Ran unconfirmed = cli("admin", "delete-project", "--project", doomed.id());
        assertThat(unconfirmed.exitCode()).as("--yes is required").isEqualTo(2);
        Ran deleted = cli("admin", "delete-project", "--project", doomed.id(), "--yes");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(server.admin("GET", "/admin/projects/" + doomed.id(), null).status()).isEqualTo(404);
        assertThat(server.admin("DELETE", "/admin/projects/" + doomed.id(), null).status()).isEqualTo(404);
        assertThat(server.runAction(doomed, Tokens.sign(doomed.privateKeyPem(), "u1", c -> c), "SLACK_LIST_CHANNELS", Map.of()).status())
                .isEqualTo(404);

        // No table keeps a row of it; the other project keeps all of its own.
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("switchboard.db"))) {
            DatabaseMetaData meta = db.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet columns = meta.getColumns(null, null, "%", "project_id")) {
                while (columns.next()) {
                    tables.add(columns.getString("TABLE_NAME"));
                }
            }
            tables.add("projects");
            assertThat(tables).contains("runs", "credentials", "connected_users", "integration_configs", "signing_keys");
            for (String table : tables) {
                String column = table.equals("projects") ? "id" : "project_id";
                try (ResultSet left = db.createStatement().executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = '" + doomed.id() + "'")) {
                    assertThat(left.getInt(1)).as(table).isZero();
                }
            }
            try (ResultSet keptRuns = db.createStatement().executeQuery("SELECT COUNT(*) FROM runs WHERE project_id = '" + kept.id() + "'")) {
                assertThat(keptRuns.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void integrationsShippedAndConfiguredAreListedAndAnOAuthAppChangesInPart() {
        Ran shipped = cli("admin", "list-integrations");
        JsonNode integrations = shipped.json().get("integrations");
        assertThat(integrations.size()).isGreaterThanOrEqualTo(27);
        JsonNode slackEntry = integrations.valueStream().filter(i -> i.get("key").asString().equals("slack")).findFirst().orElseThrow();
        assertThat(slackEntry.get("name").asString()).isEqualTo("Slack");
        assertThat(slackEntry.get("authType").asString()).isEqualTo("oauth2");
        assertThat(slackEntry.get("actions").asInt()).isGreaterThan(5);
        assertThat(slackEntry.get("urls").toString()).contains("api");

        TestServer.Project project = server.createProject("oauth-app");
        Ran configured = cli("admin", "configure-integration", "--project", project.id(), "--integration", "slack", "--url", "api=" + slack.apiUrl(),
                "--client-id", "first-id", "--client-secret", "first-secret", "--scope", "chat:write");
        assertThat(configured.exitCode()).as(configured.err()).isZero();
        Ran updated = cli("admin", "update-integration", "--project", project.id(), "--integration", "slack", "--client-id", "second-id");
        assertThat(updated.exitCode()).as(updated.err()).isZero();
        JsonNode after = updated.json();
        assertThat(after.get("clientId").asString()).isEqualTo("second-id");
        assertThat(after.get("hasClientSecret").asBoolean()).as("the secret is kept").isTrue();
        assertThat(after.get("scopes").toString()).contains("chat:write");
        assertThat(after.get("urls").get("api").asString()).isEqualTo(slack.apiUrl());
        assertThat(updated.out()).doesNotContain("first-secret");

        Ran shown = cli("admin", "show-integration", "--project", project.id(), "--integration", "slack");
        assertThat(shown.json().get("clientId").asString()).isEqualTo("second-id");
        Ran renamed = cli("admin", "update-project", "--project", project.id(), "--unknown-parameters", "ignore",
                "--display-name", "Acme", "--accent-color", "#0B57D0", "--name", "  oauth app, renamed ");
        assertThat(renamed.exitCode()).as(renamed.out() + renamed.err()).isZero();
        JsonNode settings = cli("admin", "show-project", "--project", project.id()).json();
        assertThat(settings.get("name").asString()).isEqualTo("oauth app, renamed");
        Ran blankName = cli("admin", "update-project", "--project", project.id(), "--name", " ", "--unknown-parameters", "refuse");
        assertThat(blankName.out()).contains("'name' is required");
        assertThat(cli("admin", "show-project", "--project", project.id()).json().get("unknownParameters").asString())
                .as("a refused change changes nothing").isEqualTo("ignore");
        assertThat(settings.get("unknownParameters").asString()).isEqualTo("ignore");
        assertThat(settings.get("branding").get("displayName").asString()).isEqualTo("Acme");
        Ran badColour = cli("admin", "update-project", "--project", project.id(), "--accent-color", "blue");
        assertThat(badColour.exitCode()).isEqualTo(1);
        assertThat(badColour.out()).contains("#RRGGBB");

        Ran inProject = cli("admin", "list-integrations", "--project", project.id());
        assertThat(inProject.json().get("integrations").valueStream().map(i -> i.get("integration").asString())).containsExactly("slack");
        assertThat(server.admin("PATCH", "/admin/projects/" + project.id() + "/integrations/notion", Map.of("enabled", false)).status())
                .as("nothing to change in part").isEqualTo(404);
    }

    @Test
    void usersAndTheirAccountsAreListedShownAndDisconnected() {
        TestServer.Project project = projectWithSlack("accounts");
        String credential = server.importCredential(project.id(), "ada", Map.of("integration", "slack", "accessToken", "xoxb-parity-token",
                "refreshToken", "xoxe-1-parity-refresh", "expiresAt", "2030-01-01T00:00:00Z"));
        server.importCredential(project.id(), "bob", "slack", "xoxb-parity-token");
        Ran imported = cli("admin", "import-credential", "--project", project.id(), "--user", "cy", "--integration", "xero",
                "--access-token", "xero-parity-token", "--provider-data", "tenantId=tenant-1");
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        Ran users = cli("admin", "list-users", "--project", project.id(), "--limit", "2");
        assertThat(users.json().get("users").valueStream().map(u -> u.get("userId").asString() + "=" + u.get("accounts").asInt()))
                .containsExactly("ada=1", "bob=1");
        Ran rest = cli("admin", "list-users", "--project", project.id(), "--cursor", users.json().get("nextCursor").asString());
        assertThat(rest.json().get("users").valueStream().map(u -> u.get("userId").asString())).containsExactly("cy");

        Ran listed = cli("admin", "list-credentials", "--project", project.id(), "--user", "ada");
        JsonNode account = listed.json().get("credentials").get(0);
        assertThat(account.get("id").asString()).isEqualTo(credential);
        assertThat(account.get("status").asString()).isEqualTo("VALID");
        assertThat(account.get("hasRefreshToken").asBoolean()).isTrue();
        assertThat(account.get("expiresAt").asString()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(listed.out()).doesNotContain("xoxb-parity-token").doesNotContain("xoxe-1-parity-refresh");
        Ran cy = cli("admin", "list-credentials", "--project", project.id(), "--user", "cy");
        assertThat(cy.json().get("credentials").get(0).get("providerData").get("tenantId").asString()).isEqualTo("tenant-1");

        Ran shown = cli("admin", "show-credential", "--project", project.id(), "--user", "ada", "--credential", credential);
        assertThat(shown.json().get("integration").asString()).isEqualTo("slack");
        Ran otherUser = cli("admin", "show-credential", "--project", project.id(), "--user", "bob", "--credential", credential);
        assertThat(otherUser.exitCode()).as("an account is found under its own user only").isEqualTo(1);
        assertThat(otherUser.out()).contains("credential_not_found");

        Ran disconnected = cli("admin", "delete-credential", "--project", project.id(), "--user", "ada", "--credential", credential);
        assertThat(disconnected.exitCode()).isZero();
        Answer after = server.runAction(project, Tokens.sign(project.privateKeyPem(), "ada", c -> c), "SLACK_LIST_CHANNELS", Map.of());
        assertThat(after.status()).isEqualTo(400);
        assertThat(after.json().get("message").asString()).isEqualTo("Integration not enabled for user.");
        assertThat(after.json().get("meta").get("connectPage").asString()).isEqualTo(server.url("/projects/" + project.id() + "/connect"));
    }

    @Test
    void runsArePagedByCursorAndFiltered() {
        TestServer.Project project = projectWithSlack("runs");
        server.importCredential(project.id(), "u1", "slack", "xoxb-parity-token");
        String u1 = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 5; i++) {
            assertThat(server.runAction(project, u1, "SLACK_LIST_CHANNELS", Map.of()).status()).isEqualTo(200);
        }
        assertThat(server.runAction(project, u1, "SLACK_SEND_MESSAGE", Map.of("channel", "#general")).status()).isEqualTo(400);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            List<String> args = new ArrayList<>(List.of("admin", "runs", "--project", project.id(), "--limit", "2"));
            if (cursor != null) {
                args.addAll(List.of("--cursor", cursor));
            }
            JsonNode page = cli(args.toArray(String[]::new)).json();
            page.get("runs").forEach(run -> seen.add(run.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(6).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(4); // 2 + 2 + 2, then an empty last page

        assertThat(cli("admin", "runs", "--project", project.id(), "--outcome", "succeeded").json().get("runs")).hasSize(5);
        assertThat(cli("admin", "runs", "--project", project.id(), "--outcome", "invalid_parameters", "--integration", "slack")
                .json().get("runs")).hasSize(1);
        assertThat(cli("admin", "runs", "--project", project.id(), "--since", before.toString(), "--until", Instant.now().plusSeconds(5).toString())
                .json().get("runs")).hasSize(6);
        assertThat(cli("admin", "runs", "--project", project.id(), "--until", before.toString()).json().get("runs")).isEmpty();
        JsonNode failed = cli("admin", "runs", "--project", project.id(), "--status", "FAILED").json().get("runs").get(0);
        JsonNode one = cli("admin", "show-run", "--project", project.id(), "--run", failed.get("id").asString()).json();
        assertThat(one.get("errorCode").asString()).isEqualTo("invalid_parameters");
        assertThat(one.get("requestId").asString()).isEqualTo(failed.get("requestId").asString());
        assertThat(one.get("durationMs").isNumber()).isTrue();
        Ran otherProject = cli("admin", "show-run", "--project", projectWithSlack("other").id(), "--run", failed.get("id").asString());
        assertThat(otherProject.out()).as("a run is found under its own project only").contains("run_not_found");
        Answer badCursor = server.admin("GET", "/admin/projects/" + project.id() + "/runs?cursor=nonsense", null);
        assertThat(badCursor.status()).isEqualTo(400);
        Answer badTime = server.admin("GET", "/admin/projects/" + project.id() + "/runs?since=yesterday", null);
        assertThat(badTime.json().get("message").asString()).contains("since must be an ISO-8601 instant");
    }

    @Test
    void theHttpLayerNamesWhatItTakes() {
        Answer root = Http.send("GET", server.url("/"), Map.of(), null);
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.json().get("service").asString()).isEqualTo("Switchboard");
        assertThat(root.json().get("version").asString()).isNotBlank();

        Answer wrongMethod = server.admin("DELETE", "/admin/projects", null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).contains("GET").contains("POST");
        assertThat(wrongMethod.json().get("code").asString()).isEqualTo("method_not_allowed");
        assertThat(Http.send("GET", server.url("/no/such/thing"), Map.of(), null).status()).isEqualTo(404);
    }

    @Test
    void theCliSaysWhatIsWrongAndHelpsWithEveryCommand() {
        int closed = ServerProcesses.freePort();
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("admin", "--server", "http://127.0.0.1:" + closed, "--data-dir", tokenDir.toString(), "list-projects");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach Switchboard at http://127.0.0.1:" + closed + ": connection refused")
                .contains("./switchboard serve").doesNotContain("Exception");

        for (String ttl : List.of("0h", "-5m", "soon")) {
            Ran refused = cli("token", "--project", "p", "--user", "u", "--key", "/dev/null", "--ttl", ttl);
            assertThat(refused.exitCode()).as(ttl).isEqualTo(2);
            assertThat(refused.err()).contains("--ttl takes a positive number");
        }

        Ran help = cli("help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("serve").contains("config").contains("admin").contains("backup").contains("rotate-encryption-key")
                .contains("fake-slack").contains("bench-micro");
        // Every command and every option says what it is.
        List<String> undescribed = new ArrayList<>();
        walk(Main.commandLine(), undescribed);
        assertThat(undescribed).isEmpty();
    }

    private static void walk(CommandLine command, List<String> undescribed) {
        String name = command.getCommandSpec().qualifiedName();
        if (command.getCommandSpec().usageMessage().description().length == 0) {
            undescribed.add(name);
        }
        command.getCommandSpec().options().forEach(option -> {
            if (option.description().length == 0 || String.join("", option.description()).isBlank()) {
                undescribed.add(name + " " + option.longestName());
            }
        });
        command.getSubcommands().values().forEach(sub -> walk(sub, undescribed));
    }

    @Test
    void triggerWebhooksAndTheirEventsHaveCommands() {
        TestServer.Project project = server.createProject("trigger-commands");
        Ran configured = cli("admin", "configure-integration", "--project", project.id(), "--integration", "slack", "--client-id", "cid",
                "--signing-secret", "parity-signing-secret");
        assertThat(configured.json().get("hasSigningSecret").asBoolean()).isTrue();
        assertThat(configured.out()).doesNotContain("parity-signing-secret");
        Ran badUrl = cli("admin", "set-trigger-webhook", "--project", project.id(), "--url", "not a url");
        assertThat(badUrl.exitCode()).isEqualTo(1);
        assertThat(badUrl.out()).contains("'url' must be");
        Ran set = cli("admin", "set-trigger-webhook", "--project", project.id(), "--url", "http://127.0.0.1:1/events");
        String secret = set.json().get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(cli("admin", "set-trigger-webhook", "--project", project.id(), "--url", "http://127.0.0.1:2/events").json()
                .get("secret").asString()).as("kept when the address changes").isEqualTo(secret);
        assertThat(cli("admin", "set-trigger-webhook", "--project", project.id(), "--url", "http://127.0.0.1:2/events", "--new-secret").json()
                .get("secret").asString()).isNotEqualTo(secret);
        assertThat(cli("admin", "show-trigger-webhook", "--project", project.id()).json().get("url").asString()).isEqualTo("http://127.0.0.1:2/events");

        server.importCredential(project.id(), "u1", Map.of("integration", "slack", "accessToken", "xoxb-1", "providerId", "T-parity"));
        String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        TestServer.expect(server.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", token,
                Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_CREATED"), Map.of()), 200);
        String event = "{\"type\":\"event_callback\",\"team_id\":\"T-parity\",\"event_id\":\"Ev-parity\",\"event_time\":1767225600,"
                + "\"event\":{\"type\":\"channel_created\",\"channel\":{\"id\":\"C9\",\"name\":\"new-channel\"}}}";
        assertThat(dev.switchboard.testing.SlackEventsApi.post(server, project.id(), event, "parity-signing-secret").status()).isEqualTo(200);

        assertThat(cli("admin", "trigger-subscriptions", "--project", project.id(), "--user", "u1").json()
                .at("/subscriptions/0/type").asString()).isEqualTo("SLACK_TRIGGER_CHANNEL_CREATED");
        JsonNode events = cli("admin", "trigger-events", "--project", project.id()).json().get("events");
        assertThat(events).hasSize(1);
        String eventId = events.get(0).get("id").asString();
        JsonNode shown = cli("admin", "show-trigger-event", "--project", project.id(), "--event", eventId).json();
        assertThat(shown.at("/body/payload/channel/name").asString()).isEqualTo("new-channel");
        assertThat(shown.at("/body/triggerType").asString()).isEqualTo("SLACK_TRIGGER_CHANNEL_CREATED");
        Ran replayed = cli("admin", "replay-trigger-event", "--project", project.id(), "--event", eventId);
        assertThat(replayed.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(cli("admin", "replay-trigger-event", "--project", project.id(), "--event", "nope").out()).contains("event_not_found");
        assertThat(cli("admin", "trigger-events", "--project", project.id(), "--status", "SENT").out()).contains("PENDING, DELIVERED or FAILED");
    }
}
