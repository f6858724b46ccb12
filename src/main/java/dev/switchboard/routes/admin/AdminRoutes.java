package dev.switchboard.routes.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import dev.switchboard.auth.AdminAuth;
import dev.switchboard.auth.Pem;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.Run;
import dev.switchboard.store.RunQueries;
import dev.switchboard.store.SigningKeyRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The operator API under {@code /admin}: every call needs the operator secret. */
public final class AdminRoutes {
    record CreateProject(String name) {}

    record AddSigningKey(String publicKeyPem) {}

    record UpdateProject(String unknownParameters, ProjectRepository.Branding branding) {}

    record PutIntegration(Boolean enabled, String clientId, String clientSecret, List<String> scopes, Map<String, String> urls) {
        @Override
        public String toString() {
            return "PutIntegration[enabled=" + enabled + ", clientId=" + clientId + "]";
        }
    }

    record ImportCredential(String integration, String accessToken, String refreshToken, String expiresAt, String apiKey,
                            String providerId, Map<String, Object> providerData) {
        @Override
        public String toString() {
            return "ImportCredential[integration=" + integration + "]";
        }
    }

    private static final Set<String> RUN_STATUSES = Set.of("SUCCEEDED", "FAILED");

    private final AdminAuth auth;
    private final ProjectRepository projects;
    private final SigningKeyRepository signingKeys;
    private final IntegrationConfigRepository configs;
    private final ConnectedUserRepository users;
    private final CredentialStore credentials;
    private final RunQueries runs;
    private final IntegrationCatalog catalog;

    public AdminRoutes(AdminAuth auth, ProjectRepository projects, SigningKeyRepository signingKeys,
                       IntegrationConfigRepository configs, ConnectedUserRepository users, CredentialStore credentials,
                       RunQueries runs, IntegrationCatalog catalog) {
        this.auth = auth;
        this.projects = projects;
        this.signingKeys = signingKeys;
        this.configs = configs;
        this.users = users;
        this.credentials = credentials;
        this.runs = runs;
        this.catalog = catalog;
    }

    public void register(RoutesConfig routes) {
        routes.before("/admin/*", ctx -> auth.check(ctx.header("Authorization")));
        routes.get("/admin/integrations", this::listShippedIntegrations);
        routes.post("/admin/projects", this::createProject);
        routes.get("/admin/projects", this::listProjects);
        routes.get("/admin/projects/{projectId}", ctx -> respond(ctx, 200, project(ctx)));
        routes.delete("/admin/projects/{projectId}", this::deleteProject);
        routes.patch("/admin/projects/{projectId}", this::updateProject);
        routes.post("/admin/projects/{projectId}/signing-keys", this::addSigningKey);
        routes.get("/admin/projects/{projectId}/signing-keys", this::listSigningKeys);
        routes.delete("/admin/projects/{projectId}/signing-keys/{kid}", this::retireSigningKey);
        routes.get("/admin/projects/{projectId}/integrations", this::listProjectIntegrations);
        routes.put("/admin/projects/{projectId}/integrations/{integration}", this::putIntegration);
        routes.patch("/admin/projects/{projectId}/integrations/{integration}", this::patchIntegration);
        routes.get("/admin/projects/{projectId}/integrations/{integration}", this::getIntegration);
        routes.get("/admin/projects/{projectId}/users", this::listUsers);
        routes.post("/admin/projects/{projectId}/users/{userId}/credentials", this::importCredential);
        routes.get("/admin/projects/{projectId}/users/{userId}/credentials", this::listCredentials);
        routes.get("/admin/projects/{projectId}/users/{userId}/credentials/{credentialId}", this::getCredential);
        routes.delete("/admin/projects/{projectId}/users/{userId}/credentials/{credentialId}", this::deleteCredential);
        routes.get("/admin/projects/{projectId}/runs", this::listRuns);
    }

