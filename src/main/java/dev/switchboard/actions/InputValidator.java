package dev.switchboard.actions;

import dev.switchboard.outcomes.Suggestions;
import com.networknt.schema.Error;
import dev.switchboard.files.FileObjects;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.POJONode;

/**
 * Checks an action's parameters against its schema before any vendor call. Unknown parameters are
 * reported by name with the closest valid one (ActionKit drops them silently, hiding typos), or dropped and named
 * when the project asks for that; everything else comes from the JSON Schema validator, one line per problem
 * with its path.
 *
 * <p>Leniency ActionKit's clients rely on (form-based testers send every value as text): a string given for an
 * integer, number, boolean, object or array parameter is converted when it reads as one unambiguously
 * ({@code "5"}, {@code "true"}, JSON text), and {@code null} for an optional parameter means it was not given.
 */
public final class InputValidator {
    /** The most problems one answer names; the rest are counted. */
    static final int MAX_PROBLEMS = 20;

    private InputValidator() {}

    public static void validate(ActionDefinition.Compiled action, JsonNode parameters) {
        validate(action, parameters, false);
    }

    /**
     * @param dropUnknown drop parameters the schema does not declare instead of refusing them
     * @return the dropped parameters' paths ({@code parameters.x}), in order; empty when none
     */
    public static List<String> validate(ActionDefinition.Compiled action, JsonNode parameters, boolean dropUnknown) {
        return validate(action.name(), action.schema(), action::validator, parameters, dropUnknown);
    }

    /**
     * The same for any named schema (a trigger's parameters, say).
     *
     * @param name      what the parameters are for, as the refusal names it
     * @param validator the schema compiled, asked for only when it is needed
     */
    public static List<String> validate(String name, ObjectNode schema, java.util.function.Supplier<com.networknt.schema.Schema> validator,
                                        JsonNode parameters, boolean dropUnknown) {
        List<String> dropped = new ArrayList<>();
        lenient(schema, parameters, "parameters", dropUnknown ? dropped : null);
        withDefaults(schema, parameters);
        List<String> problems = new ArrayList<>();
        unknownProperties(schema, parameters, "parameters", problems);
        List<String> outOfRange = new ArrayList<>();
        numbersOutOfRange(parameters, "parameters", outOfRange);
        problems.addAll(outOfRange);
        if (parameters instanceof ObjectNode object) {
            problems.addAll(FileObjects.check(schema, object));
        }
        // The schema validator cannot compare numbers out of range (it fails rather than reports): it runs only without them.
        List<Error> errors = outOfRange.isEmpty() ? validator.get().validate(parameters) : List.of();
        for (Error error : errors) {
            // File bytes decoded while parsing stand where the schema says "string"; FileObjects checked them.
            if (error.getInstanceNode() instanceof POJONode) {
                continue;
            }
            if (!"additionalProperties".equals(error.getKeyword())) {
                problems.add("parameters" + pathOf(error) + ": " + messageOf(error));
            }
        }
        if (!problems.isEmpty()) {
            List<String> named = problems.size() <= MAX_PROBLEMS ? problems : new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
            if (problems.size() > MAX_PROBLEMS) {
                named.add("and " + (problems.size() - MAX_PROBLEMS) + " more problems");
            }
            throw Failure.invalidInput("invalid_parameters",
                            "Invalid parameters for " + name + ": " + String.join("; ", named))
                    .withDetail("errors", named);
        }
        wholeNumbersAsIntegers(parameters);
        return dropped;
    }

    /**
     * Walks the schema beside the value: drops {@code null} optional properties, converts strings that read
     * unambiguously as the declared type, and (when {@code dropped} is given) drops undeclared properties of closed
     * objects, naming them in {@code dropped}.
     */
    private static void lenient(JsonNode schema, JsonNode value, String path, List<String> dropped) {
        if (!(value instanceof ObjectNode object) || !schema.has("properties")) {
            return;
        }
        JsonNode properties = schema.get("properties");
        java.util.Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        boolean closed = schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean();
        for (String name : List.copyOf(object.propertyNames())) {
            JsonNode field = object.get(name);
            JsonNode declared = properties.get(name);
            if (declared == null) {
                if (closed && dropped != null) {
                    object.remove(name);
                    dropped.add(path + "." + Echo.cut(name));
                }
                continue;
            }
            if (field.isNull() && !required.contains(name) && !allows(declared, "null")) {
                object.remove(name);
                continue;
            }
            if (field.isString() && !allows(declared, "string")) {
                JsonNode converted = fromText(field.asString(), declared);
                if (converted != null) {
                    object.set(name, converted);
                    field = converted;
                }
            }
            lenient(declared, field, path + "." + name, dropped);
            if (field instanceof ArrayNode array && declared.has("items")) {
                for (int i = 0; i < array.size(); i++) {
                    lenient(declared.get("items"), array.get(i), path + "." + name + "[" + i + "]", dropped);
                }
            }
        }
    }

    /** Whether the schema's type names this one; a schema without a type allows every type. */
    private static boolean allows(JsonNode schema, String type) {
        JsonNode declared = schema.get("type");
        if (declared == null) {
            return !schema.has("properties") && !schema.has("items") || type.equals("null");
        }
        if (declared.isArray()) {
            for (JsonNode t : declared) {
                if (t.asString().equals(type)) {
                    return true;
                }
            }
            return false;
        }
        return declared.asString().equals(type);
    }

