package dev.switchboard.fakes.spec;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fixes a vendor's description may need before it is read, named in the vendor's conformance entry
 * ({@code src/test/resources/conformance/<integration>.yaml}, {@code patches}) with the reason for each. Each is
 * generic: it says what it does to any description, not to one vendor's.
 */
final class DescriptionPatches {
    private DescriptionPatches() {}

    /** Applies one patch, as written in a conformance entry: {@code {op: removeParameter, name: token}}. */
    static JsonNode apply(JsonNode document, Map<String, Object> patch) {
        String op = String.valueOf(patch.get("op"));
        return switch (op) {
            case "removeParameter" -> removeParameter(document, String.valueOf(patch.get("name")));
            case "join" -> join(document, patch.containsKey("resource") ? SpecFake.readResource(String.valueOf(patch.get("resource")))
                    : SpecFake.read(String.valueOf(patch.get("document"))));
            case "openDescriptiveAdditionalProperties" -> openDescriptiveAdditionalProperties(document);
            case "inlineRemoteRefs" -> inlineRemoteRefs(document, castMap(patch.get("documents")));
            case "readAsOpenApi30" -> ((ObjectNode) document).put("openapi", "3.0.3");
            case "rebasePaths" -> rebasePaths(document, String.valueOf(patch.get("from")), String.valueOf(patch.get("to")));
            case "dropPathPrefix" -> dropPathPrefix(document, String.valueOf(patch.get("prefix")));
            case "camelCaseRequestBodies" -> camelCaseRequestBodies(document);
            case "mergeAllOf" -> mergeAllOf(document, (ObjectNode) document.at("/components/schemas"));
            case "formBodiesAsJson" -> formBodiesAsJson(document);
            case "answerExample" -> answerExample(document, String.valueOf(patch.get("operation")), tools.jackson.databind.json.JsonMapper.builder()
                    .build().valueToTree(patch.get("example")));
            default -> throw new IllegalArgumentException("unknown patch op " + op + " (removeParameter, join, "
                    + "openDescriptiveAdditionalProperties, inlineRemoteRefs, readAsOpenApi30, answerExample, rebasePaths, dropPathPrefix, camelCaseRequestBodies, mergeAllOf, "
                    + "formBodiesAsJson)");
        };
    }

    /**
     * Form-encoded request bodies (Stripe's) checked as the JSON they nest into: the fake reads {@code metadata[plan]=pro}
     * as {@code {"metadata": {"plan": "pro"}}} (see {@link SpecFake}), so each form body's schema is declared for
     * {@code application/json} too. A form carries every value as text, so numbers and booleans are typed as what they
     * are on the wire: their schemas lose {@code type}, {@code format} and {@code enum} (names, nesting, required
     * fields, text lengths and text enums are still checked). Only request bodies are read this way: the fake does not
     * check answers.
     */
    private static JsonNode formBodiesAsJson(JsonNode document) {
        document.path("paths").forEach(path -> path.forEach(operation -> {
            JsonNode content = operation.path("requestBody").path("content");
            if (content instanceof ObjectNode media && media.has("application/x-www-form-urlencoded")) {
                media.set("application/json", media.get("application/x-www-form-urlencoded").deepCopy());
            }
        }));
        widenScalars(document.path("components").path("schemas"));
        document.path("paths").forEach(path -> path.forEach(operation -> widenScalars(operation.path("requestBody"))));
        return document;
    }

