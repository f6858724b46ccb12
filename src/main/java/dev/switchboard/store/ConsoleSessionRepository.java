package dev.switchboard.store;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator console's sign-ins, by a keyed hash of the session id (the caller hashes; the id itself is only in
 * the operator's cookie). Stored, not only signed, so that signing out ends the session on every node.
 */
public final class ConsoleSessionRepository {
    private final Jdbi jdbi;
    private final Clock clock;

    public ConsoleSessionRepository(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Stores a new session, clearing the expired ones on the way (sign-ins are rare; this keeps the table small). */
    public void create(String idHash, long expiresAt) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM console_sessions WHERE expires_at <= :now").bind("now", now).execute();
            h.createUpdate("INSERT INTO console_sessions (id_hash, created_at, expires_at) VALUES (:idHash, :now, :expiresAt)")
                    .bind("idHash", idHash).bind("now", now).bind("expiresAt", expiresAt).execute();
        });
    }

    /** Whether the session exists and has not expired. */
    public boolean isActive(String idHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM console_sessions WHERE id_hash = :idHash AND expires_at > :now")
                .bind("idHash", idHash).bind("now", clock.millis()).mapTo(Integer.class).one()) > 0;
    }

    public void delete(String idHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE id_hash = :idHash").bind("idHash", idHash).execute());
    }
}