    /** The text as the schema's type when it reads as one without doubt ({@code "5"}, {@code "true"}, JSON), else null. */
    private static JsonNode fromText(String text, JsonNode schema) {
        String trimmed = text.strip();
        for (String type : typesOf(schema)) {
            JsonNode converted = switch (type) {
                case "integer" -> trimmed.matches("-?(0|[1-9]\\d{0,17})") ? LongNode.valueOf(Long.parseLong(trimmed)) : null;
                case "number" -> trimmed.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?") && trimmed.length() <= 40
                        ? Json.MAPPER.readTree(trimmed) : null;
                case "boolean" -> trimmed.equals("true") || trimmed.equals("false") ? BooleanNode.valueOf(trimmed.equals("true")) : null;
                case "object" -> trimmed.startsWith("{") ? parsed(trimmed, JsonNode::isObject) : null;
                case "array" -> trimmed.startsWith("[") ? parsed(trimmed, JsonNode::isArray) : null;
                default -> null;
            };
            if (converted != null) {
                return converted;
            }
        }
        return null;
    }

    private static List<String> typesOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return schema.has("properties") ? List.of("object") : schema.has("items") ? List.of("array") : List.of();
        }
        List<String> types = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asString()));
        } else {
            types.add(type.asString());
        }
        return types;
    }

    private static JsonNode parsed(String text, java.util.function.Predicate<JsonNode> shape) {
        try {
            JsonNode tree = Json.MAPPER.readTree(text);
            return shape.test(tree) ? tree : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** A parameter left out takes its schema's {@code default} (Google Calendar's calendar: primary), as the schema says it means. */
    private static void withDefaults(JsonNode schema, JsonNode parameters) {
        if (parameters instanceof ObjectNode object) {
            schema.path("properties").properties().forEach(property -> {
                if (!object.has(property.getKey()) && property.getValue().has("default")) {
                    object.set(property.getKey(), property.getValue().get("default").deepCopy());
                }
            });
        }
    }

    /**
     * A whole number written as a decimal ({@code 1.0}, {@code 10E1}) is an integer to JSON Schema, so it passed;
     * it goes on as one ({@code 100}, never {@code 100.0} in a query string or a page size).
     */
    private static void wholeNumbersAsIntegers(JsonNode value) {
        if (value instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                JsonNode field = object.get(name);
                if (isWholeDecimal(field)) {
                    object.put(name, field.longValue());
                } else {
                    wholeNumbersAsIntegers(field);
                }
            }
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (isWholeDecimal(array.get(i))) {
                    array.set(i, LongNode.valueOf(array.get(i).longValue()));
                } else {
                    wholeNumbersAsIntegers(array.get(i));
                }
            }
        }
    }

    private static boolean isWholeDecimal(JsonNode node) {
        return node.isFloatingPointNumber() && node.canConvertToExactIntegral() && node.canConvertToLong();
    }

    /**
     * Names every number beyond a 64-bit integer's range (1e400, 1e30): no vendor parameter takes one, and parsers
     * disagree on them (one reads Infinity, another an exact integer).
     */
    public static void numbersOutOfRange(JsonNode value, String path, List<String> problems) {
        if (value.isNumber() && !withinLongRange(value)) {
            problems.add(path + ": " + value.asString() + " is out of range (numbers must lie within a 64-bit integer's range)");
        } else if (value.isObject()) {
            value.properties().forEach(field -> numbersOutOfRange(field.getValue(), path + "." + field.getKey(), problems));
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                numbersOutOfRange(value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static final java.math.BigDecimal LONG_MAGNITUDE = java.math.BigDecimal.valueOf(Long.MAX_VALUE);

    /** Whether a number's magnitude is a 64-bit integer's at most; a fraction (38.5) is within it. */
    private static boolean withinLongRange(JsonNode number) {
        if (number.isIntegralNumber()) {
            return number.canConvertToLong();
        }
        return number.decimalValue().abs().compareTo(LONG_MAGNITUDE) <= 0;
    }

    /** Walks the schema beside the value and names every property the schema does not declare. */
    private static void unknownProperties(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (value instanceof ObjectNode object && schema.has("properties")) {
            JsonNode properties = schema.get("properties");
            java.util.Collection<String> known = properties.propertyNames();
            boolean closed = schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean();
            for (String name : object.propertyNames()) {
                if (properties.has(name)) {
                    unknownProperties(properties.get(name), object.get(name), path + "." + name, problems);
                } else if (closed && problems.size() > MAX_PROBLEMS) {
                    problems.add(""); // only counted: beyond the cap, no suggestion is worth its cost
                } else if (closed) {
                    String closest = Suggestions.closest(name, known);
                    problems.add(path + "." + Echo.cut(name) + ": unknown parameter"
                            + (closest == null ? "" : "; did you mean '" + closest + "'?"));
                }
            }
        } else if (value != null && value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                unknownProperties(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static String pathOf(Error error) {
        // The validator writes a JSON pointer ("" or "/a/0/b"); we write "parameters.a[0].b".
        StringBuilder path = new StringBuilder();
        for (String part : error.getInstanceLocation().toString().split("/")) {
            if (part.isEmpty()) continue;
            path.append(part.chars().allMatch(Character::isDigit) ? "[" + part + "]" : "." + part.replace("~1", "/").replace("~0", "~"));
        }
        return path.toString();
    }

    private static String messageOf(Error error) {
        String message = error.getMessage();
        String location = error.getInstanceLocation().toString();
        if (message.startsWith(location + ": ")) {
            message = message.substring(location.length() + 2);
        }
        return message;
    }
}
