package dev.switchboard.store;

import dev.switchboard.blocking.Blocking;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes run records behind the requests that make them. A request only queues its run; one writer thread stores
 * the queue in batches, one transaction each, so recording costs a request no database round trip and SQLite's
 * single writer is never contended. A crash loses at most the runs queued in its last moments; a full queue makes
 * callers write their own run, never drop it (a caller on an event loop hands that write to a virtual thread: a store
 * that hangs must not freeze a loop, and the loops take no new request while the queue is full, see {@link #backedUp}).
 */
public final class RunWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);
    private static final String INSERT = """
            INSERT INTO runs (id, project_id, user_id, action, integration, credential_id, status,
                              http_status, error_code, duration_ms, request_id, created_at, ignored_parameters)
            VALUES """;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int COLUMNS = 13;
    private static final int ACTION_COLUMN_WIDTH = 128; // runs.action
    // Rows per INSERT statement: one statement step stores them all (a JDBC batch would step once per row).
    private static final int ROWS_PER_STATEMENT = 100;
    // Longer batches cost less CPU per run but hold a core longer: with 100 ms (up to 2,000 runs) the p99 of actions at
    // half load was 4.2 ms against 3.5 at 10 ms, one bench run each on two cores (issue 24). A reader waiting for the
    // runs queued before it (awaitQueued) wakes the writer rather than waiting out the linger.
    private static final int MAX_BATCH = 500;
    private static final Duration LINGER = Duration.ofMillis(10);
    /** The {@code run-queue-max} setting's default. */
    public static final int DEFAULT_MAX_QUEUED = 50_000;
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(10);

    private final Jdbi jdbi;
    private final int maxQueued;
    // Not a blocking queue: waking the writer for every run would cost a system call per request. The writer
    // looks every LINGER instead.
    private final Queue<Run> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong stored = new AtomicLong(); // written, or given up on after an error; its monitor signals progress
    private final Thread writer;
    private volatile boolean closing;

    public RunWriter(Jdbi jdbi) {
        this(jdbi, DEFAULT_MAX_QUEUED);
    }

    /** @param maxQueued runs that may wait for the writer; past it, callers store their own (see {@link #backedUp}) */
    public RunWriter(Jdbi jdbi, int maxQueued) {
        this.jdbi = jdbi;
        this.maxQueued = maxQueued;
        this.writer = Thread.ofPlatform().name("switchboard-run-writer").daemon().start(this::writeQueued);
    }

    /**
     * Whether callers now write their own runs (the queue is full, or the writer is stopping): slowed by the store, as
     * the ordinary path's virtual threads may be, and the event loops must not be.
     */
    public boolean backedUp() {
        return closing || queued.get() - stored.get() >= maxQueued;
    }

    public void insert(Run run) {
        if (backedUp()) {
            if (Blocking.onLoop()) {
                Blocking.offLoop(() -> writeBatch(List.of(run)));
            } else {
                writeBatch(List.of(run));
            }
            return;
        }
        queue.add(run);
        queued.incrementAndGet();
    }

    private void writeQueued() {
        List<Run> batch = new ArrayList<>(MAX_BATCH);
        try (WriterConnection connection = new WriterConnection()) {
            while (!closing || !queue.isEmpty()) {
                for (Run run = queue.poll(); run != null; run = batch.size() < MAX_BATCH ? queue.poll() : null) {
                    batch.add(run);
                }
                if (!batch.isEmpty()) {
                    connection.write(batch);
                    stored.addAndGet(batch.size());
                    synchronized (stored) {
                        stored.notifyAll();
                    }
                }
                // Linger after a partial batch too, so that under load a transaction carries many runs, not a few.
                if (batch.size() < MAX_BATCH) {
                    LockSupport.parkNanos(LINGER.toNanos());
                }
                batch.clear();
            }
        }
    }

    /**
     * The writer's own connection, with its INSERT statements prepared once: preparing a 100-row INSERT cost
     * SQLite more than running it (issue 7's profile). Rows go in statements of 100, 10 and 1 rows, so three
     * statements serve every batch size. After an error the connection is dropped and the next batch opens another.
     */
    private final class WriterConnection implements AutoCloseable {
        private static final int[] STATEMENT_ROWS = {ROWS_PER_STATEMENT, 10, 1};
        private Handle handle;
        private final Map<Integer, PreparedStatement> statements = new HashMap<>();

        void write(List<Run> runs) {
            try {
                if (handle == null) {
                    handle = jdbi.open();
                }
                handle.getConnection().setAutoCommit(false);
                int from = 0;
                for (int rows : STATEMENT_ROWS) {
                    for (; runs.size() - from >= rows; from += rows) {
                        PreparedStatement insert = statements.get(rows);
                        if (insert == null) {
                            insert = handle.getConnection().prepareStatement(insertSql(rows));
                            statements.put(rows, insert);
                        }
                        bind(insert, runs.subList(from, from + rows));
                        insert.executeUpdate();
                    }
                }
                // Commits, and leaves no transaction open between batches: SQLite would keep its write lock.
                handle.getConnection().setAutoCommit(true);
            } catch (RuntimeException | SQLException e) {
                close();
                if (runs.size() == 1) {
                    LOG.warn("could not record a run: {}", e.getMessage());
                    return;
                }
                // One row the store refuses must not cost the rows beside it: each goes in alone.
                LOG.warn("could not record {} runs in one batch ({}); recording them one by one", runs.size(), e.getMessage());
                runs.forEach(run -> writeBatch(List.of(run)));
            }
        }

        @Override
        public void close() {
            if (handle != null) {
                try {
                    if (!handle.getConnection().getAutoCommit()) {
                        handle.getConnection().rollback(); // the half-written batch of a failed write
                        handle.getConnection().setAutoCommit(true);
                    }
                } catch (SQLException ignored) {
                    // the connection is going away anyway
                }
                statements.clear(); // closing the handle closes its connection, and the connection its statements
                try {
                    handle.close();
                } catch (RuntimeException e) {
                    LOG.warn("could not close the run writer's connection: {}", e.getMessage()); // the writer must live on
                }
                handle = null;
            }
        }
    }

    /** Stores runs in a transaction of their own: the callers' path when the writer cannot take them. */
    private void writeBatch(List<Run> runs) {
        try {
            // Plain JDBC: JDBI would parse each distinct multi-row statement, which costs more than the insert.
            jdbi.<SQLException>useTransaction(h -> {
                for (int from = 0; from < runs.size(); from += ROWS_PER_STATEMENT) {
                    List<Run> rows = runs.subList(from, Math.min(runs.size(), from + ROWS_PER_STATEMENT));
                    try (PreparedStatement insert = h.getConnection().prepareStatement(insertSql(rows.size()))) {
                        bind(insert, rows);
                        insert.executeUpdate();
                    }
                }
            });
        } catch (RuntimeException | SQLException e) {
            LOG.warn("could not record {} run(s): {}", runs.size(), e.getMessage());
        }
    }

    private static String insertSql(int rows) {
        return INSERT + String.join(", ", Collections.nCopies(rows, ROW));
    }

    private static void bind(PreparedStatement insert, List<Run> rows) throws SQLException {
        int at = 1;
        for (Run run : rows) {
            insert.setString(at, text(run.id()));
            insert.setString(at + 1, text(run.projectId()));
            insert.setString(at + 2, text(run.userId()));
            insert.setString(at + 3, text(run.action(), ACTION_COLUMN_WIDTH));
            insert.setString(at + 4, text(run.integration()));
            insert.setString(at + 5, text(run.credentialId()));
            insert.setString(at + 6, text(run.status()));
            insert.setInt(at + 7, run.httpStatus());
            insert.setString(at + 8, text(run.errorCode()));
            insert.setLong(at + 9, run.durationMs());
            insert.setString(at + 10, text(run.requestId()));
            insert.setLong(at + 11, run.createdAt());
            insert.setString(at + 12, text(run.ignoredParameters(), Run.MAX_IGNORED_PARAMETERS));
            at += COLUMNS;
        }
    }

    /** Text as both stores take it: PostgreSQL refuses NUL in text, so it becomes U+FFFD. */
    private static String text(String value) {
        return value == null ? null : value.replace('\u0000', '\uFFFD');
    }

    /** The same, cut to its column's width (an unknown action's name is the caller's text, of any length). */
    private static String text(String value, int width) {
        String stored = text(value);
        return stored == null || stored.length() <= width ? stored : stored.substring(0, width);
    }

    /** Waits until every run queued before this call is stored (or {@link #FLUSH_WAIT} has passed). */
    public void awaitQueued() {
        long target = queued.get();
        LockSupport.unpark(writer);
        long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
        synchronized (stored) {
            while (stored.get() < target && writer.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    stored.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stores what is queued, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(FLUSH_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
