package dev.switchboard.testing;

import dev.switchboard.SwitchboardServer;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.Setting;
import dev.switchboard.config.Settings;
import dev.switchboard.testing.Http.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A real Switchboard node on a free port, on SQLite or PostgreSQL, with helpers that call its admin API over HTTP. */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-operator-secret";
    /** One master key for every test server, so that servers on one database read each other's credentials. */
    public static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmctLS0=";

    static {
        SecretScanningAppender.watch(ADMIN_TOKEN);
        SecretScanningAppender.watch(MASTER_KEY);
    }

    public record Project(String id, String kid, String privateKeyPem) {}

    private final SwitchboardServer server;
    private final Path dataDir;

    private TestServer(SwitchboardServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
        ApiTraffic.watch("127.0.0.1:" + server.port());
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
        return startWith(settings(dbUrl, timeouts, dataDir, cacheTtl), dataDir);
    }

    /** A node with some settings of its own on top of the test defaults. */
    public static TestServer start(TestDatabases.Kind kind, Map<Setting, String> overrides) {
        try {
            return startOn(TestDatabases.newDatabaseUrl(kind), Files.createTempDirectory("switchboard-test"), overrides);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node on an existing store (null: SQLite in the data directory) with some settings of its own. */
    public static TestServer startOn(String dbUrl, Path dataDir, Map<Setting, String> overrides) {
        Map<Setting, String> settings = settings(dbUrl, ServerConfig.VendorTimeouts.defaults(), dataDir, ServerConfig.DEFAULT_CACHE_TTL);
        settings.putAll(overrides);
        return startWith(settings, dataDir);
    }

    private static TestServer startWith(Map<Setting, String> settings, Path dataDir) {
        return new TestServer(SwitchboardServer.start(ServerConfig.from(Settings.of(settings))), dataDir);
    }

    /** The settings every test node starts with: a free port, the test secrets, the given store and timeouts. */
    public static Map<Setting, String> settings(String dbUrl, ServerConfig.VendorTimeouts timeouts, Path dataDir, Duration cacheTtl) {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.PORT, "0");
        settings.put(Setting.DATA_DIR, dataDir.toString());
        settings.put(Setting.DB_URL, dbUrl == null ? "" : dbUrl);
        settings.put(Setting.ADMIN_TOKEN, ADMIN_TOKEN);
        settings.put(Setting.MASTER_KEY, MASTER_KEY);
        settings.put(Setting.VENDOR_CONNECT_TIMEOUT_MS, String.valueOf(timeouts.connect().toMillis()));
        settings.put(Setting.VENDOR_ATTEMPT_TIMEOUT_MS, String.valueOf(timeouts.attempt().toMillis()));
        settings.put(Setting.VENDOR_RETRY_BUDGET_MS, String.valueOf(timeouts.retryBudget().toMillis()));
        settings.put(Setting.RATE_LIMIT_MAX_WAIT_MS, String.valueOf(timeouts.rateLimitWait().toMillis()));
        settings.put(Setting.CACHE_TTL_MS, String.valueOf(cacheTtl.toMillis()));
        return settings;
    }

    public SwitchboardServer node() {
        return server;
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
        SecretScanningAppender.watch(accessToken);
        Answer answer = admin("POST", "/admin/projects/" + projectId + "/users/" + userId + "/credentials",
                Map.of("integration", integration, "accessToken", accessToken));
        expect(answer, 201);
        return answer.json().get("id").asString();
    }

    /** Imports a credential from a full admin body; @return its id */
    public String importCredential(String projectId, String userId, Map<String, Object> body) {
        for (String secret : List.of("accessToken", "refreshToken", "apiKey", "password", "clientSecret")) {
            if (body.get(secret) instanceof String value) {
                SecretScanningAppender.watch(value);
            }
        }
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
        // the port may next be a vendor fake's: its exchanges are not Switchboard's
        ApiTraffic.unwatch("127.0.0.1:" + server.port());
        server.close();
    }
}
