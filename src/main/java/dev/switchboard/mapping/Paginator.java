package dev.switchboard.mapping;

import dev.switchboard.integrations.IntegrationDefinition.Pagination;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorRequestParts.Place;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pagination loop for every vendor. The caller sends {@code paginationParameters} in ActionKit's style
 * (cursor, offset or page number, or the {@code pageCursor} of any style) and receives {@code pageCursor} plus
 * {@code nextPaginationParameters}. The vendor is paged its own way: its cursor, an offset, or a page number,
 * converted where the two differ (Zoho: offset for the caller, pages on the wire; ServiceNow the reverse).
 * Positions count records, not pages, where the caller pages by offset, so records arrive exactly once even
 * when a vendor returns short pages before the end.
 */
public final class Paginator {
    /**
     * Where a request starts: the vendor cursor, or the caller's offset or page, the page number sent on the wire,
     * and the records to drop from the front of the answer.
     */
    public record Position(String cursor, long offset, long page, long wirePage, int skip, int pageSize) {}

    private final Pagination spec;
    private final String records;

    public Paginator(Pagination spec, String recordsPointer) {
        this.spec = spec;
        this.records = recordsPointer;
    }

    /** Puts the caller's position into the vendor request and says where it starts. */
    public Position applyTo(JsonNode parameters, VendorRequestParts request) {
        Place place = request.defaultPlace();
        int pageSize = 0;
        if (spec.pageSizeParam() != null) {
            String given = request.get(place, spec.pageSizeParam());
            // ActionKit's callers may give the page size inside paginationParameters
            JsonNode inParameters = parameters == null ? null : parameters.get("pageSize");
            if (given == null && inParameters != null && inParameters.canConvertToInt()) {
                request.put(place, spec.pageSizeParam(), inParameters.intValue());
                given = String.valueOf(inParameters.intValue());
            }
            if (given == null && spec.defaultPageSize() != null) {
                request.put(place, spec.pageSizeParam(), spec.defaultPageSize());
                given = String.valueOf(spec.defaultPageSize());
            }
            pageSize = pageSize(given);
        }
        if (pageSize == 0 && !spec.style().equals(spec.wireStyle())) {
            pageSize = spec.defaultPageSize() == null ? 1 : Math.max(1, spec.defaultPageSize()); // converting divides by it
        }
        JsonNode p = parameters == null || parameters.isNull() ? Json.object() : parameters;
        String cursor = text(p, "pageCursor", "pageToken");
        return switch (spec.style()) {
            case "cursor" -> {
                if (cursor != null && !cursor.isEmpty()) {
                    request.put(place, spec.cursorParam(), cursor);
                }
                yield new Position(cursor, 0, 0, 0, 0, pageSize);
            }
            case "offset" -> {
                long offset = number(p, cursor, 0, "offset", "skip");
                if (spec.wireStyle().equals("offset")) {
                    request.put(place, spec.offsetParam(), offset);
                    yield new Position(null, offset, 0, 0, 0, pageSize);
                }
                long wirePage = offset / pageSize + firstPage();
                request.put(place, spec.pageParam(), wirePage);
                yield new Position(null, offset, 0, wirePage, (int) (offset % pageSize), pageSize);
            }
            default -> {
                long page = number(p, cursor, 1, "page", "pageNo", "pageNumber", "pageOffset");
                if (spec.wireStyle().equals("page")) {
                    request.put(place, spec.pageParam(), page - 1 + firstPage());
                    yield new Position(null, 0, page, page - 1 + firstPage(), 0, pageSize);
                }
                request.put(place, spec.offsetParam(), (page - 1) * pageSize);
                yield new Position(null, (page - 1) * pageSize, page, 0, 0, pageSize);
            }
        };
    }

