package dev.switchboard.fakes.spec;

import io.swagger.v3.oas.models.media.Schema;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A value that fits a response schema: its example or default where it has one, else built from its type. */
final class Samples {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    private static final int MAX_DEPTH = 6;

    private Samples() {}

    static JsonNode of(Schema<?> schema) {
        return sample(schema, 0, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static JsonNode sample(Schema<?> s, int depth, Set<Schema<?>> seen) {
        if (s == null || depth > MAX_DEPTH || !seen.add(s)) {
            return NODES.nullNode();
        }
        try {
            if (s.getExample() != null) {
                return toNode(s.getExample());
            }
            if (s.getEnum() != null && !s.getEnum().isEmpty()) {
                return toNode(s.getEnum().get(0));
            }
            if (s.getAllOf() != null) {
                ObjectNode merged = NODES.objectNode();
                s.getAllOf().forEach(part -> {
                    if (sample(part, depth + 1, seen) instanceof ObjectNode o) {
                        merged.setAll(o);
                    }
                });
                return merged;
            }
            if (s.getOneOf() != null && !s.getOneOf().isEmpty()) {
                return sample(s.getOneOf().get(0), depth + 1, seen);
            }
            if (s.getAnyOf() != null && !s.getAnyOf().isEmpty()) {
                return sample(s.getAnyOf().get(0), depth + 1, seen);
            }
            String type = s.getType() != null ? s.getType() : s.getTypes() != null && !s.getTypes().isEmpty() ? s.getTypes().iterator().next()
                    : s.getProperties() != null ? "object" : "string";
            return switch (type) {
                case "object" -> {
                    ObjectNode object = NODES.objectNode();
                    if (s.getProperties() != null) {
                        s.getProperties().forEach((name, property) -> object.set(name, sample(property, depth + 1, seen)));
                    }
                    yield object;
                }
                case "array" -> {
                    ArrayNode array = NODES.arrayNode();
                    array.add(sample(s.getItems(), depth + 1, seen));
                    yield array;
                }
                case "integer" -> NODES.numberNode(s.getMinimum() != null ? s.getMinimum().longValue() : 1L);
                case "number" -> NODES.numberNode(s.getMinimum() != null ? s.getMinimum().doubleValue() : 1.5);
                case "boolean" -> NODES.booleanNode(true);
                default -> NODES.stringNode(switch (String.valueOf(s.getFormat())) {
                    case "date-time" -> "2025-01-02T03:04:05Z";
                    case "date" -> "2025-01-02";
                    case "email" -> "user@example.com";
                    case "uuid" -> "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
                    case "uri", "url" -> "https://example.com/x";
                    default -> "string";
                });
            };
        } finally {
            seen.remove(s);
        }
    }

    /** A swagger model value (Jackson 2) as a Jackson 3 tree. */
    private static JsonNode toNode(Object value) {
        return JSON.readTree(io.swagger.v3.core.util.Json.pretty(value));
    }
}
