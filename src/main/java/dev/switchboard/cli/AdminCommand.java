package dev.switchboard.cli;

import dev.switchboard.json.Json;
import java.io.IOException;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The admin API from the command line: each subcommand is one HTTP call to a running server. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Call the admin API of a running server and print its JSON answer.",
        subcommands = {AdminCommand.CreateProject.class, AdminCommand.AddSigningKey.class, AdminCommand.RetireSigningKey.class,
                AdminCommand.ConfigureIntegration.class, AdminCommand.ImportCredential.class, AdminCommand.Runs.class})
final class AdminCommand {
    @Option(names = "--server", defaultValue = "${env:SWITCHBOARD_URL:-http://localhost:8080}", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Base URL of the server (env SWITCHBOARD_URL, default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--data-dir", defaultValue = "${env:SWITCHBOARD_DATA_DIR:-./data}", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Where to read admin-token when SWITCHBOARD_ADMIN_TOKEN is unset (default ${DEFAULT-VALUE}).")
    Path dataDir;

    int call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        String token = ServeCommand.blankToNull(System.getenv("SWITCHBOARD_ADMIN_TOKEN"));
        if (token == null) {
            token = Files.readString(dataDir.resolve("admin-token")).strip();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(response.body().isEmpty() ? "HTTP " + response.statusCode() : response.body());
        return response.statusCode() < 400 ? 0 : 1;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "create-project", mixinStandardHelpOptions = true, description = "Create a project.")
    static final class CreateProject implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--name", required = true) String name;

        public Integer call() throws Exception {
            return admin.call("POST", "/admin/projects", Json.object().put("name", name));
        }
    }

    @Command(name = "add-signing-key", mixinStandardHelpOptions = true,
            description = "Upload a public key, or (without --public-key) have one generated; the private key is printed once.")
    static final class AddSigningKey implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--project", required = true) String project;
        @Option(names = "--public-key", description = "PEM file of an RSA public key (SubjectPublicKeyInfo).") Path publicKey;

        public Integer call() throws Exception {
            ObjectNode body = Json.object();
            if (publicKey != null) {
                body.put("publicKeyPem", Files.readString(publicKey));
            }
            return admin.call("POST", "/admin/projects/" + encode(project) + "/signing-keys", body);
        }
    }

    @Command(name = "retire-signing-key", mixinStandardHelpOptions = true, description = "Retire a signing key.")
    static final class RetireSigningKey implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--project", required = true) String project;
        @Option(names = "--kid", required = true) String kid;

        public Integer call() throws Exception {
            return admin.call("DELETE", "/admin/projects/" + encode(project) + "/signing-keys/" + encode(kid), null);
        }
    }

    @Command(name = "configure-integration", mixinStandardHelpOptions = true, description = "Enable and configure an integration.")
    static final class ConfigureIntegration implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--project", required = true) String project;
        @Option(names = "--integration", required = true) String integration;
        @Option(names = "--url", description = "role=URL, such as api=http://127.0.0.1:9001/api; repeatable.") Map<String, String> urls = new LinkedHashMap<>();
        @Option(names = "--client-id") String clientId;
        @Option(names = "--client-secret") String clientSecret;
        @Option(names = "--scope", description = "Repeatable.") List<String> scopes = new ArrayList<>();
        @Option(names = "--disabled", description = "Store the configuration but disable the integration.") boolean disabled;

        public Integer call() throws Exception {
            ObjectNode body = Json.object().put("enabled", !disabled).put("clientId", clientId).put("clientSecret", clientSecret);
            body.set("scopes", Json.tree(scopes));
            body.set("urls", Json.tree(urls));
            return admin.call("PUT", "/admin/projects/" + encode(project) + "/integrations/" + encode(integration), body);
        }
    }

    @Command(name = "import-credential", mixinStandardHelpOptions = true, description = "Import a connected account for a user.")
    static final class ImportCredential implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--project", required = true) String project;
        @Option(names = "--user", required = true) String user;
        @Option(names = "--integration", required = true) String integration;
        @Option(names = "--access-token") String accessToken;
        @Option(names = "--refresh-token") String refreshToken;
        @Option(names = "--expires-at", description = "ISO-8601 instant.") String expiresAt;
        @Option(names = "--api-key") String apiKey;
        @Option(names = "--provider-id") String providerId;

        public Integer call() throws Exception {
            ObjectNode body = Json.object().put("integration", integration).put("accessToken", accessToken)
                    .put("refreshToken", refreshToken).put("expiresAt", expiresAt).put("apiKey", apiKey).put("providerId", providerId);
            return admin.call("POST", "/admin/projects/" + encode(project) + "/users/" + encode(user) + "/credentials", body);
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List recorded runs, newest first.")
    static final class Runs implements Callable<Integer> {
        @ParentCommand AdminCommand admin;
        @Option(names = "--project", required = true) String project;
        @Option(names = "--user") String user;
        @Option(names = "--action") String action;
        @Option(names = "--status", description = "SUCCEEDED or FAILED.") String status;
        @Option(names = "--limit", defaultValue = "50") int limit;

        public Integer call() throws Exception {
            StringBuilder query = new StringBuilder("?limit=" + limit);
            if (user != null) query.append("&userId=").append(encode(user));
            if (action != null) query.append("&action=").append(encode(action));
            if (status != null) query.append("&status=").append(encode(status));
            return admin.call("GET", "/admin/projects/" + encode(project) + "/runs" + query, null);
        }
    }
}
