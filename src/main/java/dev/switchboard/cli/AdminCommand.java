package dev.switchboard.cli;

import dev.switchboard.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The admin API from the command line: each subcommand is one HTTP call to a running server. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Call the admin API of a running server and print its JSON answer.",
        subcommands = {AdminCommand.ListProjects.class, AdminCommand.CreateProject.class, AdminCommand.ShowProject.class,
                AdminCommand.UpdateProject.class, AdminCommand.DeleteProject.class,
                AdminCommand.AddSigningKey.class, AdminCommand.ListSigningKeys.class, AdminCommand.RetireSigningKey.class,
                AdminCommand.ListIntegrations.class, AdminCommand.ShowIntegration.class, AdminCommand.ConfigureIntegration.class,
                AdminCommand.UpdateIntegration.class,
                AdminCommand.ListUsers.class, AdminCommand.ImportCredential.class, AdminCommand.ListCredentials.class,
                AdminCommand.ShowCredential.class, AdminCommand.DeleteCredential.class, AdminCommand.Runs.class,
                AdminCommand.ShowRun.class, AdminCommand.SetTriggerWebhook.class, AdminCommand.ShowTriggerWebhook.class,
                AdminCommand.TriggerSubscriptions.class,
                AdminCommand.TriggerEvents.class, AdminCommand.ShowTriggerEvent.class, AdminCommand.ReplayTriggerEvent.class})
final class AdminCommand {
    @Option(names = "--server", defaultValue = "${env:SWITCHBOARD_URL:-http://localhost:8080}", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Base URL of the server (env SWITCHBOARD_URL, default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--data-dir", defaultValue = "${env:SWITCHBOARD_DATA_DIR:-./data}", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Where to read admin-token when SWITCHBOARD_ADMIN_TOKEN is unset (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Spec CommandSpec spec;

    int call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        String token = ServeCommand.blankToNull(System.getenv("SWITCHBOARD_ADMIN_TOKEN"));
        if (token == null) {
            Path file = dataDir.resolve("admin-token");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no admin token: set SWITCHBOARD_ADMIN_TOKEN, or point --data-dir at the server's "
                        + "data directory (" + file + " does not exist)");
            }
            token = Files.readString(file).strip();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            spec.commandLine().getErr().println("switchboard: cannot reach Switchboard at " + server + ": connection refused (is `./switchboard serve` "
                    + "running? --server or SWITCHBOARD_URL names another address)");
            return 1;
        }
        spec.commandLine().getOut().println(response.body().isEmpty() ? "HTTP " + response.statusCode() : response.body());
        spec.commandLine().getOut().flush();
        return response.statusCode() < 400 ? 0 : 1;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The project a command works on. */
    static final class ProjectOption {
        @Option(names = "--project", required = true, description = "The project's id.") String project;

        String path() {
            return "/admin/projects/" + encode(project);
        }
    }

    /** A user of the project. */
    static final class UserOption {
        @Option(names = "--user", required = true, description = "The user's id (the sub of their tokens).") String user;

        String credentials(ProjectOption project) {
            return project.path() + "/users/" + encode(user) + "/credentials";
        }

        String credential(ProjectOption project, String credentialId) {
            return credentials(project) + "/" + encode(credentialId);
        }
    }

    @Command(name = "list-projects", mixinStandardHelpOptions = true, description = "List every project.")
    static final class ListProjects implements Callable<Integer> {
        @ParentCommand AdminCommand admin;

        public Integer call() throws Exception {
            return admin.call("GET", "/admin/projects", null);
        }
    }

    @Command(name = "create-project", mixinStandardHelpOptions = true, description = "Create a project.")
    static final class CreateProject implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--name", required = true, description = "Its name, 1 to 200 characters.") String name;