    private static void respond(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    private ProjectRepository.Project project(Context ctx) {
        return projects.find(ctx.pathParam("projectId"))
                .orElseThrow(() -> Failure.notFound("project_not_found", "No project with this id."));
    }

    private void listProjects(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ProjectRepository.Project project : projects.list()) {
            list.addObject().put("id", project.id()).put("name", project.name()).put("createdAt", Instant.ofEpochMilli(project.createdAt()).toString());
        }
        respond(ctx, 200, Json.object().set("projects", list));
    }

    private void deleteProject(Context ctx) {
        if (!projects.delete(project(ctx).id())) {
            throw Failure.notFound("project_not_found", "No project with this id.");
        }
        ctx.status(204);
    }

    /** The integrations Switchboard ships (and the operator added): what a project may enable. */
    private void listShippedIntegrations(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (String key : new java.util.TreeSet<>(catalog.integrationKeys())) {
            IntegrationDefinition definition = catalog.integration(key).orElseThrow();
            ObjectNode item = list.addObject().put("key", key).put("name", definition.name()).put("authType", definition.auth().type())
                    .put("actions", catalog.actionsOf(key).size());
            item.set("urls", Json.tree(definition.urls().keySet()));
        }
        respond(ctx, 200, Json.object().set("integrations", list));
    }

    private void listProjectIntegrations(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        configs.list(project(ctx).id()).forEach(config -> list.add(describe(config)));
        respond(ctx, 200, Json.object().set("integrations", list));
    }

    private void listUsers(Context ctx) {
        String projectId = project(ctx).id();
        int limit = limit(ctx, 100);
        List<ConnectedUserRepository.ConnectedUser> page = users.list(projectId, limit, ctx.queryParam("after"));
        ArrayNode list = Json.MAPPER.createArrayNode();
        page.forEach(user -> list.addObject().put("userId", user.userId()).put("createdAt", Instant.ofEpochMilli(user.createdAt()).toString())
                .put("accounts", user.accounts()));
        ObjectNode out = Json.object().set("users", list);
        out.put("nextCursor", page.size() == limit ? page.get(page.size() - 1).userId() : null);
        respond(ctx, 200, out);
    }

    /** A user's accounts as the operator sees them: never a secret, only whether one is held. */
    private static ObjectNode describe(Credential credential) {
        ObjectNode out = Json.object().put("id", credential.id()).put("integration", credential.integration())
                .put("status", credential.status().name()).put("statusReason", credential.statusReason())
                .put("providerId", credential.providerId())
                .put("createdAt", Instant.ofEpochMilli(credential.createdAt()).toString())
                .put("refreshedAt", credential.refreshedAt() == null ? null : Instant.ofEpochMilli(credential.refreshedAt()).toString())
                .put("expiresAt", credential.expiresAt() == null ? null : Instant.ofEpochMilli(credential.expiresAt()).toString())
                .put("hasRefreshToken", credential.refreshToken() != null).put("hasApiKey", credential.apiKey() != null);
        out.set("providerData", Json.tree(credential.providerData()));
        return out;
    }

    private void listCredentials(Context ctx) {
        String projectId = project(ctx).id();
        ArrayNode list = Json.MAPPER.createArrayNode();
        credentials.listForUserFromDatabase(projectId, ctx.pathParam("userId")).forEach(c -> list.add(describe(c)));
        respond(ctx, 200, Json.object().set("credentials", list));
    }

    private Credential credential(Context ctx) {
        return credentials.find(project(ctx).id(), ctx.pathParam("userId"), ctx.pathParam("credentialId"))
                .orElseThrow(() -> Failure.notFound("credential_not_found", "This user has no account with this id."));
    }

    private void getCredential(Context ctx) {
        respond(ctx, 200, describe(credential(ctx)));
    }

    private void deleteCredential(Context ctx) {
        Credential credential = credential(ctx);
        credentials.delete(credential.projectId(), credential.userId(), credential.integration(), credential.id());
        ctx.status(204);
    }

