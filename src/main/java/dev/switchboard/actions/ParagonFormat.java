package dev.switchboard.actions;

import dev.switchboard.files.FileObjects;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.json.Json;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code format=paragon} listing: form inputs with ActionKit's input types, derived from the same schema. */
final class ParagonFormat {
    private ParagonFormat() {}

    static ObjectNode describe(ActionDefinition.Compiled action) {
        ObjectNode out = Json.object()
                .put("name", action.name())
                .put("title", action.definition().title())
                .put("description", action.definition().description());
        ArrayNode inputs = out.putArray("inputs");
        Set<String> required = new HashSet<>();
        action.schema().path("required").forEach(r -> required.add(r.asString()));
        action.schema().path("properties").properties().forEach(property -> {
            String id = property.getKey();
            JsonNode schema = property.getValue();
            ObjectNode input = inputs.addObject()
                    .put("id", id)
                    .put("title", schema.path("title").asString(humanize(id)))
                    .put("type", inputType(schema))
                    .put("required", required.contains(id));
            if (schema.has("description")) input.put("subtitle", schema.get("description").asString());
            if (schema.has("default")) input.set("defaultValue", schema.get("default"));
            if (schema.has("enum")) input.set("values", schema.get("enum"));
        });
        return out;
    }

    static String inputType(JsonNode schema) {
        if (schema.has("enum")) return "ENUM";
        if (FileObjects.isFileSchema(schema)) return "FILE";
        return switch (schema.path("type").asString("")) {
            case "string" -> switch (schema.path("format").asString("")) {
                case "email" -> "EMAIL";
                case "uri", "url" -> "URL";
                default -> schema.path("maxLength").asInt(0) > 1000 ? "TEXTAREA" : "TEXT";
            };
            case "integer", "number" -> "NUMBER";
            case "boolean" -> "BOOLEAN_INPUT";
            default -> "CODE";
        };
    }

    /** {@code threadTs} → {@code Thread Ts}. */
    private static String humanize(String id) {
        String spaced = id.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