    private static void widenScalars(JsonNode node) {
        if (node instanceof ObjectNode schema) {
            String type = schema.path("type").asString("");
            if (type.equals("integer") || type.equals("number") || type.equals("boolean")) {
                schema.remove(List.of("type", "format", "enum"));
            }
            schema.forEach(DescriptionPatches::widenScalars);
        } else if (node instanceof ArrayNode list) {
            list.forEach(DescriptionPatches::widenScalars);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object value) {
        return value == null ? Map.of() : (Map<String, String>) value;
    }

    /**
     * Gives an operation's success answer an example, which the fake then answers with instead of one built from the
     * schema: for an action that reads a value and acts on it (a worksheet's title, its column names), so that its
     * later requests are made and checked too. The example must fit the answer's schema.
     */
    static JsonNode answerExample(JsonNode document, String operation, JsonNode example) {
        String[] methodAndPath = operation.split(" ", 2);
        JsonNode responses = document.path("paths").path(methodAndPath[1]).path(methodAndPath[0].toLowerCase(java.util.Locale.ROOT)).path("responses");
        for (var response : responses.properties()) {
            if (response.getKey().startsWith("2") && response.getValue().path("content").path("application/json") instanceof ObjectNode media) {
                media.set("example", example);
                return document;
            }
        }
        throw new IllegalArgumentException("answerExample: " + operation + " has no JSON success answer in the description");
    }

    /**
     * Moves the paths under one prefix to another, dropping the prefix's path parameters from their operations:
     * Microsoft Graph's documents describe {@code /users/{user-id}/...}, which is the same API as the signed-in user's
     * {@code /me/...}. Other paths stay as they are.
     */
    static JsonNode rebasePaths(JsonNode document, String from, String to) {
        ObjectNode paths = (ObjectNode) document.get("paths");
        ObjectNode rebased = paths.objectNode();
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(from);
        java.util.Set<String> dropped = new java.util.HashSet<>();
        while (names.find()) {
            dropped.add(names.group(1));
        }
        paths.properties().forEach(p -> {
            if (p.getKey().startsWith(from + "/") || p.getKey().equals(from)) {
                p.getValue().forEach(operation -> {
                    if (operation.path("parameters") instanceof ArrayNode parameters) {
                        for (int i = parameters.size() - 1; i >= 0; i--) {
                            if (dropped.contains(parameters.get(i).path("name").asString(""))) {
                                parameters.remove(i);
                            }
                        }
                    }
                });
                if (p.getValue().path("parameters") instanceof ArrayNode shared) {
                    for (int i = shared.size() - 1; i >= 0; i--) {
                        if (dropped.contains(shared.get(i).path("name").asString(""))) {
                            shared.remove(i);
                        }
                    }
                }
                rebased.set(to + p.getKey().substring(from.length()), p.getValue());
            } else {
                rebased.set(p.getKey(), p.getValue());
            }
        });
        ((ObjectNode) document).set("paths", rebased);
        return document;
    }

    /**
     * Each {@code allOf} of object schemas as the one object schema it means: Graph's types extend {@code entity}
     * through {@code allOf}, and each part's {@code additionalProperties: {type: object}} (OData's open types) would
     * judge the other parts' fields on their own. Merged, a field is checked against its own property, and an unknown
     * field still has to be an object. Parts named by {@code $ref} are read from the components; properties keep
     * their own references (a message's replies stay a reference, not a cycle).
     */
    static JsonNode mergeAllOf(JsonNode node, ObjectNode schemas) {
        if (node instanceof ObjectNode object) {
            if (object.path("allOf").isArray()) {
                ObjectNode merged = merged(object, schemas, 0);
                object.removeAll();
                object.setAll(merged);
            }
            object.forEach(child -> mergeAllOf(child, schemas));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> mergeAllOf(child, schemas));
        }
        return node;
    }

