package dev.switchboard.testing;

import dev.switchboard.SwitchboardServer;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.testing.Http.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A real Switchboard node on a free port, on SQLite or PostgreSQL, with helpers that call its admin API over HTTP. */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-operator-secret";
    /** One master key for every test server, so that servers on one database read each other's credentials. */
    public static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmctLS0=";

    public record Project(String id, String kid, String privateKeyPem) {}

    private final SwitchboardServer server;
    private final Path dataDir;

    private TestServer(SwitchboardServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start(TestDatabases.Kind kind) {
        return start(kind, ServerConfig.VendorTimeouts.defaults());
    }

    public static TestServer start(TestDatabases.Kind kind, ServerConfig.VendorTimeouts timeouts) {
        try {
            return start(kind, timeouts, Files.createTempDirectory("switchboard-test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start(TestDatabases.Kind kind, ServerConfig.VendorTimeouts timeouts, Path dataDir) {
        return startOn(TestDatabases.newDatabaseUrl(kind), timeouts, dataDir);
    }

    /** A node on an existing database: several of them make a cluster. */
    public static TestServer startOn(String dbUrl, ServerConfig.VendorTimeouts timeouts, Path dataDir) {
        return startOn(dbUrl, timeouts, dataDir, ServerConfig.DEFAULT_CACHE_TTL);
    }

    public static TestServer startOn(String dbUrl, ServerConfig.VendorTimeouts timeouts, Path dataDir, Duration cacheTtl) {
        ServerConfig config = new ServerConfig(0, dataDir, dbUrl, ADMIN_TOKEN, MASTER_KEY, "localhost", null, timeouts, cacheTtl);
        return new TestServer(SwitchboardServer.start(config), dataDir);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Answer admin(String method, String path, Object body) {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return Http.send(method, url(path), headers, body == null ? null : body instanceof String s ? s : Http.json(body));
    }

    /** A new project with a generated signing key. */
    public Project createProject(String name) {
        Answer created = admin("POST", "/admin/projects", Map.of("name", name));
        expect(created, 201);
        String id = created.json().get("id").asString();
        Answer key = admin("POST", "/admin/projects/" + id + "/signing-keys", Map.of());
        expect(key, 201);
        return new Project(id, key.json().get("kid").asString(), key.json().get("privateKeyPem").asString());
    }

    public void configureIntegration(String projectId, String integration, String apiUrl) {
        expect(admin("PUT", "/admin/projects/" + projectId + "/integrations/" + integration,
                Map.of("enabled", true, "urls", Map.of("api", apiUrl))), 200);
    }

    /** @return the new credential's id */
    public String importCredential(String projectId, String userId, String integration, String accessToken) {
        Answer answer = admin("POST", "/admin/projects/" + projectId + "/users/" + userId + "/credentials",
                Map.of("integration", integration, "accessToken", accessToken));
        expect(answer, 201);
        return answer.json().get("id").asString();
    }

    /** Imports a credential from a full admin body; @return its id */
    public String importCredential(String projectId, String userId, Map<String, Object> body) {
        Answer answer = admin("POST", "/admin/projects/" + projectId + "/users/" + userId + "/credentials", body);
        expect(answer, 201);
        return answer.json().get("id").asString();
    }

    /** Connects a user's account at a vendor's fake (imported, and its token accepted there); @return the user's token */
    public String connect(Project project, dev.switchboard.fakes.VendorFake fake, String user, String integration, String accessToken) {
        importCredential(project.id(), user, integration, accessToken);
        fake.accept(accessToken);
        return Tokens.sign(project.privateKeyPem(), user, c -> c);
    }

    /** Calls a user endpoint with a bearer token. */
    public Answer user(String method, String path, String token, Object body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            headers.putIfAbsent("Content-Type", "application/json");
        }
        return Http.send(method, url(path), headers, body == null ? null : body instanceof String s ? s : Http.json(body));
    }

    public Answer runAction(Project project, String token, String action, Object parameters) {
        return user("POST", "/projects/" + project.id() + "/actions", token, Map.of("action", action, "parameters", parameters), Map.of());
    }

    /** The parameters (a JSON Schema) of one action in the user's listing of one integration, as function schemas. */
    public JsonNode listedParameters(Project project, String token, String integration, String action) {
        JsonNode listing = expect(user("GET", "/projects/" + project.id() + "/actions?integrations=" + integration, token, null, Map.of()), 200);
        for (JsonNode tool : listing.at("/actions/" + integration)) {
            if (tool.at("/function/name").asString().equals(action)) {
                return tool.at("/function/parameters");
            }
        }
        throw new AssertionError(action + " is not listed");
    }

    public static JsonNode expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + answer.status() + ": " + answer.text());
        }
        return answer.text().isEmpty() ? null : answer.json();
    }

    @Override
    public void close() {
        server.close();
    }
}
