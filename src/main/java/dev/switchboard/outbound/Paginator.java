package dev.switchboard.outbound;

import dev.switchboard.integrations.IntegrationDefinition.Pagination;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pagination style. Whatever the vendor's mechanics, the caller sends {@code paginationParameters} and
 * receives {@code pageCursor} plus {@code nextPaginationParameters}, so one client loop serves every vendor.
 */
public interface Paginator {

    /** The JSON Schema of {@code paginationParameters} for actions of this style. */
    ObjectNode inputSchema();

    /** Puts the caller's position (absent on the first page) into the vendor request. */
    void applyTo(JsonNode paginationParameters, VendorRequestParts request);

    /** The cursor for the next page, or null on the last page. */
    String nextCursor(JsonNode vendorBody);

    /** The exact {@code paginationParameters} object to send for the page after this one. */
    ObjectNode nextParameters(String nextCursor);

    static Paginator forStyle(Pagination pagination) {
        if (pagination == null) {
            throw new IllegalArgumentException("a paginated action needs the integration's 'pagination' block");
        }
        return switch (pagination.style()) {
            case "cursor" -> new CursorPaginator(pagination);
            default -> throw new IllegalArgumentException("pagination.style '" + pagination.style() + "' is not supported (supported: cursor)");
        };
    }
}
