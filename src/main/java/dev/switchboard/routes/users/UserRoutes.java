package dev.switchboard.routes.users;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.sdk.SdkShapes;
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
import java.util.Map;
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
    private final IntegrationCatalog catalog;
    private final String publicUrl;

    /** @param publicUrl the server's address as browsers reach it, for icon URLs; null takes it from each request */
    public UserRoutes(UserAuthenticator users, IntegrationConfigRepository configs, CredentialStore credentials,
                      ConnectedUserRepository connectedUsers, IntegrationCatalog catalog, String publicUrl) {
        this.users = users;
        this.configs = configs;
        this.credentials = credentials;
        this.connectedUsers = connectedUsers;
        this.catalog = catalog;
        this.publicUrl = publicUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/projects/{projectId}/sdk/me", ctx -> respond(ctx, me(users.authenticate(ctx))));
        routes.patch("/projects/{projectId}/sdk/me", this::patchMe);
        routes.get("/projects/{projectId}/sdk/integrations", this::integrations);
        routes.get("/projects/{projectId}/sdk/metadata", this::metadata);
        routes.get("/projects/{projectId}/sdk/credentials", this::credentials);
        routes.get("/projects/{projectId}/sdk/credentials/{credentialId}", this::credential);
        routes.delete("/projects/{projectId}/sdk/integrations/{integration}", this::disconnect);
    }

    /** The icon's address on the host the caller reached ({@code /integrations/<key>.svg}, as the SDK's own icon URLs). */
    private String iconUrl(Context ctx, String integration) {
        return SdkShapes.iconUrl(publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host(), integration);
    }

    private static void respond(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(Json.write(body));
    }

    static String integrationId(String projectId, String integration) {
        return SdkShapes.integrationId(projectId, integration);
    }

    private List<IntegrationConfig> visibleIntegrations(UserPrincipal user) {
        return configs.listEnabled(user.projectId()).stream().filter(c -> user.mayUseIntegration(c.integration())).toList();
    }

    private List<Credential> visibleCredentials(UserPrincipal user) {
        return credentials.listForUser(user.projectId(), user.userId()).stream()
                .filter(c -> user.mayUseIntegration(c.integration()) && user.mayUseCredential(c.id())).toList();
    }

    /**
     * The connected user, as ActionKit and the Connect SDK read it: an entry per integration the user may use
     * (connected or not), each with all its accounts; the project and the features the SDK checks
     * ({@code headless-cp} gates its install and uninstall methods).
     */
    private ObjectNode me(UserPrincipal user) {
        ObjectNode body = Json.object().put("authenticated", true).put("userId", user.userId());
        body.set("meta", connectedUsers.meta(user.projectId(), user.userId()));
        ObjectNode project = body.putObject("project").put("id", user.projectId()).put("billingPlan", "self-hosted");
        project.putArray("accessibleFeatures").add("headless-cp").add("user-metadata");
        body.putArray("resources");
        ObjectNode integrations = body.putObject("integrations");
        List<Credential> all = visibleCredentials(user);
        for (IntegrationConfig config : visibleIntegrations(user)) {
            List<Credential> mine = all.stream().filter(c -> c.integration().equals(config.integration())).toList();
            Credential chosen = mine.stream().filter(c -> c.status() == Credential.Status.VALID).findFirst()
                    .orElse(mine.isEmpty() ? null : mine.get(0));
            ObjectNode entry = integrations.putObject(config.integration())
                    .put("enabled", chosen != null && chosen.status() == Credential.Status.VALID);
            if (chosen != null) {
                entry.put("credentialId", chosen.id()).put("credentialStatus", chosen.status().name()).put("providerId", chosen.providerId());
                entry.set("providerData", Json.MAPPER.valueToTree(chosen.providerData() == null ? Map.of() : chosen.providerData()));
            }
            ArrayNode list = entry.putArray("allCredentials");
            mine.forEach(c -> list.add(SdkShapes.credential(c, catalog.integration(c.integration()).orElse(null))));
        }
        return body;
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

    /** The project's integrations, as the SDK lists them: what it needs to show each and to connect it. */
    private void integrations(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        List<Credential> all = visibleCredentials(user);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (IntegrationConfig config : visibleIntegrations(user)) {
            IntegrationDefinition definition = catalog.integration(config.integration()).orElse(null);
            if (definition == null) {
                continue;
            }
            boolean connected = all.stream().anyMatch(c -> c.integration().equals(config.integration()) && c.status() == Credential.Status.VALID);
            list.add(SdkShapes.integration(user.projectId(), definition, config.enabled(), connected, iconUrl(ctx, definition.key())));
        }
        respond(ctx, list);
    }

    /** Each enabled integration's name, icon and brand colour, for drawing tiles ({@code GET /sdk/metadata}). */
    private void metadata(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (IntegrationConfig config : visibleIntegrations(user)) {
            catalog.integration(config.integration()).ifPresent(definition -> list.addObject().put("type", definition.key())
                    .put("name", definition.name()).put("icon", iconUrl(ctx, definition.key())).put("brandColor", definition.brandColor())
                    .put("description", definition.description()));
        }
        respond(ctx, list);
    }

    private void credentials(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        String only = ctx.queryParam("integration");
        visibleCredentials(user).stream().filter(c -> only == null || only.equals("undefined") || c.integration().equals(only)
                        || integrationId(user.projectId(), c.integration()).equals(only))
                .forEach(c -> list.add(SdkShapes.credential(c, catalog.integration(c.integration()).orElse(null))));
        respond(ctx, list);
    }

    /** One of the user's accounts ({@code GET /sdk/credentials/{id}}): the SDK reads it when its popup has connected it. */
    private void credential(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        String id = ctx.pathParam("credentialId");
        Credential found = visibleCredentials(user).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> Failure.notFound("credential_not_found", "No such credential."));
        respond(ctx, SdkShapes.credential(found, catalog.integration(found.integration()).orElse(null)));
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