    private static int limit(Context ctx, int fallback) {
        int limit;
        try {
            limit = ctx.queryParam("limit") == null ? fallback : Integer.parseInt(ctx.queryParam("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            throw Failure.invalidInput("invalid_query", "limit must be a number from 1 to 1000.");
        }
        return limit;
    }

    private void createProject(Context ctx) {
        CreateProject body = JsonBodies.bind(JsonBodies.read(ctx), CreateProject.class);
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            throw Failure.invalidInput("invalid_request", "Field 'name' is required (1 to 200 characters).");
        }
        ProjectRepository.Project project = projects.create(body.name().strip());
        respond(ctx, 201, Map.of("id", project.id(), "name", project.name()));
    }

    /**
     * The project's settings: {@code unknownParameters}, {@code refuse} (the default) or {@code ignore}; and
     * {@code branding} for its Connect page ({@code displayName}, {@code logoUrl}, {@code accentColor}), replaced as a
     * whole. Everything is checked before anything changes.
     */
    private void updateProject(Context ctx) {
        UpdateProject body = JsonBodies.bind(JsonBodies.read(ctx), UpdateProject.class);
        if (body.unknownParameters() == null && body.branding() == null) {
            throw Failure.invalidInput("invalid_request", "Give 'unknownParameters' or 'branding' (or both).");
        }
        if (body.unknownParameters() != null && !ProjectRepository.Project.UNKNOWN_PARAMETER_MODES.contains(body.unknownParameters())) {
            throw Failure.invalidInput("invalid_request", "Field 'unknownParameters' must be \"refuse\" (a parameter an action does not"
                    + " declare is refused, naming it) or \"ignore\" (it is dropped, and the answer's X-Switchboard-Ignored-Parameters"
                    + " header names it).");
        }
        if (body.branding() != null) {
            checkBranding(body.branding());
        }
        String id = project(ctx).id();
        if (body.unknownParameters() != null) {
            projects.setUnknownParameters(id, body.unknownParameters());
        }
        if (body.branding() != null) {
            projects.setBranding(id, body.branding());
        }
        respond(ctx, 200, project(ctx));
    }

    private static void checkBranding(ProjectRepository.Branding branding) {
        if (branding.displayName() != null && (branding.displayName().isBlank() || branding.displayName().length() > 80)) {
            throw Failure.invalidInput("invalid_request", "branding.displayName must be 1 to 80 characters.");
        }
        if (branding.accentColor() != null && !branding.accentColor().matches("#[0-9A-Fa-f]{6}")) {
            throw Failure.invalidInput("invalid_request", "branding.accentColor must be a colour as #RRGGBB, such as #0B57D0.");
        }
        if (branding.logoUrl() != null) {
            java.net.URI uri;
            try {
                uri = java.net.URI.create(branding.logoUrl());
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || branding.logoUrl().length() > 2000) {
                throw Failure.invalidInput("invalid_request", "branding.logoUrl must be an https (or http) address of an image.");
            }
        }
    }

    private void addSigningKey(Context ctx) {
        String projectId = project(ctx).id();
        AddSigningKey body = JsonBodies.bind(JsonBodies.read(ctx), AddSigningKey.class);
        RSAPublicKey publicKey;
        String privateKeyPem = null;
        if (body.publicKeyPem() == null) {
            KeyPair pair = Pem.generateRsa();
            publicKey = (RSAPublicKey) pair.getPublic();
            privateKeyPem = Pem.encodePrivate((RSAPrivateKey) pair.getPrivate());
        } else {
            try {
                publicKey = Pem.parsePublic(body.publicKeyPem());
            } catch (IllegalArgumentException e) {
                throw Failure.invalidInput("invalid_request", e.getMessage().startsWith("publicKeyPem") ? e.getMessage() : "publicKeyPem: " + e.getMessage());
            }
        }
        String kid = thumbprint(publicKey);
        if (!signingKeys.add(projectId, kid, Pem.encodePublic(publicKey))) {
            throw new Failure(Failure.Kind.CONFLICT, "signing_key_exists", "This project already holds this key (kid " + kid + ").");
        }
        ObjectNode response = Json.object().put("kid", kid);
        if (privateKeyPem != null) {
            response.put("privateKeyPem", privateKeyPem);
        }
        respond(ctx, 201, response);
    }

    /** The key's RFC 7638 thumbprint: the same key always gets the same kid. */
    private static String thumbprint(RSAPublicKey key) {
        try {
            return new RSAKey.Builder(key).build().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void listSigningKeys(Context ctx) {
        ArrayNode keys = Json.MAPPER.createArrayNode();
        for (SigningKeyRepository.SigningKey key : signingKeys.list(project(ctx).id())) {
            keys.addObject().put("kid", key.kid()).put("publicKeyPem", key.publicKeyPem())
                    .put("createdAt", Instant.ofEpochMilli(key.createdAt()).toString())
                    .put("active", key.active());
        }
        respond(ctx, 200, Json.object().set("signingKeys", keys));
    }

    private void retireSigningKey(Context ctx) {
        if (!signingKeys.retire(project(ctx).id(), ctx.pathParam("kid"))) {
            throw Failure.notFound("signing_key_not_found", "No active signing key with this kid.");
        }
        ctx.status(204);
    }

    private IntegrationDefinition knownIntegration(Context ctx) {
        String key = ctx.pathParam("integration");
        return catalog.integration(key).orElseThrow(() -> Failure.notFound("integration_not_found",
                "Unknown integration " + Echo.quote(key) + "; known: " + catalog.integrationKeys()));
    }

    private void putIntegration(Context ctx) {
        String projectId = project(ctx).id();
        IntegrationDefinition definition = knownIntegration(ctx);
        PutIntegration body = JsonBodies.bind(JsonBodies.read(ctx), PutIntegration.class);
        saveIntegration(ctx, projectId, definition, body);
    }

    /** Changes only the fields given; the others (the client secret among them) stay as they are. */
    private void patchIntegration(Context ctx) {
        String projectId = project(ctx).id();
        IntegrationDefinition definition = knownIntegration(ctx);
        PutIntegration body = JsonBodies.bind(JsonBodies.read(ctx), PutIntegration.class);
        IntegrationConfig current = configs.find(projectId, definition.key())
                .orElseThrow(() -> Failure.notFound("integration_not_configured", "This integration is not configured in this project; PUT it first."));
        saveIntegration(ctx, projectId, definition, new PutIntegration(
                body.enabled() != null ? body.enabled() : current.enabled(),
                body.clientId() != null ? body.clientId() : current.clientId(),
                body.clientSecret(),
                body.scopes() != null ? body.scopes() : current.scopes(),
                body.urls() != null ? body.urls() : current.urls()));
    }

    private void saveIntegration(Context ctx, String projectId, IntegrationDefinition definition, PutIntegration body) {
        Map<String, String> urls = body.urls() == null ? Map.of() : body.urls();
        urls.forEach((role, url) -> {
            if (!definition.urls().containsKey(role)) {
                throw Failure.invalidInput("invalid_request", "urls." + role + ": " + definition.key()
                        + " has no such URL; it uses " + definition.urls().keySet());
            }
            if (!VendorUrls.isHttpTemplate(url)) {
                throw Failure.invalidInput("invalid_request", "urls." + role + " must be an absolute http(s) URL.");
            }
        });
        String secret = body.clientSecret() != null ? body.clientSecret()
                : configs.find(projectId, definition.key()).map(IntegrationConfig::clientSecret).orElse(null);
        IntegrationConfig config = new IntegrationConfig(projectId, definition.key(),
                body.enabled() == null || body.enabled(), body.clientId(), secret,
                body.scopes() == null ? List.of() : body.scopes(), urls);
        configs.upsert(config);
        respond(ctx, 200, describe(config));
    }

    private void getIntegration(Context ctx) {
        String projectId = project(ctx).id();
        IntegrationDefinition definition = knownIntegration(ctx);
        IntegrationConfig config = configs.find(projectId, definition.key())
                .orElseThrow(() -> Failure.notFound("integration_not_configured", "This integration is not configured in this project."));
        respond(ctx, 200, describe(config));
    }

    private static ObjectNode describe(IntegrationConfig config) {
        ObjectNode out = Json.object().put("integration", config.integration()).put("enabled", config.enabled())
                .put("clientId", config.clientId()).put("hasClientSecret", config.clientSecret() != null);
        out.set("scopes", Json.tree(config.scopes()));
        out.set("urls", Json.tree(config.urls()));
        return out;
    }

    private void importCredential(Context ctx) {
        String projectId = project(ctx).id();
        String userId = ctx.pathParam("userId");
        if (userId.isBlank() || userId.length() > UserPrincipal.MAX_USER_ID_LENGTH) {
            throw Failure.invalidInput("invalid_request", "The user id must be 1 to " + UserPrincipal.MAX_USER_ID_LENGTH + " characters.");
        }
        ImportCredential body = JsonBodies.bind(JsonBodies.read(ctx), ImportCredential.class);
        if (body.integration() == null) {
            throw Failure.invalidInput("invalid_request", "Field 'integration' is required.");
        }
        IntegrationDefinition definition = catalog.integration(body.integration()).orElseThrow(() ->
                Failure.invalidInput("invalid_request", "integration: unknown integration " + Echo.quote(body.integration())
                        + "; known: " + catalog.integrationKeys()));
        if (definition.auth().isInBody() ? body.apiKey() == null && body.accessToken() == null
                : definition.auth().isApiKey() ? body.apiKey() == null : body.accessToken() == null) {
            throw Failure.invalidInput("invalid_request", definition.key() + " authenticates with "
                    + (definition.auth().isInBody() ? "a password ('apiKey') or a session ('accessToken'): one is required."
                    : definition.auth().isApiKey() ? "an API key: field 'apiKey' is required." : "OAuth: field 'accessToken' is required."));
        }
        Long expiresAt = null;
        if (body.expiresAt() != null) {
            try {
                expiresAt = Instant.parse(body.expiresAt()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw Failure.invalidInput("invalid_request", "expiresAt must be an ISO-8601 instant such as 2026-12-01T00:00:00Z.");
            }
        }
        if (body.providerId() != null && body.providerId().length() > CredentialStore.MAX_PROVIDER_ID_LENGTH) {
            throw Failure.invalidInput("invalid_request", "providerId must be at most " + CredentialStore.MAX_PROVIDER_ID_LENGTH + " characters.");
        }
        users.ensure(projectId, userId);
        Credential credential = credentials.insert(new CredentialStore.NewCredential(projectId, userId, definition.key(),
                body.accessToken(), body.refreshToken(), body.apiKey(), expiresAt, body.providerId(), body.providerData()));
        respond(ctx, 201, Map.of("id", credential.id(), "status", credential.status().name()));
    }

    private void listRuns(Context ctx) {
        String projectId = project(ctx).id();
        String status = ctx.queryParam("status");
        if (status != null && !RUN_STATUSES.contains(status)) {
            throw Failure.invalidInput("invalid_query", "status must be one of " + RUN_STATUSES);
        }
        int limit = limit(ctx, 50);
        RunQueries.RunFilter filter = new RunQueries.RunFilter(ctx.queryParam("userId"), ctx.queryParam("integration"),
                ctx.queryParam("action"), status, ctx.queryParam("outcome"), instant(ctx, "since"), instant(ctx, "until"),
                RunCursor.read(ctx.queryParam("cursor")), limit);
        List<Run> found = runs.list(projectId, filter);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Run run : found) {
            ObjectNode item = (ObjectNode) Json.tree(run);
            item.remove("projectId");
            item.put("createdAt", Instant.ofEpochMilli(run.createdAt()).toString());
            list.add(item);
        }
        ObjectNode out = Json.object().set("runs", list);
        out.put("nextCursor", found.size() == limit ? RunCursor.write(found.get(found.size() - 1)) : null);
        respond(ctx, 200, out);
    }

    private static Long instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Failure.invalidInput("invalid_query", name + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, not " + Echo.quote(value) + ".");
        }
    }
}
