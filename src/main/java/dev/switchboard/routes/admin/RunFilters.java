package dev.switchboard.routes.admin;

import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Run;
import dev.switchboard.store.RunQueries;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the runs listing's query (the admin API's and the console filter form's): user, integration, action, status,
 * outcome, a time range, the page size and the opaque cursor of where the previous page ended.
 */
final class RunFilters {
    static final Set<String> STATUSES = Set.of("SUCCEEDED", "FAILED");

    private RunFilters() {}

    /** @param query a query parameter by name; null or blank when not given */
    static RunQueries.RunFilter read(Function<String, String> query, int defaultLimit) {
        Function<String, String> given = name -> {
            String value = query.apply(name);
            return value == null || value.isBlank() ? null : value.strip();
        };
        String status = given.apply("status");
        if (status != null && !STATUSES.contains(status)) {
            throw Failure.invalidInput("invalid_query", "status must be one of " + STATUSES);
        }
        return new RunQueries.RunFilter(given.apply("userId"), given.apply("integration"), given.apply("action"), status,
                given.apply("outcome"), instant(given, "since"), instant(given, "until"), position(given.apply("cursor")),
                limit(given.apply("limit"), defaultLimit));
    }

    /** A page size from 1 to 1000. */
    static int limit(String value, int fallback) {
        int limit;
        try {
            limit = value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            throw Failure.invalidInput("invalid_query", "limit must be a number from 1 to 1000.");
        }
        return limit;
    }

    private static Long instant(Function<String, String> query, String name) {
        String value = query.apply(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Failure.invalidInput("invalid_query", name + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, not " + Echo.quote(value) + ".");
        }
    }

    /** The cursor of the page after this one: the last run's time and id, opaque to the caller. */
    static String cursorAfter(Run last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((last.createdAt() + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static RunQueries.Position position(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
            return new RunQueries.Position(Long.parseLong(parts[0]), parts[1]);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw Failure.invalidInput("invalid_query", "cursor is not one this listing gave (pass nextCursor as it came).");
        }
    }
}
