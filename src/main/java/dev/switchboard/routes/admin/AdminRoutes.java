package dev.switchboard.routes.admin;

import dev.switchboard.auth.AdminAuth;
import dev.switchboard.auth.ConsoleSessions;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.routes.admin.Administration.IntegrationSettings;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.Credential;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.Run;
import dev.switchboard.store.SigningKeyRepository;
import dev.switchboard.store.TriggerEventRepository;
import dev.switchboard.store.TriggerWebhookRepository;
import dev.switchboard.triggers.TriggerSubscriptions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The operator API under {@code /admin}: every call needs the operator secret (the console's pages have their own sign-in). */
public final class AdminRoutes {
    record CreateProject(String name) {}

    record UpdateProject(String name, String unknownParameters, ProjectRepository.Branding branding) {}

    record AddSigningKey(String publicKeyPem) {}

    private final AdminAuth auth;
    private final Administration admin;
    private final ConsoleRoutes console;

    public AdminRoutes(AdminAuth auth, ConsoleSessions consoleSessions, Administration admin) {
        this.auth = auth;
        this.admin = admin;
        this.console = new ConsoleRoutes(admin, consoleSessions);
    }

    /** The admin API, and the console's pages beside it. */
    public void register(RoutesConfig routes) {
        routes.before("/admin/*", ctx -> {
            if (!ConsoleRoutes.serves(ctx.path())) {
                auth.check(ctx.header("Authorization"));
            }
        });
        routes.get("/admin/integrations", this::listShippedIntegrations);
        routes.post("/admin/projects", this::createProject);
        routes.get("/admin/projects", this::listProjects);
        routes.get("/admin/projects/{projectId}", ctx -> respond(ctx, 200, admin.project(ctx.pathParam("projectId"))));
        routes.delete("/admin/projects/{projectId}", ctx -> {
            admin.deleteProject(ctx.pathParam("projectId"));
            ctx.status(204);
        });
        routes.patch("/admin/projects/{projectId}", this::updateProject);
        routes.post("/admin/projects/{projectId}/signing-keys", this::addSigningKey);
        routes.get("/admin/projects/{projectId}/signing-keys", this::listSigningKeys);
        routes.delete("/admin/projects/{projectId}/signing-keys/{kid}", ctx -> {
            admin.retireSigningKey(ctx.pathParam("projectId"), ctx.pathParam("kid"));
            ctx.status(204);
        });
        routes.get("/admin/projects/{projectId}/integrations", this::listProjectIntegrations);
        routes.put("/admin/projects/{projectId}/integrations/{integration}", ctx -> respond(ctx, 200, describe(admin.putIntegration(
                ctx.pathParam("projectId"), ctx.pathParam("integration"), JsonBodies.bind(JsonBodies.read(ctx), IntegrationSettings.class)))));
        routes.patch("/admin/projects/{projectId}/integrations/{integration}", ctx -> respond(ctx, 200, describe(admin.patchIntegration(
                ctx.pathParam("projectId"), ctx.pathParam("integration"), JsonBodies.bind(JsonBodies.read(ctx), IntegrationSettings.class)))));
        routes.get("/admin/projects/{projectId}/integrations/{integration}", ctx -> respond(ctx, 200,
                describe(admin.integrationConfig(ctx.pathParam("projectId"), ctx.pathParam("integration")))));
        routes.get("/admin/projects/{projectId}/users", this::listUsers);
        routes.post("/admin/projects/{projectId}/users/{userId}/credentials", this::importCredential);
        routes.get("/admin/projects/{projectId}/users/{userId}/credentials", this::listCredentials);
        routes.get("/admin/projects/{projectId}/users/{userId}/credentials/{credentialId}", ctx -> respond(ctx, 200,
                describe(admin.credential(ctx.pathParam("projectId"), ctx.pathParam("userId"), ctx.pathParam("credentialId")))));
        routes.delete("/admin/projects/{projectId}/users/{userId}/credentials/{credentialId}", ctx -> {
            admin.disconnect(ctx.pathParam("projectId"), ctx.pathParam("userId"), ctx.pathParam("credentialId"));
            ctx.status(204);
        });
        routes.get("/admin/projects/{projectId}/runs", this::listRuns);
        routes.get("/admin/projects/{projectId}/runs/{runId}", ctx -> respond(ctx, 200,
                describe(admin.run(ctx.pathParam("projectId"), ctx.pathParam("runId")))));
        routes.get("/admin/projects/{projectId}/users/{userId}/trigger-subscriptions", ctx -> {
            ArrayNode list = Json.MAPPER.createArrayNode();
            admin.triggerSubscriptions(ctx.pathParam("projectId"), ctx.pathParam("userId"))
                    .forEach(subscription -> list.add(TriggerSubscriptions.describe(subscription)));
            respond(ctx, 200, Json.object().set("subscriptions", list));
        });
        routes.put("/admin/projects/{projectId}/trigger-webhook", this::setTriggerWebhook);
        routes.get("/admin/projects/{projectId}/trigger-webhook", ctx -> respond(ctx, 200, describe(admin.triggerWebhook(ctx.pathParam("projectId")))));
        routes.get("/admin/projects/{projectId}/trigger-events", this::listTriggerEvents);
        routes.get("/admin/projects/{projectId}/trigger-events/{eventId}", this::showTriggerEvent);
        routes.post("/admin/projects/{projectId}/trigger-events/{eventId}/replay", ctx -> {
            admin.replayTriggerEvent(ctx.pathParam("projectId"), ctx.pathParam("eventId"));
            respond(ctx, 202, Json.object().put("id", ctx.pathParam("eventId")).put("status", TriggerEventRepository.PENDING));
        });
        console.register(routes);
    }

    record SetTriggerWebhook(String url, Boolean newSecret) {}

    private void setTriggerWebhook(Context ctx) {
        SetTriggerWebhook body = JsonBodies.bind(JsonBodies.read(ctx), SetTriggerWebhook.class);
        respond(ctx, 200, describe(admin.setTriggerWebhook(ctx.pathParam("projectId"), body.url(), Boolean.TRUE.equals(body.newSecret()))));
    }

    /** The webhook and its signing secret: the operator gives the secret to the receiver, which checks every delivery with it. */
    private static ObjectNode describe(TriggerWebhookRepository.TriggerWebhook webhook) {
        return Json.object().put("url", webhook.url()).put("secret", webhook.secret());
    }

    private void listTriggerEvents(Context ctx) {
        String projectId = admin.project(ctx.pathParam("projectId")).id();
        String status = ctx.queryParam("status");
        if (status != null && !Set.of(TriggerEventRepository.PENDING, TriggerEventRepository.DELIVERED, TriggerEventRepository.FAILED).contains(status)) {
            throw Failure.invalidInput("invalid_query", "status must be PENDING, DELIVERED or FAILED.");
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        admin.triggerEvents.list(projectId, ctx.queryParam("subscriptionId"), status, RunFilters.limit(ctx.queryParam("limit"), 50))
                .forEach(event -> list.add(describe(event)));
        respond(ctx, 200, Json.object().set("events", list));
    }

    private void showTriggerEvent(Context ctx) {
        TriggerEventRepository.StoredEvent event = admin.triggerEvent(ctx.pathParam("projectId"), ctx.pathParam("eventId"));
        ObjectNode out = describe(event);
        out.set("body", Json.parse(event.body()));
        ArrayNode attempts = out.putArray("deliveries");
        admin.triggerEvents.attempts(event.id()).forEach(a -> attempts.addObject().put("attempt", a.attempt())
                .put("at", Instant.ofEpochMilli(a.attemptedAt()).toString()).put("statusCode", a.statusCode())
                .put("latencyMs", a.latencyMs()).put("error", a.error()));
        respond(ctx, 200, out);
    }

    /** An event in the delivery log: its state and last attempt, without its body (which GET of the one event gives). */
    private static ObjectNode describe(TriggerEventRepository.StoredEvent event) {
        return Json.object().put("id", event.id()).put("subscriptionId", event.subscriptionId()).put("status", event.status())
                .put("attempts", event.attempts()).put("occurredAt", Instant.ofEpochMilli(event.occurredAt()).toString())
                .put("createdAt", Instant.ofEpochMilli(event.createdAt()).toString())
                .put("nextAttemptAt", event.status().equals(TriggerEventRepository.PENDING) ? Instant.ofEpochMilli(event.nextAttemptAt()).toString() : null)
                .put("lastStatus", event.lastStatus()).put("lastError", event.lastError())
                .put("deliveredAt", event.deliveredAt() == null ? null : Instant.ofEpochMilli(event.deliveredAt()).toString());
    }

    private static void respond(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    private void listProjects(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ProjectRepository.Project project : admin.projects.list()) {
            list.addObject().put("id", project.id()).put("name", project.name()).put("createdAt", Instant.ofEpochMilli(project.createdAt()).toString());
        }
        respond(ctx, 200, Json.object().set("projects", list));
    }

    /** The integrations Switchboard ships (and the operator added): what a project may enable. */
    private void listShippedIntegrations(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (String key : new TreeSet<>(admin.catalog.integrationKeys())) {
            IntegrationDefinition definition = admin.catalog.integration(key).orElseThrow();
            ObjectNode item = list.addObject().put("key", key).put("name", definition.name()).put("authType", definition.auth().type())
                    .put("actions", admin.catalog.actionsOf(key).size());
            item.set("urls", Json.tree(definition.urls().keySet()));
        }
        respond(ctx, 200, Json.object().set("integrations", list));
    }

    private void listProjectIntegrations(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        admin.configs.list(admin.project(ctx.pathParam("projectId")).id()).forEach(config -> list.add(describe(config)));
        respond(ctx, 200, Json.object().set("integrations", list));
    }

    private void listUsers(Context ctx) {
        String projectId = admin.project(ctx.pathParam("projectId")).id();
        int limit = RunFilters.limit(ctx.queryParam("limit"), 100);
        List<ConnectedUserRepository.ConnectedUser> page = admin.users.list(projectId, limit, ctx.queryParam("after"));
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
        String projectId = admin.project(ctx.pathParam("projectId")).id();
        ArrayNode list = Json.MAPPER.createArrayNode();
        admin.credentials.listForUserFromDatabase(projectId, ctx.pathParam("userId")).forEach(c -> list.add(describe(c)));
        respond(ctx, 200, Json.object().set("credentials", list));
    }

    private void createProject(Context ctx) {
        ProjectRepository.Project project = admin.createProject(JsonBodies.bind(JsonBodies.read(ctx), CreateProject.class).name());
        respond(ctx, 201, Map.of("id", project.id(), "name", project.name()));
    }

    /**
     * The project's name and settings: {@code unknownParameters}, {@code refuse} (the default) or {@code ignore}; and
     * {@code branding} for its Connect page ({@code displayName}, {@code logoUrl}, {@code accentColor}), replaced as a
     * whole. Everything is checked before anything changes.
     */
    private void updateProject(Context ctx) {
        UpdateProject body = JsonBodies.bind(JsonBodies.read(ctx), UpdateProject.class);
        if (body.name() == null && body.unknownParameters() == null && body.branding() == null) {
            throw Failure.invalidInput("invalid_request", "Give 'name', 'unknownParameters' or 'branding' (one or more).");
        }
        respond(ctx, 200, admin.updateProject(ctx.pathParam("projectId"), body.name(), body.unknownParameters(), body.branding()));
    }

    private void addSigningKey(Context ctx) {
        Administration.AddedKey added = admin.addSigningKey(ctx.pathParam("projectId"),
                JsonBodies.bind(JsonBodies.read(ctx), AddSigningKey.class).publicKeyPem());
        ObjectNode response = Json.object().put("kid", added.kid());
        if (added.privateKeyPem() != null) {
            response.put("privateKeyPem", added.privateKeyPem());
        }
        respond(ctx, 201, response);
    }

    private void listSigningKeys(Context ctx) {
        ArrayNode keys = Json.MAPPER.createArrayNode();
        for (SigningKeyRepository.SigningKey key : admin.signingKeys.list(admin.project(ctx.pathParam("projectId")).id())) {
            keys.addObject().put("kid", key.kid()).put("publicKeyPem", key.publicKeyPem())
                    .put("createdAt", Instant.ofEpochMilli(key.createdAt()).toString())
                    .put("active", key.active());
        }
        respond(ctx, 200, Json.object().set("signingKeys", keys));
    }

    private static ObjectNode describe(IntegrationConfig config) {
        ObjectNode out = Json.object().put("integration", config.integration()).put("enabled", config.enabled())
                .put("clientId", config.clientId()).put("hasClientSecret", config.clientSecret() != null)
                .put("hasSigningSecret", config.signingSecret() != null);
        out.set("scopes", Json.tree(config.scopes()));
        out.set("urls", Json.tree(config.urls()));
        return out;
    }

    private void importCredential(Context ctx) {
        Credential credential = admin.importCredential(ctx.pathParam("projectId"), ctx.pathParam("userId"),
                JsonBodies.bind(JsonBodies.read(ctx), Administration.ImportedAccount.class));
        respond(ctx, 201, Map.of("id", credential.id(), "status", credential.status().name()));
    }

    private void listRuns(Context ctx) {
        int limit = RunFilters.limit(ctx.queryParam("limit"), 50);
        List<Run> found = admin.runs(ctx.pathParam("projectId"), ctx::queryParam, 50);
        ArrayNode list = Json.MAPPER.createArrayNode();
        found.forEach(run -> list.add(describe(run)));
        ObjectNode out = Json.object().set("runs", list);
        out.put("nextCursor", found.size() == limit ? RunFilters.cursorAfter(found.get(found.size() - 1)) : null);
        respond(ctx, 200, out);
    }

    private static ObjectNode describe(Run run) {
        ObjectNode item = (ObjectNode) Json.tree(run);
        item.remove("projectId");
        item.put("createdAt", Instant.ofEpochMilli(run.createdAt()).toString());
        return item;
    }
}
