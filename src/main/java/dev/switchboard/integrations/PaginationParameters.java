package dev.switchboard.integrations;

import dev.switchboard.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code paginationParameters} input that every paginated action takes, in ActionKit's names for the caller's
 * pagination style; the loader adds it to the action's input schema.
 */
public final class PaginationParameters {
    private PaginationParameters() {}

    /** The JSON Schema of {@code paginationParameters} for a caller style. */
    public static ObjectNode schema(String style) {
        ObjectNode schema = Json.object().put("type", "object");
        schema.put("description", "Where to continue a listing: send the nextPaginationParameters (or just the pageCursor) "
                + "of the previous answer. Omit for the first page.");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("pageCursor").put("type", "string").put("description", "The pageCursor of the previous answer.");
        properties.putObject("pageSize").put("type", "integer").put("minimum", 1)
                .put("description", "Records per page, where the action takes no page size of its own (ActionKit's callers send it here).");
        switch (style) {
            case "cursor" -> properties.putObject("pageToken").put("type", "string").put("description", "Same as pageCursor.");
            case "offset" -> {
                properties.putObject("offset").put("type", "integer").put("minimum", 0).put("description", "Records to skip.");
                properties.putObject("skip").put("type", "integer").put("minimum", 0).put("description", "Same as offset.");
            }
            default -> {
                properties.putObject("page").put("type", "integer").put("minimum", 1).put("description", "Page number, from 1.");
                for (String alias : new String[] {"pageNo", "pageNumber", "pageOffset"}) {
                    properties.putObject(alias).put("type", "integer").put("minimum", 1).put("description", "Same as page.");
                }
            }
        }
        schema.put("additionalProperties", false);
        return schema;
    }
}
