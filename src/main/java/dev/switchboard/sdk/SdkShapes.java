package dev.switchboard.sdk;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.store.Credential;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shapes Paragon's Connect SDK reads (its IConnectCredential and integration entries), in one place: the Users
 * API and connecting both answer with them. Ids the SDK matches by pattern are UUIDs.
 */
public final class SdkShapes {
    private SdkShapes() {}

    /**
     * An integration icon's address below a base URL ({@code https://dashboard.example.com}): {@code /integrations/<key>.svg},
     * the path the Connect SDK builds its icon URLs with.
     */
    public static String iconUrl(String base, String integration) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/integrations/" + integration + ".svg";
    }

    /** The id ActionKit's lists give an integration of a project: stable, and accepted wherever the key is. */
    public static String integrationId(String projectId, String integration) {
        return UUID.nameUUIDFromBytes((projectId + "/" + integration).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * A connected account as the SDK reads it: its status, the vendor's id and facts about the account, and one
     * default configuration (the SDK requires one; Switchboard keeps no per-account workflow settings).
     */
    public static ObjectNode credential(Credential c, IntegrationDefinition definition) {
        ObjectNode node = Json.object().put("id", c.id()).put("projectId", c.projectId()).put("label", label(c, definition))
                .put("integrationId", integrationId(c.projectId(), c.integration())).put("integration", c.integration())
                .put("personaId", c.userId()).put("isPreviewCredential", false)
                .put("status", c.status().name())
                .put("dateCreated", Instant.ofEpochMilli(c.createdAt()).toString())
                .put("dateRefreshed", c.refreshedAt() == null ? null : Instant.ofEpochMilli(c.refreshedAt()).toString())
                .put("refreshFailureCount", c.refreshFailureCount())
                .put("providerId", c.providerId());
        node.set("providerData", Json.MAPPER.valueToTree(c.providerData() == null ? java.util.Map.of() : c.providerData()));
        if (c.status() != Credential.Status.VALID && c.statusReason() != null) {
            node.put("statusReason", c.statusReason());
        }
        ArrayNode configurations = node.putArray("configurations");
        configurations.addObject().put("id", UUID.nameUUIDFromBytes(("configuration/" + c.id()).getBytes(StandardCharsets.UTF_8)).toString())
                .put("connectCredentialId", c.id()).put("isDefault", true)
                .put("dateCreated", Instant.ofEpochMilli(c.createdAt()).toString())
                .set("workflowSettings", Json.object());
        ObjectNode configuration = (ObjectNode) configurations.get(0);
        configuration.set("sharedSettings", Json.object());
        configuration.set("configMeta", Json.object());
        return node;
    }

    /**
     * How an account is named to its user: the integration's {@code accountLabel} filled from the account's providerData
     * (Slack's workspace name), else the vendor's id for it, else null.
     */
    public static String label(Credential c, IntegrationDefinition definition) {
        String template = definition == null ? null : definition.accountLabel();
        if (template != null) {
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{([A-Za-z0-9_]+)}").matcher(template);
            StringBuilder filled = new StringBuilder();
            boolean complete = true;
            while (names.find()) {
                Object value = c.providerData() == null ? null : c.providerData().get(names.group(1));
                complete &= value != null && !String.valueOf(value).isBlank();
                names.appendReplacement(filled, java.util.regex.Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
            }
            names.appendTail(filled);
            if (complete) {
                return filled.toString();
            }
        }
        return c.providerId();
    }

    /**
     * An integration of the project as the SDK lists it ({@code GET /sdk/integrations}): what it reads to show and
     * connect it, with one config whose values are empty (the SDK skips integrations without one).
     *
     * @param icon the icon's absolute URL
     */
    public static ObjectNode integration(String projectId, IntegrationDefinition definition, boolean active, boolean connected, String icon) {
        ObjectNode node = Json.object().put("id", integrationId(projectId, definition.key())).put("type", definition.key())
                .put("name", definition.name()).put("brandColor", definition.brandColor()).put("icon", icon)
                .put("description", definition.description())
                .put("isActive", active).put("hasCredential", connected).put("needPreOauthInputs", false)
                .put("authenticationType", definition.auth().isApiKey() ? "apiKey" : "oauth");
        node.putArray("configs").addObject().putObject("values");
        node.putArray("workflows");
        ObjectNode config = node.putObject("sdkIntegrationConfig");
        config.putArray("accountTypes");
        ArrayNode inputs = config.putArray("authConfigInputs");
        if (definition.auth().isApiKey()) {
            inputs.addObject().put("id", "apiKey").put("type", "PASSWORD").put("title", "API key").put("required", true);
        }
        config.putArray("postOauthInputs");
        config.putArray("oauthInputs");
        config.putObject("dataSources");
        return node;
    }
}