    /**
     * Adds {@code pageCursor} and {@code nextPaginationParameters} to the result unless this was the last page,
     * after dropping records before the caller's offset.
     */
    public void annotate(ObjectNode result, VendorResponse response, Position position) {
        JsonNode list = records == null ? null : result.at(records);
        int received = list instanceof ArrayNode array ? array.size() : 0;
        if (position.skip() > 0 && list instanceof ArrayNode array) {
            for (int i = 0; i < position.skip() && !array.isEmpty(); i++) {
                array.remove(0);
            }
        }
        String next = switch (spec.style()) {
            // A vendor that answers a cursor on every page (Dropbox's, for watching the folder later) says in `more` when it ends.
            case "cursor" -> spec.more() != null && !result.at(spec.more()).asBoolean(false) ? null : nextCursor(result, list);
            case "offset" -> more(result, response, position, received) ? String.valueOf(position.offset() + received - position.skip()) : null;
            default -> more(result, response, position, received) ? String.valueOf(position.page() + 1) : null;
        };
        if (next == null) {
            return;
        }
        result.put("pageCursor", next);
        ObjectNode parameters = result.putObject("nextPaginationParameters");
        switch (spec.style()) {
            case "cursor" -> parameters.put("pageCursor", next);
            case "offset" -> parameters.put("offset", Long.parseLong(next));
            default -> parameters.put("page", Long.parseLong(next));
        }
    }

    private String nextCursor(JsonNode body, JsonNode records) {
        JsonNode next = spec.nextCursorFromLastRecord() == null ? body.at(spec.nextCursor())
                : records instanceof ArrayNode page && !page.isEmpty() ? page.get(page.size() - 1).at(spec.nextCursorFromLastRecord()) : null;
        if (next == null) {
            return null;
        }
        if (next.isMissingNode() || next.isNull()) {
            return null;
        }
        String cursor = next.isString() ? next.asString() : next.toString();
        if (cursor.isEmpty()) {
            return null;
        }
        if (spec.nextCursorMatch() != null) {
            java.util.regex.Matcher match = java.util.regex.Pattern.compile(spec.nextCursorMatch()).matcher(cursor);
            // A next-page value the vendor wrote otherwise than its documented form ends the list rather than loop.
            return match.find() ? match.group(1) : null;
        }
        return spec.nextCursorUrlParam() == null ? cursor : queryParam(cursor, spec.nextCursorUrlParam());
    }

    private boolean more(JsonNode body, VendorResponse response, Position position, int received) {
        if (received == 0) {
            return false;
        }
        if (spec.more() != null) {
            return body.at(spec.more()).asBoolean(false);
        }
        if (spec.total() != null) {
            long wireOffset = spec.wireStyle().equals("offset") ? position.offset() : (position.wirePage() - firstPage()) * position.pageSize();
            return wireOffset + received < body.at(spec.total()).asLong(0);
        }
        if (spec.pageCount() != null) {
            return position.wirePage() - firstPage() + 1 < body.at(spec.pageCount()).asLong(0);
        }
        if (Boolean.TRUE.equals(spec.linkNext())) {
            String link = response.header("Link");
            return link != null && link.matches("(?s).*rel=\"?next\"?.*");
        }
        return position.pageSize() > 0 && received >= position.pageSize();
    }

    /** The page size as sent, or 0 (unknown, so only a short page ends the list) when it is not a plain number. */
    private static int pageSize(String given) {
        try {
            return given == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, Long.parseLong(given)));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private int firstPage() {
        return spec.firstPage() == null ? 1 : spec.firstPage();
    }

    private static String text(JsonNode p, String... names) {
        for (String name : names) {
            JsonNode value = p.get(name);
            if (value != null && !value.isNull()) {
                return value.asString();
            }
        }
        return null;
    }

    /** The caller's position from its style's own fields, else from pageCursor. */
    private static long number(JsonNode p, String cursor, long defaultValue, String... names) {
        for (String name : names) {
            JsonNode value = p.get(name);
            if (value != null && value.isIntegralNumber()) {
                return value.asLong();
            }
        }
        if (cursor == null || cursor.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(cursor);
            if (value >= defaultValue) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Failure.invalidInput("invalid_parameters", "paginationParameters.pageCursor: " + Echo.quote(cursor)
                + " is not a pageCursor this action returned.");
    }

    /**
     * A parameter of a next-page URL the vendor wrote. Read by hand, not by URI: vendors write these links loosely
     * (Zendesk's examples carry raw quotes and spaces), and a link Java's URI refuses must not fail the action.
     */
    static String queryParam(String url, String name) {
        int start = url.indexOf('?');
        if (start < 0) {
            return null;
        }
        int end = url.indexOf('#', start);
        String query = url.substring(start + 1, end < 0 ? url.length() : end);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            // Microsoft Graph writes $skiptoken as %24skiptoken
            if (eq > 0 && decoded(pair.substring(0, eq)).equals(name)) {
                return decoded(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // a stray % is the vendor's text, kept as it is
        }
    }
}
