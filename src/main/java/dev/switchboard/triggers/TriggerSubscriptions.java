package dev.switchboard.triggers;

import dev.switchboard.actions.ActionRunner;
import dev.switchboard.actions.InputValidator;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.TriggerSubscriptionRepository;
import dev.switchboard.store.TriggerSubscriptionRepository.TriggerSubscription;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ActionKit's Triggers API for one user: the trigger types they may subscribe to, and their subscriptions (subscribe,
 * list, read, change, pause and resume, unsubscribe). A subscription is bound to one of the user's accounts, chosen
 * as for actions (the {@code X-Paragon-Credential} header, or the oldest valid one).
 */
public final class TriggerSubscriptions {
    private static final Set<String> SUBSCRIBE_FIELDS = Set.of("integration", "type", "parameters", "webhookOverride");
    private static final Set<String> UPDATE_FIELDS = Set.of("parameters", "webhookOverride", "status");
    private static final Set<String> STATUSES = Set.of(TriggerSubscriptionRepository.ACTIVE, TriggerSubscriptionRepository.PAUSED,
            TriggerSubscriptionRepository.ERRORED);

    private final TriggerCatalog catalog;
    private final IntegrationConfigRepository configs;
    private final AccountSelector accounts;
    private final TriggerSubscriptionRepository subscriptions;
    private final ActionRunner actions;

    public TriggerSubscriptions(TriggerCatalog catalog, IntegrationConfigRepository configs, AccountSelector accounts,
                                TriggerSubscriptionRepository subscriptions, ActionRunner actions) {
        this.catalog = catalog;
        this.configs = configs;
        this.accounts = accounts;
        this.subscriptions = subscriptions;
        this.actions = actions;
    }

    /** {@code {"triggers": {"slack": [{type, triggerModel, title, description, parameters}]}}} for the project's enabled integrations. */
    public ObjectNode available(UserPrincipal user, String integrationsFilter) {
        List<String> wanted = split(integrationsFilter);
        ObjectNode byIntegration = Json.object();
        for (IntegrationConfig config : configs.listEnabled(user.projectId())) {
            String key = config.integration();
            if (!user.mayUseIntegration(key) || (!wanted.isEmpty() && !wanted.contains(key)) || catalog.of(key).isEmpty()) {
                continue;
            }
            ArrayNode list = byIntegration.putArray(key);
            for (TriggerDefinition trigger : catalog.of(key)) {
                ObjectNode item = list.addObject().put("type", trigger.type()).put("triggerModel", trigger.model())
                        .put("title", trigger.title()).put("description", trigger.description());
                item.set("parameters", parameters(trigger));
                item.set("inputSchema", trigger.input());
            }
        }
        return Json.object().set("triggers", byIntegration);
    }

