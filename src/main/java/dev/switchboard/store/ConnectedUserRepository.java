package dev.switchboard.store;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/** Connected users are created on first sight of their token's {@code sub}. */
public final class ConnectedUserRepository {
    private final Jdbi jdbi;
    private final Clock clock;
    // Saves a database write per request once a user is known to exist; safe across nodes because the insert is idempotent.
    // Bounded: past the cap it starts over, which costs one idempotent insert per user again.
    private static final int KNOWN_CAP = 100_000;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public ConnectedUserRepository(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public tools.jackson.databind.node.ObjectNode meta(String projectId, String userId) {
        String meta = jdbi.withHandle(h -> h.createQuery("SELECT meta FROM connected_users WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).mapTo(String.class).findOne().orElse("{}"));
        return (tools.jackson.databind.node.ObjectNode) dev.switchboard.json.Json.parse(meta);
    }

    public void saveMeta(String projectId, String userId, tools.jackson.databind.node.ObjectNode meta) {
        ensure(projectId, userId);
        jdbi.useHandle(h -> h.createUpdate("UPDATE connected_users SET meta = :meta WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).bind("meta", meta.toString()).execute());
    }

    public void ensure(String projectId, String userId) {
        String key = projectId + "\u0000" + userId;
        if (known.contains(key)) {
            return;
        }
        dev.switchboard.blocking.Blocking.mayBlock("a user's first store write");
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO connected_users (project_id, user_id, meta, created_at)
                        VALUES (:projectId, :userId, '{}', :now)
                        ON CONFLICT (project_id, user_id) DO NOTHING""")
                .bind("projectId", projectId).bind("userId", userId).bind("now", clock.millis()).execute());
        if (known.size() >= KNOWN_CAP) {
            known.clear();
        }
        known.add(key);
    }

    /** A user of a project as the operator sees it: when first seen, and how many accounts it has connected. */
    public record ConnectedUser(String userId, long createdAt, int accounts) {}

    /** A project's users in the order of their ids, a page at a time: those after {@code afterUserId} (null: from the first). */
    public java.util.List<ConnectedUser> list(String projectId, int limit, String afterUserId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT u.user_id, u.created_at, COUNT(c.id) AS accounts FROM connected_users u
                        LEFT JOIN credentials c ON c.project_id = u.project_id AND c.user_id = u.user_id
                        WHERE u.project_id = :p AND (:after IS NULL OR u.user_id > :after)
                        GROUP BY u.user_id, u.created_at ORDER BY u.user_id LIMIT :limit""")
                .bind("p", projectId).bind("after", afterUserId).bind("limit", limit)
                .map((rs, ctx) -> new ConnectedUser(rs.getString(1), rs.getLong(2), rs.getInt(3))).list());
    }
}
