package dev.switchboard.integrations;

import dev.switchboard.integrations.ActionDefinition.InputTarget;
import dev.switchboard.integrations.IntegrationDefinition.AccountFields;
import dev.switchboard.json.Json;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An action that takes the account's own fields, as it is for one account: its own parameters plus one parameter per
 * field the vendor lists for the record type (a Zoho CRM module's fields), typed as the integration's
 * {@link AccountFields} says, each mapped into the vendor's body. The result is an ordinary compiled action: the
 * same validation and request mapping as every other.
 */
public final class AccountFieldSchemas {
    /** A field name that is safe as a parameter name and as a dotted body path. */
    private static final Pattern FIELD_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,99}$");

    private AccountFieldSchemas() {}

    /**
     * @param answer the vendor's answer listing the record type's fields
     * @return the action for this account, or the same action when it takes no account fields
     */
    public static ActionDefinition.Compiled forAccount(IntegrationDefinition integration, ActionDefinition.Compiled action, JsonNode answer) {
        ActionDefinition.AccountFieldInputs use = action.definition().accountFields();
        AccountFields spec = integration.accountFields();
        if (use == null || use.describe() || spec == null) {
            return action;
        }
        boolean create = "create".equals(use.operation());
        ObjectNode schema = action.schema().deepCopy();
        schema.put("additionalProperties", false);
        ObjectNode properties = (ObjectNode) schema.get("properties");
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        Map<String, InputTarget> map = new LinkedHashMap<>(action.definition().map());
        String into = use.into() == null || use.into().isEmpty() ? "" : use.into() + ".";
        // Fields an own parameter already sends under another name (Salesforce's accountId is AccountId) are not offered twice.
        Set<String> sent = new java.util.HashSet<>();
        map.values().forEach(target -> sent.add(target.name()));
        for (JsonNode field : answer.at(spec.list())) {
            String name = field.at(spec.name()).asString("");
            // The action's own parameters (recordType, recordId) keep their meaning whatever the vendor calls a field.
            if (!FIELD_NAME.matcher(name).matches() || properties.has(name) || sent.contains(into + name)
                    || !holds(field, create ? spec.create() : spec.update())) {
                continue;
            }
            String type = typeOf(spec, field);
            ObjectNode typed = spec.types().get(type);
            if (typed == null) {
                continue; // a type the definition does not know how to send: not offered
            }
            ObjectNode schemaOfType = typed.deepCopy();
            // Not JSON Schema: how the type's values are sent (Jira's rich text as a document, an option as {"value": x}).
            JsonNode as = schemaOfType.remove("as");
            JsonNode wrap = schemaOfType.remove("wrap");
            properties.set(name, property(spec, field, type, schemaOfType));
            map.put(name, InputTarget.accountField(into + name, as == null ? spec.as() : as.asString(), wrap == null ? null : wrap.asString()));
            if (create && !spec.required().isEmpty() && holds(field, spec.required())) {
                required.add(name);
            }
        }
        ArrayNode requiredList = schema.putArray("required");
        required.forEach(requiredList::add);
        ActionDefinition d = action.definition();
        ActionDefinition definition = new ActionDefinition(d.title(), d.description(), d.method(), d.base(), d.path(), d.idempotent(),
                d.paginated(), d.records(), d.fixed(), map, d.multipart(), d.response(), schema, d.formerNames(), d.body(), d.compose(),
                d.accountFields(), d.keepRecords(), d.readFirst(), d.attachFile(), d.mime(), d.fileFromAnswer(), d.program(), d.continuation(),
                d.argsHeader(), d.fileBody(), d.fileName(), d.answer(), d.pagination(), d.userErrors(), d.protocol());
        var validator = IntegrationLoader.compileSchema(schema);
        return new ActionDefinition.Compiled(action.integration(), action.name(), definition, schema, () -> validator);
    }

    /** The field's key in {@code types}: {@code type/subtype} for the first subtype listed there, or the type alone. */
    private static String typeOf(AccountFields spec, JsonNode field) {
        String type = field.at(spec.type()).asString("");
        for (String pointer : spec.subtype()) {
            String finer = type + "/" + field.at(pointer).asString("");
            if (spec.types().containsKey(finer)) {
                return finer;
            }
        }
        return type;
    }

    private static ObjectNode property(AccountFields spec, JsonNode field, String type, ObjectNode property) {
        if (spec.options() != null) {
            ArrayNode values = Json.MAPPER.createArrayNode();
            field.at(spec.options().list()).forEach(option -> {
                JsonNode value = option.at(spec.options().value());
                if (value.isString() && holds(option, spec.options().active())) {
                    values.add(value);
                }
            });
            if (!values.isEmpty() && !holds(field, spec.options().restricted())) {
                // The vendor takes other text too: the options guide, they do not limit.
                property.put("description", "One of: " + String.join(", ", values.valueStream().map(JsonNode::asString).toList())
                        + ", or another value." + (property.has("description") ? " " + property.get("description").asString() : ""));
            } else if (!values.isEmpty()) {
                ObjectNode target = "array".equals(property.path("type").asString()) && property.get("items") instanceof ObjectNode items ? items : property;
                if ("string".equals(target.path("type").asString())) { // a boolean's "true"/"false" options are its type already
                    target.set("enum", values);
                }
            }
        }
        if (spec.maxLength() != null && "string".equals(property.path("type").asString()) && !property.has("maxLength")
                && !property.has("enum") && field.at(spec.maxLength()).canConvertToInt() && field.at(spec.maxLength()).asInt() > 0) {
            property.put("maxLength", field.at(spec.maxLength()).asInt());
        }
        String label = spec.label() == null ? "" : field.at(spec.label()).asString("");
        String note = property.path("description").asString("");
        property.put("description", (label.isEmpty() ? "" : label + " ") + "(" + type + ")" + (note.isEmpty() ? "" : ": " + note));
        return property;
    }

    /** Whether every pointer of the condition has its value in the field. */
    private static boolean holds(JsonNode field, Map<String, Object> condition) {
        for (Map.Entry<String, Object> expected : condition.entrySet()) {
            if (!field.at(expected.getKey()).equals(Json.tree(expected.getValue()))) {
                return false;
            }
        }
        return true;
    }
}
