package dev.switchboard.fakes.spec;

import dev.switchboard.json.Json;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** One conformance run: parameters built from an action's input schema, and the action run against a {@link SpecFake}. */
public final class ConformanceRuns {
    private ConformanceRuns() {}

    /** Parameters built from an action's input schema: the required ones, or every one. */
    public static JsonNode inputs(JsonNode schema, boolean everyParameter) {
        return value("parameters", schema, everyParameter, 0);
    }

    /** Runs an action as a new user of the project, with the integration pointed at the fake. */
    public static Answer run(TestServer server, Project project, SpecFake fake, VendorDescription vendor, String action, String user, JsonNode parameters) {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/" + vendor.integration(),
                Map.of("enabled", true, "urls", fake.urls())), 200);
        Map<String, Object> credential = new java.util.HashMap<>(Map.of("integration", vendor.integration(), "providerData", vendor.providerData()));
        credential.putAll(vendor.credential().isEmpty() ? Map.of("accessToken", "token-" + user) : vendor.credential());
        server.importCredential(project.id(), user, credential);
        return server.runAction(project, Tokens.sign(project.privateKeyPem(), user, c -> c), action, Json.MAPPER.convertValue(parameters, Map.class));
    }

    private static JsonNode value(String name, JsonNode schema, boolean every, int depth) {
        if (dev.switchboard.files.FileObjects.isFileSchema(schema)) {
            return Json.object().put("dataType", "FILE").put("mimeType", "text/plain").put("data", "68656c6c6f").put("name", "hello.txt");
        }
        if (schema.path("examples").isArray() && !schema.get("examples").isEmpty()) {
            return schema.get("examples").get(0); // a definition's own example is the value a vendor takes
        }
        if (schema.has("default")) {
            return schema.get("default");
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        String type = schema.path("type").asString("string");
        return switch (type) {
            case "object" -> {
                ObjectNode object = Json.object();
                JsonNode properties = schema.path("properties");
                java.util.Set<String> required = new java.util.HashSet<>();
                schema.path("required").forEach(r -> required.add(r.asString()));
                // One of several ways to say it (a refund's payment intent or its charge): the first way's fields,
                // and for oneOf never another way's (a status or a transition ID, not both).
                java.util.Set<String> otherWays = new java.util.HashSet<>();
                for (String either : java.util.List.of("anyOf", "oneOf")) {
                    schema.path(either).path(0).path("required").forEach(r -> required.add(r.asString()));
                }
                for (int way = 1; way < schema.path("oneOf").size(); way++) {
                    schema.path("oneOf").path(way).path("required").forEach(r -> otherWays.add(r.asString()));
                }
                otherWays.removeAll(required);
                for (String property : properties.propertyNames()) {
                    if ((required.contains(property) || (every && depth < 3 && !otherWays.contains(property))) && !property.equals("paginationParameters")) {
                        object.set(property, value(property, properties.get(property), every, depth + 1));
                    }
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = Json.MAPPER.createArrayNode();
                array.add(value(name, schema.path("items"), every, depth + 1));
                yield array;
            }
            case "integer" -> Json.MAPPER.getNodeFactory().numberNode(schema.path("minimum").asLong(1));
            case "number" -> Json.MAPPER.getNodeFactory().numberNode(schema.path("minimum").asDouble(1));
            case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(true);
            default -> Json.MAPPER.getNodeFactory().stringNode(switch (schema.path("format").asString("")) {
                case "date-time" -> "2025-01-02T03:04:05Z";
                case "date" -> "2025-01-02";
                case "email" -> "someone@example.com";
                case "uuid" -> "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
                default -> name.toLowerCase().contains("email") ? "someone@example.com" : "example-" + name;
            });
        };
    }
}