    private static ObjectNode merged(JsonNode schema, ObjectNode schemas, int depth) {
        JsonNode resolved = schema;
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/components/schemas/")) {
            resolved = schemas.path(ref.substring("#/components/schemas/".length()));
        }
        ObjectNode result = ((ObjectNode) resolved).deepCopy();
        if (!result.path("allOf").isArray() || depth > 20) {
            return result;
        }
        JsonNode parts = result.remove("allOf");
        ObjectNode properties = result.has("properties") ? (ObjectNode) result.get("properties") : result.putObject("properties");
        java.util.Set<String> required = new java.util.LinkedHashSet<>();
        result.path("required").forEach(r -> required.add(r.asString()));
        for (JsonNode part : parts) {
            ObjectNode one = merged(part, schemas, depth + 1);
            if (one.path("properties") instanceof ObjectNode partProperties) {
                partProperties.properties().forEach(e -> { if (!properties.has(e.getKey())) properties.set(e.getKey(), e.getValue()); });
            }
            one.path("required").forEach(r -> required.add(r.asString()));
            if (one.has("additionalProperties") && !result.has("additionalProperties")) {
                result.set("additionalProperties", one.get("additionalProperties"));
            }
            if (one.has("type") && !result.has("type")) {
                result.set("type", one.get("type"));
            }
        }
        if (!required.isEmpty()) {
            ArrayNode list = result.putArray("required");
            required.forEach(list::add);
        }
        return result;
    }

    /** Drops a prefix from path segments: Graph's documents write actions as {@code /microsoft.graph.sendMail}, the wire as {@code /sendMail}. */
    static JsonNode dropPathPrefix(JsonNode document, String prefix) {
        ObjectNode paths = (ObjectNode) document.get("paths");
        ObjectNode renamed = paths.objectNode();
        paths.properties().forEach(p -> renamed.set(p.getKey().replace("/" + prefix, "/"), p.getValue()));
        ((ObjectNode) document).set("paths", renamed);
        return document;
    }

    /** Request bodies' top-level property names in camelCase: Graph's Users.Actions document writes {@code Message}, the wire {@code message}. */
    static JsonNode camelCaseRequestBodies(JsonNode document) {
        List<JsonNode> bodies = new java.util.ArrayList<>();
        document.path("components").path("requestBodies").forEach(bodies::add);
        document.path("paths").forEach(path -> path.forEach(operation -> {
            if (operation.has("requestBody")) {
                bodies.add(operation.get("requestBody"));
            }
        }));
        bodies.forEach(body -> body.path("content").forEach(media -> {
            JsonNode schema = media.path("schema");
            if (schema.path("properties") instanceof ObjectNode properties) {
                ObjectNode camel = properties.objectNode();
                properties.properties().forEach(e -> camel.set(Character.toLowerCase(e.getKey().charAt(0)) + e.getKey().substring(1), e.getValue()));
                ((ObjectNode) schema).set("properties", camel);
                if (schema.path("required") instanceof ArrayNode required) {
                    for (int i = 0; i < required.size(); i++) {
                        String name = required.get(i).asString();
                        required.set(i, Character.toLowerCase(name.charAt(0)) + name.substring(1));
                    }
                }
            }
        }));
        return document;
    }

    /** Drops a parameter of that name from every operation (a header the vendor documents but does not take). */
    static JsonNode removeParameter(JsonNode document, String name) {
        document.path("paths").forEach(path -> path.forEach(operation -> {
            if (operation.path("parameters") instanceof ArrayNode parameters) {
                for (int i = parameters.size() - 1; i >= 0; i--) {
                    if (parameters.get(i).path("name").asString("").equals(name)) {
                        parameters.remove(i);
                    }
                }
            }
        }));
        return document;
    }

    /** Adds another part of the same description: its paths and its definitions or components (schemas, bodies, answers, parameters) not already there. */
    static JsonNode join(JsonNode document, JsonNode part) {
        ObjectNode paths = (ObjectNode) document.get("paths");
        part.path("paths").properties().forEach(p -> { if (!paths.has(p.getKey())) paths.set(p.getKey(), p.getValue()); });
        for (String pointer : new String[] {"/definitions", "/components/schemas", "/components/requestBodies", "/components/responses",
                "/components/parameters", "/components/examples"}) {
            if (part.at(pointer) instanceof ObjectNode schemas) {
                ObjectNode into = (ObjectNode) document;
                for (String segment : pointer.substring(1).split("/")) {
                    into = into.has(segment) ? (ObjectNode) into.get(segment) : into.putObject(segment);
                }
                ObjectNode target = into;
                schemas.properties().forEach(s -> { if (!target.has(s.getKey())) target.set(s.getKey(), s.getValue()); });
            }
        }
        return document;
    }

    /**
     * An {@code additionalProperties} that is only a description (no type, no properties) means "other fields are
     * allowed" to its authors; the parser reads it as an empty schema that allows nothing else.
     */
    static JsonNode openDescriptiveAdditionalProperties(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode extra = object.get("additionalProperties");
            if (extra != null && extra.isObject() && !extra.has("type") && !extra.has("$ref") && !extra.has("properties")) {
                object.put("additionalProperties", true);
            }
            object.forEach(DescriptionPatches::openDescriptiveAdditionalProperties);
        } else if (node instanceof ArrayNode array) {
            array.forEach(DescriptionPatches::openDescriptiveAdditionalProperties);
        }
        return node;
    }

    /**
     * A {@code $ref} into another document on the network: inlined from the local copy when {@code documents} names
     * one (by the address's file name), otherwise an open schema, so the validator never reaches for the network.
     */
    static JsonNode inlineRemoteRefs(JsonNode node, Map<String, String> documents) {
        if (node instanceof ObjectNode object) {
            for (String name : java.util.List.copyOf(object.propertyNames())) {
                JsonNode value = object.get(name);
                String ref = value.path("$ref").asString("");
                if (ref.startsWith("http")) {
                    String file = ref.substring(0, ref.indexOf('#') < 0 ? ref.length() : ref.indexOf('#'));
                    String local = documents.get(file.substring(file.lastIndexOf('/') + 1));
                    String pointer = ref.contains("#") ? ref.substring(ref.indexOf('#') + 1) : "";
                    object.set(name, local != null ? SpecFake.read(local).at(pointer).deepCopy() : object.objectNode());
                } else {
                    inlineRemoteRefs(value, documents);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String ref = array.get(i).path("$ref").asString("");
                if (ref.startsWith("http")) {
                    array.set(i, array.objectNode());
                } else {
                    inlineRemoteRefs(array.get(i), documents);
                }
            }
        }
        return node;
    }
}
