package dev.switchboard.store;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Reads run records for operators; what was queued before a read is stored first, so a read sees its own runs. */
public final class RunQueries {
    /**
     * Which runs to list; each field applies only when set.
     *
     * @param outcome an error code, or {@code succeeded}
     * @param since   created at or after, epoch milliseconds
     * @param until   created before, epoch milliseconds
     * @param after   the page's start: runs older than this one (the previous page's last)
     */
    public record RunFilter(String userId, String integration, String action, String status, String outcome, Long since, Long until,
                            Position after, int limit) {
        public RunFilter(String userId, String action, String status, int limit) {
            this(userId, null, action, status, null, null, null, null, limit);
        }
    }

    /** Where a page ends, in the listing's order (newest first). */
    public record Position(long createdAt, String id) {}

    private final Jdbi jdbi;
    private final RunWriter writer;

    public RunQueries(Jdbi jdbi, RunWriter writer) {
        this.jdbi = jdbi;
        this.writer = writer;
    }

    private static final String SELECT = """
            SELECT id, project_id, user_id, action, integration, credential_id, status, http_status,
                   error_code, duration_ms, request_id, created_at, ignored_parameters
            FROM runs WHERE project_id = :projectId""";

    /** One run of the project. */
    public java.util.Optional<Run> find(String projectId, String runId) {
        writer.awaitQueued();
        return jdbi.withHandle(h -> h.createQuery(SELECT + " AND id = :id").bind("projectId", projectId).bind("id", runId)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    private static Run map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getInt(8), rs.getString(9), rs.getLong(10), rs.getString(11), rs.getLong(12), rs.getString(13));
    }

    /** Newest first. */
    public List<Run> list(String projectId, RunFilter filter) {
        writer.awaitQueued();
        StringBuilder sql = new StringBuilder(SELECT);
        if (filter.userId() != null) sql.append(" AND user_id = :userId");
        if (filter.integration() != null) sql.append(" AND integration = :integration");
        if (filter.action() != null) sql.append(" AND action = :action");
        if (filter.status() != null) sql.append(" AND status = :status");
        if (filter.outcome() != null) sql.append(filter.outcome().equals("succeeded") ? " AND error_code IS NULL" : " AND error_code = :outcome");
        if (filter.since() != null) sql.append(" AND created_at >= :since");
        if (filter.until() != null) sql.append(" AND created_at < :until");
        if (filter.after() != null) sql.append(" AND (created_at < :afterTime OR (created_at = :afterTime AND id < :afterId))");
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("projectId", projectId).bind("limit", filter.limit());
            if (filter.userId() != null) query.bind("userId", filter.userId());
            if (filter.integration() != null) query.bind("integration", filter.integration());
            if (filter.action() != null) query.bind("action", filter.action());
            if (filter.status() != null) query.bind("status", filter.status());
            if (filter.outcome() != null && !filter.outcome().equals("succeeded")) query.bind("outcome", filter.outcome());
            if (filter.since() != null) query.bind("since", filter.since());
            if (filter.until() != null) query.bind("until", filter.until());
            if (filter.after() != null) query.bind("afterTime", filter.after().createdAt()).bind("afterId", filter.after().id());
            return query.map((rs, ctx) -> map(rs)).list();
        });
    }

    /**
     * The projects that have runs, found by skipping through {@code runs_by_project} from one project to the next (a
     * lookup per project, not a read of every run). A deleted project's runs are found too.
     */
    public List<String> projectsWithRuns() {
        return jdbi.withHandle(h -> h.createQuery("""
                        WITH RECURSIVE projects(id) AS (
                            SELECT MIN(project_id) FROM runs
                            UNION ALL
                            SELECT (SELECT MIN(project_id) FROM runs WHERE project_id > projects.id) FROM projects WHERE projects.id IS NOT NULL)
                        SELECT id FROM projects WHERE id IS NOT NULL""")
                .mapTo(String.class).list());
    }

    /**
     * Deletes at most {@code batch} of the project's runs created before the cutoff, in one short transaction, so that
     * pruning never holds the store for long; returns how many went.
     */
    public int deleteOlderThan(String projectId, long cutoffMillis, int batch) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM runs WHERE id IN (
                            SELECT id FROM runs WHERE project_id = :projectId AND created_at < :cutoff LIMIT :batch)""")
                .bind("projectId", projectId).bind("cutoff", cutoffMillis).bind("batch", batch).execute());
    }
}