    /** ActionKit's list of a trigger's parameters: id, type, title (and label), required, description. */
    private static ArrayNode parameters(TriggerDefinition trigger) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        Set<String> required = new java.util.HashSet<>();
        trigger.input().path("required").forEach(r -> required.add(r.asString()));
        trigger.input().path("properties").properties().forEach(p -> {
            String type = switch (p.getValue().path("type").asString("string")) {
                case "integer", "number" -> "NUMBER";
                case "boolean" -> "BOOLEAN";
                default -> "TEXT_NO_VARS";
            };
            String title = p.getValue().path("title").asString(p.getKey());
            list.addObject().put("id", p.getKey()).put("type", type).put("title", title).put("label", title)
                    .put("required", required.contains(p.getKey())).put("description", p.getValue().path("description").asString(""));
        });
        return list;
    }

    public TriggerSubscription subscribe(UserPrincipal user, JsonNode body, String credentialHeader) {
        if (!body.isObject()) {
            throw Failure.invalidInput("invalid_request", "The body must be a JSON object {\"integration\", \"type\", \"parameters\"}.");
        }
        unknownFields(body, SUBSCRIBE_FIELDS);
        TriggerDefinition trigger = trigger(body);
        String integration = trigger.integration();
        String type = trigger.type();
        ObjectNode parameters = parameters(trigger, body.get("parameters"));
        ObjectNode override = webhookOverride(body.get("webhookOverride"));
        AccountSelector.Account account = accounts.select(user, integration, credentialHeader);
        return subscriptions.create(user.projectId(), user.userId(), integration, account.credential().id(), type, parameters, override,
                trigger.poll() != null);
    }

    /** The trigger type the body names by {@code integration} and {@code type}; a 400 naming the known ones otherwise. */
    private TriggerDefinition trigger(JsonNode body) {
        String integration = text(body, "integration");
        String type = text(body, "type");
        return catalog.find(integration, type).orElseThrow(() -> Failure.invalidInput("unknown_trigger",
                "Unknown trigger type " + Echo.quote(type) + " for " + Echo.quote(integration) + "; "
                        + (catalog.of(integration).isEmpty() ? "it has no triggers; integrations with triggers: " + catalog.all().keySet()
                        : "its triggers: " + catalog.of(integration).stream().map(TriggerDefinition::type).toList())));
    }

    /**
     * ActionKit's example payloads ({@code POST /triggers/examples}): for a polling trigger, up to three of the
     * records it would fire for, read now from the user's account; for a webhook trigger, the shape of the vendor's event.
     */
    public ArrayNode examples(UserPrincipal user, JsonNode body, String credentialHeader) {
        if (!body.isObject()) {
            throw Failure.invalidInput("invalid_request", "The body must be a JSON object {\"integration\", \"type\", \"parameters\"}.");
        }
        unknownFieldsIn("the body", body, Set.of("integration", "type", "parameters"));
        TriggerDefinition trigger = trigger(body);
        ObjectNode parameters = parameters(trigger, body.get("parameters"));
        ArrayNode examples = Json.MAPPER.createArrayNode();
        if (trigger.poll() == null) {
            accounts.select(user, trigger.integration(), credentialHeader);
            examples.add(trigger.example());
            return examples;
        }
        JsonNode answer = actions.run(user, trigger.poll().action(), trigger.poll().parametersFor(parameters), credentialHeader, null).body();
        JsonNode records = answer.at(catalog.recordsOf(trigger.poll().action()));
        for (int i = 0; i < Math.min(3, records.size()); i++) {
            examples.add(records.get(i));
        }
        return examples;
    }

    private static ObjectNode parameters(TriggerDefinition trigger, JsonNode given) {
        if (given != null && !given.isNull() && !given.isObject()) {
            throw Failure.invalidInput("invalid_parameters", "parameters must be an object.");
        }
        ObjectNode parameters = given == null || given.isNull() ? Json.object() : ((ObjectNode) given).deepCopy();
        InputValidator.validate(trigger.type(), trigger.input(), trigger.validator(), parameters, false);
        return parameters;
    }

    private static ObjectNode webhookOverride(JsonNode given) {
        if (given == null || given.isNull()) {
            return null;
        }
        if (!given.isObject()) {
            throw Failure.invalidInput("invalid_request", "webhookOverride must be an object {\"url\", \"headers\", \"metadata\"}.");
        }
        unknownFieldsIn("webhookOverride", given, Set.of("url", "headers", "metadata"));
        if (!VendorUrls.isHttpUrl(given.path("url").asString(null))) {
            throw Failure.invalidInput("invalid_request", "webhookOverride.url must be an absolute http(s) URL.");
        }
        JsonNode headers = given.get("headers");
        if (headers != null && (!headers.isObject() || headers.propertyStream().anyMatch(h -> !h.getValue().isString()))) {
            throw Failure.invalidInput("invalid_request", "webhookOverride.headers must be an object of header names to text values.");
        }
        JsonNode metadata = given.get("metadata");
        if (metadata != null && !metadata.isObject()) {
            throw Failure.invalidInput("invalid_request", "webhookOverride.metadata must be an object.");
        }
        return ((ObjectNode) given).deepCopy();
    }

    public TriggerSubscription get(UserPrincipal user, String id) {
        return subscriptions.find(user.projectId(), user.userId(), id)
                .orElseThrow(() -> Failure.notFound("subscription_not_found", "This user has no trigger subscription with this id."));
    }

    /** {@code {"triggers": {"slack": [subscription, ...]}}}, as ActionKit groups them. */
    public ObjectNode list(UserPrincipal user, String integrations, String status, String type, String credentialHeader) {
        if (status != null && !STATUSES.contains(status)) {
            throw Failure.invalidInput("invalid_query", "status must be one of " + STATUSES);
        }
        Map<String, ArrayNode> grouped = new TreeMap<>();
        for (TriggerSubscription subscription : subscriptions.list(user.projectId(), user.userId(),
                new TriggerSubscriptionRepository.Filter(split(integrations), status, type, credentialHeader))) {
            grouped.computeIfAbsent(subscription.integration(), k -> Json.MAPPER.createArrayNode()).add(describe(subscription));
        }
        ObjectNode triggers = Json.object();
        grouped.forEach(triggers::set);
        return Json.object().set("triggers", triggers);
    }

    /**
     * ActionKit's update: {@code parameters} merged (a key given replaces, {@code null} removes), {@code webhookOverride}
     * replaced (or cleared by {@code null}); and Switchboard's {@code status}: {@code PAUSED} to pause, {@code ACTIVE}
     * to resume (an errored subscription too, once its cause is mended). Everything is checked before anything changes.
     */
    public TriggerSubscription update(UserPrincipal user, String id, JsonNode body) {
        if (!body.isObject()) {
            throw Failure.invalidInput("invalid_request", "The body must be a JSON object.");
        }
        unknownFields(body, UPDATE_FIELDS);
        TriggerSubscription current = get(user, id);
        ObjectNode parameters = current.parameters().deepCopy();
        if (body.has("parameters")) {
            JsonNode changes = body.get("parameters");
            if (!changes.isObject()) {
                throw Failure.invalidInput("invalid_parameters", "parameters must be an object.");
            }
            changes.properties().forEach(p -> {
                if (p.getValue().isNull()) {
                    parameters.remove(p.getKey());
                } else {
                    parameters.set(p.getKey(), p.getValue());
                }
            });
            TriggerDefinition trigger = catalog.find(current.integration(), current.type()).orElseThrow();
            InputValidator.validate(trigger.type(), trigger.input(), trigger.validator(), parameters, false);
        }
        ObjectNode override = body.has("webhookOverride") ? webhookOverride(body.get("webhookOverride")) : current.webhookOverride();
        String status = current.status();
        String error = current.error();
        if (body.has("status")) {
            String wanted = body.get("status").asString("");
            if (!wanted.equals(TriggerSubscriptionRepository.ACTIVE) && !wanted.equals(TriggerSubscriptionRepository.PAUSED)) {
                throw Failure.invalidInput("invalid_request", "status must be \"PAUSED\" (to pause) or \"ACTIVE\" (to resume).");
            }
            status = wanted;
            error = wanted.equals(TriggerSubscriptionRepository.ACTIVE) ? null : error;
        }
        TriggerSubscription updated = new TriggerSubscription(current.id(), current.projectId(), current.userId(), current.integration(),
                current.credentialId(), current.type(), parameters, override, status, error, current.createdAt(), current.updatedAt(),
                current.lastEventAt(), current.pollCursor());
        subscriptions.update(updated);
        return get(user, id);
    }

    public void delete(UserPrincipal user, String id) {
        if (!subscriptions.delete(user.projectId(), user.userId(), get(user, id).id())) {
            throw Failure.notFound("subscription_not_found", "This user has no trigger subscription with this id.");
        }
    }

    /** A subscription in ActionKit's shape (and its integration). */
    public static ObjectNode describe(TriggerSubscription subscription) {
        ObjectNode out = Json.object().put("id", subscription.id()).put("integration", subscription.integration())
                .put("type", subscription.type());
        out.set("parameters", subscription.parameters());
        out.put("status", subscription.status());
        if (subscription.error() != null) {
            out.put("error", subscription.error());
        }
        out.put("dateCreated", Instant.ofEpochMilli(subscription.createdAt()).toString());
        out.put("dateLastReceivedEvent", subscription.lastEventAt() == null ? null : Instant.ofEpochMilli(subscription.lastEventAt()).toString());
        out.put("credentialId", subscription.credentialId());
        if (subscription.webhookOverride() != null) {
            out.set("webhookOverride", subscription.webhookOverride());
        }
        return out;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw Failure.invalidInput("invalid_request", "Field '" + field + "' is required (a string).");
        }
        return value.asString();
    }

    private static void unknownFields(JsonNode body, Set<String> known) {
        unknownFieldsIn("the body", body, known);
    }

    private static void unknownFieldsIn(String where, JsonNode body, Set<String> known) {
        for (String field : body.propertyNames()) {
            if (!known.contains(field)) {
                throw Failure.invalidInput("invalid_request", "Unknown field " + Echo.quote(field) + " in " + where + "; it takes " + new java.util.TreeSet<>(known) + ".");
            }
        }
    }

    private static List<String> split(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isBlank() ? List.of()
                : Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
