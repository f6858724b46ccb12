package dev.switchboard.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The public halves of each project's token signing keys. */
public final class SigningKeyRepository {
    public record SigningKey(String projectId, String kid, String publicKeyPem, long createdAt, Long retiredAt) {
        public boolean active() {
            return retiredAt == null;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final ReadCache<String, List<SigningKey>> byProject;

    public SigningKeyRepository(Jdbi jdbi, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.byProject = new ReadCache<>(cacheTtl, 10_000);
    }

    /** @return false when the project already holds a key with this kid */
    public boolean add(String projectId, String kid, String publicKeyPem) {
        boolean added = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO signing_keys (project_id, kid, public_key_pem, created_at)
                        VALUES (:projectId, :kid, :pem, :now)
                        ON CONFLICT (project_id, kid) DO NOTHING""")
                .bind("projectId", projectId).bind("kid", kid).bind("pem", publicKeyPem).bind("now", clock.millis())
                .execute()) == 1;
        byProject.invalidateAll();
        return added;
    }

    /** Oldest first; retired keys included. */
    public List<SigningKey> list(String projectId) {
        return byProject.get(projectId, this::read);
    }

    private List<SigningKey> read(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT project_id, kid, public_key_pem, created_at, retired_at FROM signing_keys
                        WHERE project_id = :projectId ORDER BY created_at, kid""")
                .bind("projectId", projectId)
                .map((rs, ctx) -> new SigningKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        (Long) rs.getObject(5) == null ? null : rs.getLong(5)))
                .list());
    }

    /** @return false when no active key with this kid exists */
    public boolean retire(String projectId, String kid) {
        boolean retired = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE signing_keys SET retired_at = :now
                        WHERE project_id = :projectId AND kid = :kid AND retired_at IS NULL""")
                .bind("projectId", projectId).bind("kid", kid).bind("now", clock.millis())
                .execute()) == 1;
        byProject.invalidateAll();
        return retired;
    }

    public void bindCacheMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
        byProject.bindTo(meters, "signing_keys");
    }
}
