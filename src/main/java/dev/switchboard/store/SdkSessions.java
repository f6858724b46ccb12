package dev.switchboard.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * How each Connect SDK session ended: the SDK opens a popup with a session id of its own choosing and polls it until
 * it names the connected credential. Rows live for a short while: the SDK polls for three minutes at most and deletes
 * the session when it has its answer. Read from the database, so that a poll may reach any node of a cluster.
 */
public final class SdkSessions {
    /** Longer than the SDK's three minutes of polling. */
    static final Duration KEPT_FOR = Duration.ofMinutes(15);

    /** @param credentialId the connected credential, or null when {@code errorCode} says why there is none */
    public record Outcome(String userId, String credentialId, String errorCode) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public SdkSessions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void finish(String projectId, String sessionId, String userId, String credentialId, String errorCode) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM sdk_sessions WHERE created_at < :before").bind("before", clock.millis() - KEPT_FOR.toMillis()).execute();
            h.createUpdate("DELETE FROM sdk_sessions WHERE project_id = :project AND session_id = :session")
                    .bind("project", projectId).bind("session", sessionId).execute();
            h.createUpdate("""
                            INSERT INTO sdk_sessions (project_id, session_id, user_id, credential_id, error_code, created_at)
                            VALUES (:project, :session, :user, :credential, :error, :now)""")
                    .bind("project", projectId).bind("session", sessionId).bind("user", userId).bind("credential", credentialId)
                    .bind("error", errorCode).bind("now", clock.millis()).execute();
        });
    }

    /** The session's outcome, when it has ended and belongs to this user. */
    public Optional<Outcome> find(String projectId, String sessionId, String userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT user_id, credential_id, error_code FROM sdk_sessions
                        WHERE project_id = :project AND session_id = :session AND user_id = :user AND created_at >= :after""")
                .bind("project", projectId).bind("session", sessionId).bind("user", userId)
                .bind("after", clock.millis() - KEPT_FOR.toMillis())
                .map((rs, ctx) -> new Outcome(rs.getString(1), rs.getString(2), rs.getString(3))).findOne());
    }

    public void delete(String projectId, String sessionId, String userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sdk_sessions WHERE project_id = :project AND session_id = :session AND user_id = :user")
                .bind("project", projectId).bind("session", sessionId).bind("user", userId).execute());
    }
}
