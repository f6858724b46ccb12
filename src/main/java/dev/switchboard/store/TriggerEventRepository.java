package dev.switchboard.store;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The trigger events' outbox: each event stored once per subscription and vendor event (a retry of the vendor's
 * webhook, or a second node receiving it, adds nothing), then claimed by one node at a time for delivery, under a
 * lease that another node may take once it ends (a node that died mid-delivery). Events of a subscription go out
 * in the order they were stored: only the oldest pending one of each is claimable.
 */
public final class TriggerEventRepository {
    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";

    /** An event to store: {@code body} is the JSON delivered, exactly. */
    public record NewEvent(String id, String projectId, String subscriptionId, String dedupeKey, String body, long occurredAt) {}

    /** An event claimed for delivery. */
    public record Claimed(String id, String projectId, String subscriptionId, String body, int attempts, long createdAt) {}

    /** An event as the operator's log shows it. */
    public record StoredEvent(String id, String subscriptionId, String status, int attempts, long occurredAt, long createdAt, long nextAttemptAt,
                              Integer lastStatus, String lastError, Long deliveredAt, String body) {}

    /** One delivery attempt. */
    public record Attempt(int attempt, long attemptedAt, Integer statusCode, long latencyMs, String error) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final boolean postgres;

    public TriggerEventRepository(Jdbi jdbi, Clock clock, boolean postgres) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.postgres = postgres;
    }

    /** Stores the events not stored before (by subscription and dedupe key), in one transaction; returns how many were new. */
    public int enqueue(List<NewEvent> events) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            int added = 0;
            for (NewEvent event : events) {
                added += insert(h, event, now);
            }
            return added;
        });
    }

    /** Stores one event unless its subscription has one with the same dedupe key; 1 when stored. */
    static int insert(org.jdbi.v3.core.Handle h, NewEvent event, long now) {
        int added = h.createUpdate("""
                        INSERT INTO trigger_events (id, project_id, subscription_id, dedupe_key, payload, occurred_at, created_at, status,
                            attempts, next_attempt_at)
                        VALUES (:id, :projectId, :subscriptionId, :dedupeKey, :body, :occurredAt, :now, :pending, 0, :now)
                        ON CONFLICT (subscription_id, dedupe_key) DO NOTHING""")
                .bind("id", event.id()).bind("projectId", event.projectId()).bind("subscriptionId", event.subscriptionId())
                .bind("dedupeKey", event.dedupeKey()).bind("body", event.body()).bind("occurredAt", event.occurredAt())
                .bind("now", now).bind("pending", PENDING).execute();
        h.createUpdate("UPDATE trigger_subscriptions SET last_event_at = :now WHERE id = :id").bind("now", now).bind("id", event.subscriptionId()).execute();
        return added;
    }

    /**
     * Claims up to {@code limit} due events for this node until {@code leaseUntil}: pending, due, not under another
     * node's lease, and each the oldest pending event of its subscription. On PostgreSQL rows another node is claiming
     * are skipped ({@code FOR UPDATE SKIP LOCKED}); SQLite has one writer at a time and one node.
     */
    public List<Claimed> claimDue(String node, long now, long leaseUntil, int limit) {
        String sql = """
                UPDATE trigger_events SET claimed_by = :node, claimed_until = :leaseUntil
                WHERE id IN (
                    SELECT e.id FROM trigger_events e
                    WHERE e.status = :pending AND e.next_attempt_at <= :now AND (e.claimed_until IS NULL OR e.claimed_until < :now)
                      AND NOT EXISTS (SELECT 1 FROM trigger_events b WHERE b.subscription_id = e.subscription_id AND b.status = :pending
                                      AND (b.created_at < e.created_at OR (b.created_at = e.created_at AND b.id < e.id)))
                    ORDER BY e.next_attempt_at, e.created_at LIMIT :limit %s)
                RETURNING id, project_id, subscription_id, payload, attempts, created_at""".formatted(postgres ? "FOR UPDATE SKIP LOCKED" : "");
        return jdbi.inTransaction(h -> h.createQuery(sql).bind("node", node).bind("leaseUntil", leaseUntil).bind("pending", PENDING)
                .bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getLong(6)))
                .list());
    }

    /** Records an attempt and its outcome: delivered, to be retried at {@code nextAttemptAt}, or failed for good. */
    public void recordAttempt(Claimed event, String node, Attempt attempt, String outcome, long nextAttemptAt) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO trigger_deliveries (project_id, event_id, attempt, attempted_at, status_code, latency_ms, error)
                            VALUES (:projectId, :eventId, :attempt, :at, :statusCode, :latency, :error)""")
                    .bind("projectId", event.projectId()).bind("eventId", event.id()).bind("attempt", attempt.attempt())
                    .bind("at", attempt.attemptedAt()).bind("statusCode", attempt.statusCode()).bind("latency", attempt.latencyMs())
                    .bind("error", attempt.error()).execute();
            // Only the claimant records the outcome: a node whose lease ran out and was taken over leaves it to the other.
            h.createUpdate("""
                            UPDATE trigger_events SET status = :status, attempts = :attempts, next_attempt_at = :next, last_status = :statusCode,
                                last_error = :error, delivered_at = :deliveredAt, claimed_by = NULL, claimed_until = NULL
                            WHERE id = :id AND claimed_by = :node""")
                    .bind("status", outcome).bind("attempts", attempt.attempt()).bind("next", nextAttemptAt)
                    .bind("statusCode", attempt.statusCode()).bind("error", attempt.error())
                    .bind("deliveredAt", DELIVERED.equals(outcome) ? attempt.attemptedAt() : null).bind("id", event.id()).bind("node", node)
                    .execute();
        });
    }

    /** The project's events, newest first; by subscription and status when given. */
    public List<StoredEvent> list(String projectId, String subscriptionId, String status, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, subscription_id, status, attempts, occurred_at, created_at, next_attempt_at, last_status, last_error, delivered_at, payload
                FROM trigger_events WHERE project_id = :projectId""");
        if (subscriptionId != null) sql.append(" AND subscription_id = :subscriptionId");
        if (status != null) sql.append(" AND status = :status");
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("projectId", projectId).bind("limit", limit);
            if (subscriptionId != null) query.bind("subscriptionId", subscriptionId);
            if (status != null) query.bind("status", status);
            return query.map((rs, ctx) -> stored(rs)).list();
        });
    }

    public Optional<StoredEvent> find(String projectId, String eventId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, subscription_id, status, attempts, occurred_at, created_at, next_attempt_at, last_status, last_error, delivered_at, payload
                        FROM trigger_events WHERE project_id = :projectId AND id = :id""")
                .bind("projectId", projectId).bind("id", eventId).map((rs, ctx) -> stored(rs)).findOne());
    }

    public List<Attempt> attempts(String eventId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT attempt, attempted_at, status_code, latency_ms, error FROM trigger_deliveries WHERE event_id = :id ORDER BY attempt")
                .bind("id", eventId).map((rs, ctx) -> {
                    int status = rs.getInt(3);
                    Integer statusCode = rs.wasNull() ? null : status;
                    return new Attempt(rs.getInt(1), rs.getLong(2), statusCode, rs.getLong(4), rs.getString(5));
                }).list());
    }

    /**
     * Deletes up to {@code batch} delivered events created before the cutoff, with their delivery logs; failed ones stay
     * for replay. Returns how many events went.
     */
    public int deleteDeliveredBefore(long cutoffMillis, int batch) {
        return jdbi.inTransaction(h -> {
            List<String> ids = h.createQuery("SELECT id FROM trigger_events WHERE status = :delivered AND created_at < :cutoff LIMIT :batch")
                    .bind("delivered", DELIVERED).bind("cutoff", cutoffMillis).bind("batch", batch).mapTo(String.class).list();
            if (ids.isEmpty()) {
                return 0;
            }
            h.createUpdate("DELETE FROM trigger_deliveries WHERE event_id IN (<ids>)").bindList("ids", ids).execute();
            return h.createUpdate("DELETE FROM trigger_events WHERE id IN (<ids>)").bindList("ids", ids).execute();
        });
    }

    /** Sends a delivered or failed event again, now (same event id); false when the project has no such event. */
    public boolean replay(String projectId, String eventId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE trigger_events SET status = :pending, next_attempt_at = :now, claimed_by = NULL, claimed_until = NULL
                        WHERE project_id = :projectId AND id = :id""")
                .bind("pending", PENDING).bind("now", clock.millis()).bind("projectId", projectId).bind("id", eventId).execute()) == 1;
    }

    private static StoredEvent stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        int lastStatus = rs.getInt("last_status");
        Integer status = rs.wasNull() ? null : lastStatus;
        long delivered = rs.getLong("delivered_at");
        Long deliveredAt = rs.wasNull() ? null : delivered;
        return new StoredEvent(rs.getString("id"), rs.getString("subscription_id"), rs.getString("status"), rs.getInt("attempts"),
                rs.getLong("occurred_at"), rs.getLong("created_at"), rs.getLong("next_attempt_at"), status, rs.getString("last_error"),
                deliveredAt, rs.getString("payload"));
    }
}
