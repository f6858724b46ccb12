package dev.switchboard.fakes;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks exchanges with a vendor fake against the vendor's own OpenAPI document (the schemas that
 * scripts/extract-openapi-schemas.py took from ../shared/reference/openapi): what Switchboard sent against the
 * request schema, what the fake answered against the response schema of its status.
 */
public final class VendorDocuments {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    // OpenAPI 3.0 schemas are a draft-04 dialect (boolean exclusiveMinimum, no const).
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    private VendorDocuments() {}

    /**
     * @param pathPrefix the part of the fake's paths before the document's paths (its base URL's path)
     * @return one line per problem, and per operation of the document that no exchange exercised
     */
    public static List<String> problems(String vendor, List<VendorFake.Exchange> exchanges, String pathPrefix) {
        JsonNode document = load(vendor);
        List<String> problems = new ArrayList<>();
        Set<String> exercised = new TreeSet<>();
        for (VendorFake.Exchange exchange : exchanges) {
            VendorFake.Received request = exchange.request();
            String path = request.path().startsWith(pathPrefix) ? request.path().substring(pathPrefix.length()) : request.path();
            String key = operationFor(document, request.method(), path);
            if (key == null) {
                problems.add(request.method() + " " + path + ": the vendor's document has no such operation");
                continue;
            }
            exercised.add(key);
            JsonNode operation = document.at("/operations/" + key.replace("~", "~0").replace("/", "~1"));
            if (operation.hasNonNull("request") && !request.body().isBlank() && request.headers().getOrDefault("Content-Type", "").contains("json")) {
                validate(operation.get("request"), JSON.readTree(request.body()), key + " request", problems);
            }
            JsonNode responses = operation.get("responses");
            String status = String.valueOf(exchange.status());
            JsonNode schema = responses.has(status) ? responses.get(status)
                    : responses.has(status.charAt(0) + "XX") ? responses.get(status.charAt(0) + "XX") : responses.get("default");
            boolean json = exchange.contentType() != null && exchange.contentType().contains("json");
            if (schema != null && json && exchange.responseBody() != null && !exchange.responseBody().isBlank()) {
                validate(schema, JSON.readTree(exchange.responseBody()), key + " response " + status, problems);
            }
        }
        document.get("operations").propertyNames().stream().filter(k -> !exercised.contains(k))
                .forEach(k -> problems.add(k + ": not exercised"));
        return problems;
    }

    private static void validate(JsonNode schemaNode, JsonNode value, String where, List<String> problems) {
        Schema schema = SCHEMAS.getSchema(schemaNode);
        for (Error error : schema.validate(value)) {
            // Vendor documents write oneOf over branches that overlap (Confluence's page body); a value that
            // matches more than one branch matches the document.
            if ("oneOf".equals(error.getKeyword()) && error.getMessage().contains("are valid")) {
                continue;
            }
            problems.add(where + ": " + error.getMessage());
        }
    }

    private static String operationFor(JsonNode document, String method, String path) {
        for (String key : document.get("operations").propertyNames()) {
            String[] parts = key.split(" ", 2);
            String pattern = parts[1].replaceAll("\\{[^}]+}", "[^/]+");
            if (parts[0].equals(method) && path.matches(pattern)) {
                return key;
            }
        }
        return null;
    }

    private static JsonNode load(String vendor) {
        try (InputStream in = VendorDocuments.class.getClassLoader().getResourceAsStream("openapi/" + vendor + ".json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
