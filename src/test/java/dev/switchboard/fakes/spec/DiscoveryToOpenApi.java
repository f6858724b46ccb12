package dev.switchboard.fakes.spec;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Google API discovery document (Drive, Gmail, Calendar, Sheets) as an OpenAPI 3.0 document, so that the same
 * validator checks Google's requests as every other vendor's: each method becomes an operation at its root-relative
 * path (and at its media-upload path where it takes uploads), its parameters and the API-wide ones become path and
 * query parameters, its request schema the JSON body, its response schema the 200 answer. Schemas carry over with
 * their {@code $ref}s pointed at {@code components}.
 */
final class DiscoveryToOpenApi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DiscoveryToOpenApi() {}

    static boolean isDiscovery(JsonNode document) {
        return document.has("discoveryVersion");
    }

    static JsonNode convert(JsonNode discovery) {
        ObjectNode openApi = NODES.objectNode();
        openApi.put("openapi", "3.0.3");
        openApi.putObject("info").put("title", discovery.path("title").asString("")).put("version", discovery.path("version").asString(""));
        // Paths are written from the root, so the server has none: "/drive/v3/files", "/upload/drive/v3/files".
        openApi.putArray("servers").addObject().put("url", discovery.path("rootUrl").asString("https://www.googleapis.com/").replaceAll("/$", ""));
        ObjectNode paths = openApi.putObject("paths");
        String servicePath = "/" + discovery.path("servicePath").asString("");
        methods(discovery.path("resources")).forEach(method -> {
            String path = servicePath + method.path("flatPath").asString(method.path("path").asString(""));
            add(paths, path, method, discovery.path("parameters"), false);
            JsonNode upload = method.path("mediaUpload").path("protocols").path("simple").path("path");
            if (!upload.isMissingNode()) {
                add(paths, upload.asString(), method, discovery.path("parameters"), true);
            }
        });
        ObjectNode schemas = openApi.putObject("components").putObject("schemas");
        discovery.path("schemas").properties().forEach(s -> schemas.set(s.getKey(), schema(s.getValue())));
        return openApi;
    }

    /** Every method of every resource, nested resources included. */
    private static java.util.List<JsonNode> methods(JsonNode resources) {
        java.util.List<JsonNode> methods = new java.util.ArrayList<>();
        resources.forEach(resource -> {
            resource.path("methods").forEach(methods::add);
            methods.addAll(methods(resource.path("resources")));
        });
        return methods;
    }

    private static void add(ObjectNode paths, String rawPath, JsonNode method, JsonNode apiParameters, boolean upload) {
        String path = rawPath.replace("{+", "{");
        ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
        ObjectNode operation = item.putObject(method.path("httpMethod").asString("GET").toLowerCase());
        operation.put("operationId", method.path("id").asString() + (upload ? ".upload" : ""));
        ArrayNode parameters = operation.putArray("parameters");
        for (Map.Entry<String, JsonNode> p : method.path("parameters").properties()) {
            parameters.add(parameter(p.getKey(), p.getValue()));
        }
        for (Map.Entry<String, JsonNode> p : apiParameters.properties()) {
            if (!method.path("parameters").has(p.getKey())) {
                parameters.add(parameter(p.getKey(), p.getValue()));
            }
        }
        if (upload) {
            parameters.add(parameter("uploadType", NODES.objectNode().put("location", "query").put("type", "string")
                    .set("enum", NODES.arrayNode().add("media").add("multipart").add("resumable"))));
            ObjectNode content = operation.putObject("requestBody").putObject("content");
            content.putObject("multipart/related").putObject("schema");
            content.putObject("*/*").putObject("schema");
        } else if (method.has("request")) {
            operation.putObject("requestBody").putObject("content").putObject("application/json")
                    .set("schema", schema(method.get("request")));
        }
        ObjectNode ok = operation.putObject("responses").putObject("200").put("description", "OK");
        if (method.has("response")) {
            ok.putObject("content").putObject("application/json").set("schema", schema(method.get("response")));
        }
    }

    private static ObjectNode parameter(String name, JsonNode discovered) {
        ObjectNode parameter = NODES.objectNode();
        parameter.put("name", name);
        parameter.put("in", discovered.path("location").asString("query"));
        parameter.put("required", discovered.path("required").asBoolean(false) || "path".equals(discovered.path("location").asString()));
        ObjectNode schema = schema(discovered);
        if (discovered.path("repeated").asBoolean(false)) {
            parameter.putObject("schema").put("type", "array").set("items", schema);
            parameter.put("explode", true);
        } else {
            parameter.set("schema", schema);
        }
        return parameter;
    }

    /** A discovery schema as an OpenAPI one: the same keywords, except {@code $ref}, {@code any}, and 64-bit strings. */
    private static ObjectNode schema(JsonNode discovered) {
        ObjectNode schema = NODES.objectNode();
        if (discovered.has("$ref")) {
            return schema.put("$ref", "#/components/schemas/" + discovered.get("$ref").asString());
        }
        String type = discovered.path("type").asString("");
        if (!type.isEmpty() && !type.equals("any")) {
            schema.put("type", type);
        }
        String format = discovered.path("format").asString("");
        // Google writes 64-bit numbers as strings ("format": "int64" on a string): a format OpenAPI keeps for integers.
        if (!format.isEmpty() && !(type.equals("string") && format.matches("u?int(32|64)|google-.*|byte"))) {
            schema.put("format", format);
        }
        if (discovered.has("enum")) {
            schema.set("enum", discovered.get("enum"));
        }
        if (discovered.has("items")) {
            schema.set("items", schema(discovered.get("items")));
        }
        if (discovered.has("properties")) {
            ObjectNode properties = schema.putObject("properties");
            discovered.get("properties").properties().forEach(p -> properties.set(p.getKey(), schema(p.getValue())));
        }
        if (discovered.has("additionalProperties")) {
            schema.set("additionalProperties", schema(discovered.get("additionalProperties")));
        }
        return schema;
    }
}
