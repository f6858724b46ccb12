package dev.switchboard.routes.users;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.IntegrationConfigRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Users API (SPEC 3.6), in ActionKit's shapes: the connected user, the project's integrations, the user's
 * accounts, disconnecting, and the user's metadata. Token permissions narrow every list.
 */
public final class UserRoutes {
    /** The most a user's metadata may hold, as JSON: it is read on every GET /sdk/me. */
    static final int MAX_META_BYTES = 64 * 1024;

    private final UserAuthenticator users;
    private final IntegrationConfigRepository configs;
    private final CredentialStore credentials;
    private final ConnectedUserRepository connectedUsers;

    public UserRoutes(UserAuthenticator users, IntegrationConfigRepository configs, CredentialStore credentials,
                      ConnectedUserRepository connectedUsers) {
        this.users = users;
        this.configs = configs;
        this.credentials = credentials;
        this.connectedUsers = connectedUsers;
    }

    public void register(RoutesConfig routes) {
        routes.get("/projects/{projectId}/sdk/me", ctx -> respond(ctx, me(users.authenticate(ctx))));
        routes.patch("/projects/{projectId}/sdk/me", this::patchMe);
        routes.get("/projects/{projectId}/sdk/integrations", this::integrations);
        routes.get("/projects/{projectId}/sdk/credentials", this::credentials);
        routes.delete("/projects/{projectId}/sdk/integrations/{integration}", this::disconnect);
    }

    private static void respond(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(Json.write(body));
    }

    /** The id ActionKit's lists give an integration of a project: stable, and accepted wherever the key is. */
    static String integrationId(String projectId, String integration) {
        return UUID.nameUUIDFromBytes((projectId + "/" + integration).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private List<IntegrationConfig> visibleIntegrations(UserPrincipal user) {
        return configs.listEnabled(user.projectId()).stream().filter(c -> user.mayUseIntegration(c.integration())).toList();
    }

    private List<Credential> visibleCredentials(UserPrincipal user) {
        return credentials.listForUser(user.projectId(), user.userId()).stream()
                .filter(c -> user.mayUseIntegration(c.integration()) && user.mayUseCredential(c.id())).toList();
    }

    private ObjectNode me(UserPrincipal user) {
        ObjectNode body = Json.object().put("authenticated", true).put("userId", user.userId());
        body.set("meta", connectedUsers.meta(user.projectId(), user.userId()));
        ObjectNode integrations = body.putObject("integrations");
        List<Credential> all = visibleCredentials(user);
        for (IntegrationConfig config : visibleIntegrations(user)) {
            List<Credential> mine = all.stream().filter(c -> c.integration().equals(config.integration())).toList();
            Credential chosen = mine.stream().filter(c -> c.status() == Credential.Status.VALID).findFirst()
                    .orElse(mine.isEmpty() ? null : mine.get(0));
            ObjectNode entry = integrations.putObject(config.integration())
                    .put("enabled", chosen != null && chosen.status() == Credential.Status.VALID);
            if (chosen != null) {
                entry.put("credentialId", chosen.id()).put("credentialStatus", chosen.status().name());
            }
            ArrayNode list = entry.putArray("allCredentials");
            mine.forEach(c -> list.add(describe(c)));
        }
        return body;
    }

    private static ObjectNode describe(Credential c) {
        ObjectNode node = Json.object().put("id", c.id()).put("integration", c.integration()).put("status", c.status().name())
                .put("dateCreated", Instant.ofEpochMilli(c.createdAt()).toString())
                .put("dateRefreshed", c.refreshedAt() == null ? null : Instant.ofEpochMilli(c.refreshedAt()).toString())
                .put("refreshFailureCount", c.refreshFailureCount())
                .put("providerId", c.providerId());
        if (c.status() != Credential.Status.VALID && c.statusReason() != null) {
            node.put("statusReason", c.statusReason());
        }
        return node;
    }

    private void patchMe(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        JsonNode body = JsonBodies.read(ctx);
        if (!body.isObject() || !body.has("meta") || !body.get("meta").isObject() || body.size() != 1) {
            throw Failure.invalidInput("invalid_request", "The body must be {\"meta\": {...}}.");
        }
        ObjectNode meta = connectedUsers.meta(user.projectId(), user.userId());
        body.get("meta").properties().forEach(field -> meta.set(field.getKey(), field.getValue()));
        int size = Json.write(meta).getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_META_BYTES) {
            throw Failure.invalidInput("metadata_too_large", "A user's metadata is limited to " + MAX_META_BYTES
                    + " bytes of JSON; with this change it would be " + size + ". Nothing was changed.");
        }
        connectedUsers.saveMeta(user.projectId(), user.userId(), meta);
        respond(ctx, me(user));
    }

    private void integrations(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        List<Credential> all = visibleCredentials(user);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (IntegrationConfig config : visibleIntegrations(user)) {
            boolean connected = all.stream().anyMatch(c -> c.integration().equals(config.integration()) && c.status() == Credential.Status.VALID);
            list.addObject().put("id", integrationId(user.projectId(), config.integration())).put("type", config.integration())
                    .put("isActive", config.enabled()).put("hasCredential", connected);
        }
        respond(ctx, list);
    }

    private void credentials(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        visibleCredentials(user).forEach(c -> list.add(describe(c)));
        respond(ctx, list);
    }

    private void disconnect(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        String given = ctx.pathParam("integration");
        String integration = configs.listEnabled(user.projectId()).stream().map(IntegrationConfig::integration)
                .filter(key -> key.equals(given) || integrationId(user.projectId(), key).equals(given))
                .findFirst().orElseThrow(() -> Failure.notFound("integration_not_found", "No such integration in this project."));
        if (!user.mayUseIntegration(integration)) {
            throw Failure.forbidden("This token's permissions do not include integration " + Echo.quote(integration) + ".");
        }
        String credentialId = ctx.header("X-Paragon-Credential");
        if (credentialId != null && !user.mayUseCredential(credentialId)) {
            throw Failure.forbidden("This token's permissions do not include this credential.");
        }
        List<String> deleted = credentials.delete(user.projectId(), user.userId(), integration, credentialId);
        if (credentialId != null && deleted.isEmpty()) {
            throw Failure.notFound("credential_not_found", "No such credential.");
        }
        ObjectNode body = Json.object().put("success", true);
        ArrayNode ids = body.putArray("deletedCredentials");
        deleted.forEach(ids::add);
        respond(ctx, body);
    }
}
