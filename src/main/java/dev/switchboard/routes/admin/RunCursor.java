package dev.switchboard.routes.admin;

import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Run;
import dev.switchboard.store.RunQueries;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque cursor of the runs listing: where the last page ended (its last run's time and id). */
final class RunCursor {
    private RunCursor() {}

    static String write(Run last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((last.createdAt() + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
    }

    static RunQueries.Position read(String cursor) {
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
