package dev.switchboard.outbound;

import dev.switchboard.api.ApiException;
import dev.switchboard.integrations.IntegrationDefinition.Pagination;
import dev.switchboard.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The vendor hands out an opaque cursor (Slack's {@code next_cursor}). Our {@code pageCursor} is that cursor
 * unchanged, so records arrive exactly once even when the vendor returns short pages before the end.
 */
final class CursorPaginator implements Paginator {
    private final Pagination pagination;

    CursorPaginator(Pagination pagination) {
        if (pagination.cursorParam() == null || pagination.nextCursor() == null) {
            throw new IllegalArgumentException("cursor pagination needs 'cursorParam' and 'nextCursor'");
        }
        this.pagination = pagination;
    }

    @Override
    public ObjectNode inputSchema() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        schema.put("description", "Where to continue a listing: send back the pageCursor (or the whole "
                + "nextPaginationParameters) of the previous answer. Omit for the first page.");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("pageCursor").put("type", "string").put("description", "The pageCursor of the previous page.");
        properties.putObject("pageToken").put("type", "string").put("description", "Same as pageCursor.");
        schema.put("additionalProperties", false);
        return schema;
    }

    @Override
    public void applyTo(JsonNode paginationParameters, VendorRequestParts request) {
        if (paginationParameters == null || paginationParameters.isMissingNode()) {
            return;
        }
        JsonNode cursor = paginationParameters.has("pageCursor") ? paginationParameters.get("pageCursor") : paginationParameters.get("pageToken");
        if (cursor == null || cursor.isNull() || cursor.asString().isEmpty()) {
            return;
        }
        if (paginationParameters.has("pageCursor") && paginationParameters.has("pageToken")
                && !paginationParameters.get("pageCursor").equals(paginationParameters.get("pageToken"))) {
            throw ApiException.badRequest("invalid_parameters",
                    "paginationParameters: give pageCursor or pageToken, not two different values");
        }
        request.put(request.defaultPlace(), pagination.cursorParam(), cursor.asString());
    }

    @Override
    public String nextCursor(JsonNode vendorBody) {
        JsonNode next = vendorBody.at(pagination.nextCursor());
        if (next.isMissingNode() || next.isNull()) {
            return null;
        }
        String cursor = next.isString() ? next.asString() : next.toString();
        return cursor.isEmpty() ? null : cursor;
    }

    @Override
    public ObjectNode nextParameters(String nextCursor) {
        return Json.object().put("pageCursor", nextCursor);
    }
}
