package dev.switchboard.store;

import dev.switchboard.crypto.SecretBox;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The Idempotency-Keys of users' action runs. A key is claimed in one conditional INSERT, so of concurrent
 * requests on any node exactly one runs; the outcome is written after the run and read by the others.
 */
public final class IdempotencyKeys {
    /** How long a key is remembered. */
    public static final Duration KEPT = Duration.ofHours(24);

    /**
     * @param requestHash what the claiming request asked for (a fingerprint of its action, parameters and account)
     * @param outcome     the stored outcome, or null while the claiming request runs
     * @param createdAt   when the key was claimed
     */
    public record Claim(String requestHash, String outcome, long createdAt) {}

    private final Jdbi jdbi;
    private final SecretBox secretBox;
    private final Clock clock;

    public IdempotencyKeys(Jdbi jdbi, SecretBox secretBox, Clock clock) {
        this.jdbi = jdbi;
        this.secretBox = secretBox;
        this.clock = clock;
    }

    /** Claims the key for a request; false when it is held (by a run under way or a stored outcome). */
    public boolean claim(String projectId, String userId, String key, String requestHash) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM idempotency_keys WHERE project_id = :p AND user_id = :u AND idem_key = :k AND created_at < :expired")
                    .bind("p", projectId).bind("u", userId).bind("k", key).bind("expired", now - KEPT.toMillis()).execute();
            return h.createUpdate("""
                            INSERT INTO idempotency_keys (project_id, user_id, idem_key, request_hash, created_at)
                            VALUES (:p, :u, :k, :hash, :now) ON CONFLICT DO NOTHING""")
                    .bind("p", projectId).bind("u", userId).bind("k", key).bind("hash", requestHash).bind("now", now)
                    .execute() == 1;
        });
    }

    public Optional<Claim> find(String projectId, String userId, String key) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT request_hash, outcome_enc, created_at FROM idempotency_keys
                        WHERE project_id = :p AND user_id = :u AND idem_key = :k AND created_at >= :fresh""")
                .bind("p", projectId).bind("u", userId).bind("k", key).bind("fresh", clock.millis() - KEPT.toMillis())
                .map((rs, ctx) -> new Claim(rs.getString(1),
                        rs.getString(2) == null ? null : secretBox.open(rs.getString(2), context(projectId, userId, key)), rs.getLong(3)))
                .findOne());
    }

    public void complete(String projectId, String userId, String key, String outcome) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE idempotency_keys SET outcome_enc = :outcome WHERE project_id = :p AND user_id = :u AND idem_key = :k""")
                .bind("outcome", secretBox.seal(outcome, context(projectId, userId, key)))
                .bind("p", projectId).bind("u", userId).bind("k", key).execute());
    }

    /** Frees a key whose request failed before anything could reach the vendor, so that a retry runs. */
    public void release(String projectId, String userId, String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE project_id = :p AND user_id = :u AND idem_key = :k")
                .bind("p", projectId).bind("u", userId).bind("k", key).execute());
    }

    static String context(String projectId, String userId, String key) {
        return "idempotency/" + projectId + "/" + userId + "/" + key;
    }
}
