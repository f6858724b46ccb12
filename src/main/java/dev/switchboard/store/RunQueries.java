package dev.switchboard.store;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Reads run records for operators; what was queued before a read is stored first, so a read sees its own runs. */
public final class RunQueries {
    public record RunFilter(String userId, String action, String status, int limit) {}

    private final Jdbi jdbi;
    private final RunWriter writer;

    public RunQueries(Jdbi jdbi, RunWriter writer) {
        this.jdbi = jdbi;
        this.writer = writer;
    }

    /** Newest first; each filter field applies only when set. */
    public List<Run> list(String projectId, RunFilter filter) {
        writer.awaitQueued();
        StringBuilder sql = new StringBuilder("""
                SELECT id, project_id, user_id, action, integration, credential_id, status, http_status,
                       error_code, duration_ms, request_id, created_at, ignored_parameters
                FROM runs WHERE project_id = :projectId""");
        if (filter.userId() != null) sql.append(" AND user_id = :userId");
        if (filter.action() != null) sql.append(" AND action = :action");
        if (filter.status() != null) sql.append(" AND status = :status");
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("projectId", projectId).bind("limit", filter.limit());
            if (filter.userId() != null) query.bind("userId", filter.userId());
            if (filter.action() != null) query.bind("action", filter.action());
            if (filter.status() != null) query.bind("status", filter.status());
            return query.map((rs, ctx) -> new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getLong(10),
                    rs.getString(11), rs.getLong(12), rs.getString(13))).list();
        });
    }

    /**
     * Deletes at most {@code batch} runs created before the cutoff, in one short transaction, so that pruning never
     * holds the store for long; returns how many went.
     */
    public int deleteOlderThan(long cutoffMillis, int batch) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE created_at < :cutoff LIMIT :batch)")
                .bind("cutoff", cutoffMillis).bind("batch", batch).execute());
    }
}
