package dev.switchboard.outbound;

import dev.switchboard.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The pieces of a vendor request while an action's input is being mapped onto it. */
public final class VendorRequestParts {
    public enum Place { QUERY, BODY, PATH }

    private final String method;
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> pathValues = new LinkedHashMap<>();
    private final ObjectNode body = Json.object();

    public VendorRequestParts(String method) {
        this.method = method;
    }

    public String method() {
        return method;
    }

    /** Query for GET, HEAD and DELETE; the JSON body for the rest. */
    public Place defaultPlace() {
        return switch (method) {
            case "GET", "HEAD", "DELETE" -> Place.QUERY;
            default -> Place.BODY;
        };
    }

    public void put(Place place, String name, Object value) {
        switch (place) {
            case QUERY -> query.put(name, value instanceof JsonNode node && !node.isValueNode() ? node.toString()
                    : value instanceof JsonNode node ? node.asString() : String.valueOf(value));
            case PATH -> pathValues.put(name, value instanceof JsonNode node ? node.asString() : String.valueOf(value));
            case BODY -> putNested(name, Json.tree(value));
        }
    }

    /** A dotted name ({@code data.name}) nests inside the body. */
    private void putNested(String dottedName, JsonNode value) {
        String[] parts = dottedName.split("\\.");
        ObjectNode target = body;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = target.get(parts[i]);
            target = child instanceof ObjectNode object ? object : target.putObject(parts[i]);
        }
        target.set(parts[parts.length - 1], value);
    }

    public Map<String, String> query() {
        return query;
    }

    public Map<String, String> pathValues() {
        return pathValues;
    }

    public ObjectNode body() {
        return body;
    }
}