        public Integer call() throws Exception {
            return admin.call("POST", "/admin/projects", Json.object().put("name", name));
        }
    }

    @Command(name = "show-project", mixinStandardHelpOptions = true, description = "Show a project and its settings.")
    static final class ShowProject implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;

        public Integer call() throws Exception {
            return admin.call("GET", project.path(), null);
        }
    }

    @Command(name = "update-project", mixinStandardHelpOptions = true,
            description = "Rename a project or change its settings: how its actions treat unknown parameters, and its Connect page's branding.")
    static final class UpdateProject implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--name", description = "The project's new name (1 to 200 characters).") String name;
        @Option(names = "--unknown-parameters", description = "refuse (the default: a parameter an action does not declare is refused, "
                + "naming it) or ignore (it is dropped, as ActionKit does, and the answer names it).") String unknownParameters;
        @Option(names = "--display-name", description = "The name the Connect page shows (1 to 80 characters).") String displayName;
        @Option(names = "--logo-url", description = "An https address of the logo the Connect page shows.") String logoUrl;
        @Option(names = "--accent-color", description = "The Connect page's accent colour, as #RRGGBB.") String accentColor;

        public Integer call() throws Exception {
            ObjectNode body = Json.object();
            if (name != null) {
                body.put("name", name);
            }
            if (unknownParameters != null) {
                body.put("unknownParameters", unknownParameters);
            }
            if (displayName != null || logoUrl != null || accentColor != null) {
                body.putObject("branding").put("displayName", displayName).put("logoUrl", logoUrl).put("accentColor", accentColor);
            }
            return admin.call("PATCH", project.path(), body);
        }
    }

    @Command(name = "delete-project", mixinStandardHelpOptions = true,
            description = "Delete a project and everything under it (users, accounts, runs, settings, keys), in one transaction.")
    static final class DeleteProject implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--yes", required = true, description = "Confirms the deletion: it cannot be undone.") boolean yes;

        public Integer call() throws Exception {
            return admin.call("DELETE", project.path(), null);
        }
    }

    @Command(name = "add-signing-key", mixinStandardHelpOptions = true,
            description = "Upload a public key, or (without --public-key) have one generated; the private key is printed once.")
    static final class AddSigningKey implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--public-key", description = "PEM file of an RSA public key (SubjectPublicKeyInfo).") Path publicKey;

        public Integer call() throws Exception {
            ObjectNode body = Json.object();
            if (publicKey != null) {
                body.put("publicKeyPem", Files.readString(publicKey));
            }
            return admin.call("POST", project.path() + "/signing-keys", body);
        }
    }

    @Command(name = "list-signing-keys", mixinStandardHelpOptions = true, description = "List a project's signing keys, active and retired.")
    static final class ListSigningKeys implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;

        public Integer call() throws Exception {
            return admin.call("GET", project.path() + "/signing-keys", null);
        }
    }

    @Command(name = "retire-signing-key", mixinStandardHelpOptions = true,
            description = "Retire a signing key: tokens it signed are refused from then on.")
    static final class RetireSigningKey implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--kid", required = true, description = "The key's id, as add-signing-key printed it.") String kid;

        public Integer call() throws Exception {
            return admin.call("DELETE", project.path() + "/signing-keys/" + encode(kid), null);
        }
    }

    @Command(name = "list-integrations", mixinStandardHelpOptions = true,
            description = "List the integrations Switchboard ships (key, name, auth type, actions, URL roles), or with --project "
                    + "those configured in a project.")
    static final class ListIntegrations implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--project", description = "Only those configured in this project.") String project;

        public Integer call() throws Exception {
            return admin.call("GET", project == null ? "/admin/integrations" : "/admin/projects/" + encode(project) + "/integrations", null);
        }
    }

    @Command(name = "show-integration", mixinStandardHelpOptions = true,
            description = "Show how an integration is configured in a project (whether a client secret is held, never the secret).")
    static final class ShowIntegration implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--integration", required = true, description = "Its key, such as slack.") String integration;

        public Integer call() throws Exception {
            return admin.call("GET", project.path() + "/integrations/" + encode(integration), null);
        }
    }

    @Command(name = "configure-integration", mixinStandardHelpOptions = true,
            description = "Enable and configure an integration, replacing its whole configuration (keeps the client secret when none is given).")
    static final class ConfigureIntegration implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--integration", required = true, description = "Its key, such as slack.") String integration;
        @Option(names = "--url", description = "role=URL, such as api=http://127.0.0.1:9001/api; repeatable.") Map<String, String> urls = new LinkedHashMap<>();
        @Option(names = "--client-id", description = "The OAuth app's client id.") String clientId;
        @Option(names = "--client-secret", description = "The OAuth app's client secret (stored encrypted).") String clientSecret;
        @Option(names = "--scope", description = "An OAuth scope to ask for; repeatable.") List<String> scopes = new ArrayList<>();
        @Option(names = "--disabled", description = "Store the configuration but disable the integration.") boolean disabled;
        @Option(names = "--signing-secret", description = "The secret the vendor signs the events it pushes with (Slack's app Signing Secret).") String signingSecret;

        public Integer call() throws Exception {
            ObjectNode body = Json.object().put("enabled", !disabled).put("clientId", clientId).put("clientSecret", clientSecret)
                    .put("signingSecret", signingSecret);
            body.set("scopes", Json.tree(scopes));
            body.set("urls", Json.tree(urls));
            return admin.call("PUT", project.path() + "/integrations/" + encode(integration), body);
        }
    }

    @Command(name = "update-integration", mixinStandardHelpOptions = true,
            description = "Change some of a configured integration's settings; those not given stay as they are.")
    static final class UpdateIntegration implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--integration", required = true, description = "Its key, such as slack.") String integration;
        @Option(names = "--url", description = "role=URL; repeatable; replaces all URLs when given.") Map<String, String> urls;
        @Option(names = "--client-id", description = "The OAuth app's client id.") String clientId;
        @Option(names = "--client-secret", description = "The OAuth app's client secret (stored encrypted).") String clientSecret;
        @Option(names = "--scope", description = "An OAuth scope; repeatable; replaces all scopes when given.") List<String> scopes;
        @Option(names = "--enabled", description = "true or false.") Boolean enabled;
        @Option(names = "--signing-secret", description = "The secret the vendor signs the events it pushes with (Slack's app Signing Secret).") String signingSecret;

        public Integer call() throws Exception {
            ObjectNode body = Json.object();
            if (enabled != null) body.put("enabled", enabled);
            if (clientId != null) body.put("clientId", clientId);
            if (clientSecret != null) body.put("clientSecret", clientSecret);
            if (scopes != null) body.set("scopes", Json.tree(scopes));
            if (urls != null) body.set("urls", Json.tree(urls));
            if (signingSecret != null) body.put("signingSecret", signingSecret);
            return admin.call("PATCH", project.path() + "/integrations/" + encode(integration), body);
        }
    }

    @Command(name = "list-users", mixinStandardHelpOptions = true, description = "List a project's users and how many accounts each connected.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--limit", defaultValue = "100", description = "Users per page, 1 to 1000 (default ${DEFAULT-VALUE}).") int limit;
        @Option(names = "--cursor", description = "The nextCursor of the previous page.") String cursor;

        public Integer call() throws Exception {
            return admin.call("GET", project.path() + "/users?limit=" + limit + (cursor == null ? "" : "&after=" + encode(cursor)), null);
        }
    }

    @Command(name = "import-credential", mixinStandardHelpOptions = true, description = "Import a connected account for a user.")
    static final class ImportCredential implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Mixin UserOption user;
        @Option(names = "--integration", required = true, description = "Its key, such as slack.") String integration;
        @Option(names = "--access-token", description = "For OAuth integrations.") String accessToken;
        @Option(names = "--refresh-token", description = "For OAuth integrations whose tokens expire.") String refreshToken;
        @Option(names = "--expires-at", description = "When the access token expires: an ISO-8601 instant.") String expiresAt;
        @Option(names = "--api-key", description = "For API-key integrations (Sage Intacct: the user's password).") String apiKey;
        @Option(names = "--provider-id", description = "The account's id at the vendor.") String providerId;
        @Option(names = "--provider-data", description = "key=value the integration needs (Confluence cloudId, ServiceNow instance, "
                + "Xero tenantId, Sage Intacct userId and companyId); repeatable.") Map<String, String> providerData = new LinkedHashMap<>();

        public Integer call() throws Exception {
            ObjectNode body = Json.object().put("integration", integration).put("accessToken", accessToken)
                    .put("refreshToken", refreshToken).put("expiresAt", expiresAt).put("apiKey", apiKey).put("providerId", providerId);
            if (!providerData.isEmpty()) {
                body.set("providerData", Json.tree(providerData));
            }
            return admin.call("POST", user.credentials(project), body);
        }
    }

    @Command(name = "list-credentials", mixinStandardHelpOptions = true,
            description = "List a user's connected accounts: status, last refresh, expiry (never a secret).")
    static final class ListCredentials implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Mixin UserOption user;

        public Integer call() throws Exception {
            return admin.call("GET", user.credentials(project), null);
        }
    }

    @Command(name = "show-credential", mixinStandardHelpOptions = true, description = "Show one of a user's accounts (never a secret).")
    static final class ShowCredential implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Mixin UserOption user;
        @Option(names = "--credential", required = true, description = "The account's id.") String credential;

        public Integer call() throws Exception {
            return admin.call("GET", user.credential(project, credential), null);
        }
    }

    @Command(name = "delete-credential", mixinStandardHelpOptions = true, description = "Disconnect one of a user's accounts.")
    static final class DeleteCredential implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Mixin UserOption user;
        @Option(names = "--credential", required = true, description = "The account's id.") String credential;

        public Integer call() throws Exception {
            return admin.call("DELETE", user.credential(project, credential), null);
        }
    }

    @Command(name = "show-run", mixinStandardHelpOptions = true, description = "Show one recorded run: request id, status, duration, error.")
    static final class ShowRun implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--run", required = true, description = "The run's id (from runs).") String run;

        public Integer call() throws Exception {
            return admin.call("GET", project.path() + "/runs/" + encode(run), null);
        }
    }

    @Command(name = "set-trigger-webhook", mixinStandardHelpOptions = true,
            description = "Set where the project's trigger events are delivered; prints the secret that signs them (made the first time).")
    static final class SetTriggerWebhook implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--url", required = true, description = "Your receiver's absolute http(s) address.") String url;
        @Option(names = "--new-secret", description = "Make a new signing secret (the receiver must then be given it).") boolean newSecret;

        public Integer call() throws Exception {
            return admin.call("PUT", project.path() + "/trigger-webhook", Json.object().put("url", url).put("newSecret", newSecret));
        }
    }

    @Command(name = "show-trigger-webhook", mixinStandardHelpOptions = true, description = "Show the project's trigger webhook and its signing secret.")
    static final class ShowTriggerWebhook implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;

        public Integer call() throws Exception {
            return admin.call("GET", project.path() + "/trigger-webhook", null);
        }
    }

    @Command(name = "trigger-subscriptions", mixinStandardHelpOptions = true,
            description = "List a user's trigger subscriptions and their state (with why, when one was stopped).")
    static final class TriggerSubscriptions implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Mixin UserOption user;

        public Integer call() throws Exception {
            return admin.call("GET", project.path() + "/users/" + encode(user.user) + "/trigger-subscriptions", null);
        }
    }

    @Command(name = "trigger-events", mixinStandardHelpOptions = true, description = "The delivery log of trigger events, newest first.")
    static final class TriggerEvents implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--subscription", description = "Only this subscription's events.") String subscription;
        @Option(names = "--status", description = "PENDING, DELIVERED or FAILED.") String status;
        @Option(names = "--limit", defaultValue = "50", description = "Events to show, 1 to 1000 (default ${DEFAULT-VALUE}).") int limit;

        public Integer call() throws Exception {
            StringBuilder query = new StringBuilder("?limit=" + limit);
            if (subscription != null) query.append("&subscriptionId=").append(encode(subscription));
            if (status != null) query.append("&status=").append(encode(status));
            return admin.call("GET", project.path() + "/trigger-events" + query, null);
        }
    }

    @Command(name = "show-trigger-event", mixinStandardHelpOptions = true, description = "Show one trigger event: what was delivered, and every attempt.")
    static final class ShowTriggerEvent implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--event", required = true, description = "The event's id.") String event;

        public Integer call() throws Exception {
            return admin.call("GET", project.path() + "/trigger-events/" + encode(event), null);
        }
    }

    @Command(name = "replay-trigger-event", mixinStandardHelpOptions = true, description = "Deliver a trigger event again now, with the same event id.")
    static final class ReplayTriggerEvent implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--event", required = true, description = "The event's id.") String event;

        public Integer call() throws Exception {
            return admin.call("POST", project.path() + "/trigger-events/" + encode(event) + "/replay", null);
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List recorded runs, newest first, a page at a time.")
    static final class Runs implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Mixin ProjectOption project;
        @Option(names = "--user", description = "Only this user's runs.") String user;
        @Option(names = "--integration", description = "Only this integration's runs.") String integration;
        @Option(names = "--action", description = "Only this action's runs (PROXY for proxied calls).") String action;
        @Option(names = "--status", description = "SUCCEEDED or FAILED.") String status;
        @Option(names = "--outcome", description = "succeeded, or an error code such as rate_limited.") String outcome;
        @Option(names = "--since", description = "Runs at or after this ISO-8601 instant.") String since;
        @Option(names = "--until", description = "Runs before this ISO-8601 instant.") String until;
        @Option(names = "--limit", defaultValue = "50", description = "Runs per page, 1 to 1000 (default ${DEFAULT-VALUE}).") int limit;
        @Option(names = "--cursor", description = "The nextCursor of the previous page.") String cursor;

        public Integer call() throws Exception {
            StringBuilder query = new StringBuilder("?limit=" + limit);
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("userId", user);
            filters.put("integration", integration);
            filters.put("action", action);
            filters.put("status", status);
            filters.put("outcome", outcome);
            filters.put("since", since);
            filters.put("until", until);
            filters.put("cursor", cursor);
            filters.forEach((name, value) -> {
                if (value != null) {
                    query.append('&').append(name).append('=').append(encode(value));
                }
            });
            return admin.call("GET", project.path() + "/runs" + query, null);
        }
    }
}
