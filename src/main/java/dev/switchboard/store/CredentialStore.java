package dev.switchboard.store;

import dev.switchboard.crypto.SecretBox;
import dev.switchboard.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.core.type.TypeReference;

/**
 * Credentials in the database, every secret field sealed by {@link SecretBox} and bound to its row and field.
 * Every lookup is scoped by project and user, so one tenant can never read another's account.
 */
public final class CredentialStore {
    /** The longest account id the stores hold (the credentials table's {@code provider_id}). */
    public static final int MAX_PROVIDER_ID_LENGTH = 255;

    public record NewCredential(String projectId, String userId, String integration, String accessToken,
                                String refreshToken, String apiKey, Long expiresAt, String providerId,
                                Map<String, Object> providerData) {
        @Override
        public String toString() {
            return "NewCredential[integration=" + integration + "]";
        }
    }

    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {};
    private static final String COLUMNS = """
            id, project_id, user_id, integration, status, status_reason, access_token_enc, refresh_token_enc,
            api_key_enc, expires_at, provider_id, provider_data, created_at, refreshed_at, refresh_failure_count,
            token_version, refresh_lease, refresh_lease_until""";

    private final Jdbi jdbi;
    private final SecretBox secretBox;
    private final Clock clock;
    // A user's accounts, read on every action. A refresh never trusts it: it re-reads the row it refreshes.
    private final ReadCache<List<String>, List<Credential>> byUser;

    public CredentialStore(Jdbi jdbi, SecretBox secretBox, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.secretBox = secretBox;
        this.clock = clock;
        this.byUser = new ReadCache<>(cacheTtl, 10_000);
    }

    static String context(String credentialId, String field) {
        return "credential/" + credentialId + "/" + field;
    }

    public Credential insert(NewCredential c) {
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO credentials (" + COLUMNS + """
                        ) VALUES (:id, :projectId, :userId, :integration, 'VALID', NULL, :access, :refresh, :apiKey,
                                  :expiresAt, :providerId, :providerData, :now, NULL, 0, 0, NULL, NULL)""")
                .bind("id", id)
                .bind("projectId", c.projectId())
                .bind("userId", c.userId())
                .bind("integration", c.integration())
                .bind("access", secretBox.seal(c.accessToken(), context(id, "access_token")))
                .bind("refresh", secretBox.seal(c.refreshToken(), context(id, "refresh_token")))
                .bind("apiKey", secretBox.seal(c.apiKey(), context(id, "api_key")))
                .bind("expiresAt", c.expiresAt())
                .bind("providerId", c.providerId())
                .bind("providerData", Json.write(c.providerData() == null ? Map.of() : c.providerData()))
                .bind("now", now)
                .execute());
        byUser.invalidateAll();
        return find(c.projectId(), c.userId(), id).orElseThrow();
    }

    public Optional<Credential> find(String projectId, String userId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM credentials WHERE id = :id AND project_id = :projectId AND user_id = :userId")
                .bind("id", id).bind("projectId", projectId).bind("userId", userId)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    /** Oldest first, as this node last read them (see {@link ReadCache}). */
    public List<Credential> listForUser(String projectId, String userId) {
        return byUser.get(List.of(projectId, userId), key -> listForUserFromDatabase(projectId, userId));
    }

    /** Oldest first, read now: for when a cached list may predate an account another node just connected. */
    public List<Credential> listForUserFromDatabase(String projectId, String userId) {
        dev.switchboard.blocking.Blocking.mayBlock("a store read");
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM credentials WHERE project_id = :projectId AND user_id = :userId ORDER BY created_at, id")
                .bind("projectId", projectId).bind("userId", userId)
                .map((rs, ctx) -> map(rs)).list()).stream().toList();
    }

    /** Integrations for which the user holds at least one VALID credential. */
    public Set<String> integrationsWithValidCredential(String projectId, String userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT integration FROM credentials
                        WHERE project_id = :projectId AND user_id = :userId AND status = 'VALID'""")
                .bind("projectId", projectId).bind("userId", userId)
                .mapTo(String.class).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    public void markInvalid(String id, String reason) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE credentials SET status = 'INVALID', status_reason = :reason WHERE id = :id")
                .bind("id", id).bind("reason", reason).execute());
        byUser.invalidateAll();
    }

    private Credential map(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        return new Credential(
                id,
                rs.getString("project_id"),
                rs.getString("user_id"),
                rs.getString("integration"),
                Credential.Status.valueOf(rs.getString("status")),
                rs.getString("status_reason"),
                secretBox.open(rs.getString("access_token_enc"), context(id, "access_token")),
                secretBox.open(rs.getString("refresh_token_enc"), context(id, "refresh_token")),
                secretBox.open(rs.getString("api_key_enc"), context(id, "api_key")),
                rs.getObject("expires_at") == null ? null : rs.getLong("expires_at"),
                rs.getString("provider_id"),
                Collections.unmodifiableMap(Json.MAPPER.readValue(rs.getString("provider_data"), OBJECT_MAP)),
                rs.getLong("created_at"),
                rs.getObject("refreshed_at") == null ? null : rs.getLong("refreshed_at"),
                rs.getInt("refresh_failure_count"),
                rs.getInt("token_version"),
                rs.getString("refresh_lease"),
                rs.getObject("refresh_lease_until") == null ? null : rs.getLong("refresh_lease_until"));
    }

    /**
     * Removes a user's accounts of one integration: the one named, or all of them.
     *
     * @return the ids removed
     */
    public List<String> delete(String projectId, String userId, String integration, String credentialId) {
        List<String> removed = jdbi.inTransaction(h -> {
            List<String> ids = h.createQuery("""
                            SELECT id FROM credentials WHERE project_id = :projectId AND user_id = :userId
                            AND integration = :integration AND (:id IS NULL OR id = :id)""")
                    .bind("projectId", projectId).bind("userId", userId).bind("integration", integration).bind("id", credentialId)
                    .mapTo(String.class).list();
            for (String id : ids) {
                h.createUpdate("DELETE FROM credentials WHERE id = :id").bind("id", id).execute();
            }
            return ids;
        });
        byUser.invalidateAll();
        return removed;
    }

    /** A credential by id alone, for the refresh that already holds it. */
    public Optional<Credential> reload(Credential credential) {
        return find(credential.projectId(), credential.userId(), credential.id());
    }

    /**
     * Takes the refresh lease of a credential, in one statement so that of any number of nodes exactly one wins:
     * only while nobody has refreshed past {@code seenVersion} and no unexpired lease is held.
     */
    public boolean takeRefreshLease(String id, int seenVersion, String lease, long until, long now) {
        boolean taken = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE credentials SET refresh_lease = :lease, refresh_lease_until = :until
                        WHERE id = :id AND token_version = :version AND status = 'VALID'
                          AND (refresh_lease IS NULL OR refresh_lease_until < :now)""")
                .bind("id", id).bind("version", seenVersion).bind("lease", lease).bind("until", until).bind("now", now)
                .execute()) == 1;
        byUser.invalidateAll();
        return taken;
    }

    /**
     * Saves a refresh's new tokens as the next version, in one statement. A vendor that rotates refresh tokens
     * sends a new one; a vendor that does not leaves {@code refreshToken} null and the stored one stays.
     *
     * @return false when another refresh already saved this version (its tokens stay)
     */
    public boolean saveRefreshed(String id, int seenVersion, String accessToken, String refreshToken, Long expiresAt, long now) {
        boolean saved = jdbi.withHandle(h -> {
            var update = h.createUpdate("UPDATE credentials SET access_token_enc = :access, "
                            + (refreshToken != null ? "refresh_token_enc = :refresh, " : "")
                            + """
                            expires_at = :expiresAt, refreshed_at = :now, token_version = token_version + 1,
                            refresh_failure_count = 0, refresh_lease = NULL, refresh_lease_until = NULL, status_reason = NULL
                            WHERE id = :id AND token_version = :version""")
                    .bind("id", id).bind("version", seenVersion)
                    .bind("access", secretBox.seal(accessToken, context(id, "access_token")))
                    .bind("expiresAt", expiresAt).bind("now", now);
            if (refreshToken != null) {
                update.bind("refresh", secretBox.seal(refreshToken, context(id, "refresh_token")));
            }
            return update.execute() == 1;
        });
        byUser.invalidateAll();
        return saved;
    }

    /** A refresh failed: count it and release the lease; a dead refresh token also ends the credential. */
    public void refreshFailed(String id, String lease, boolean credentialDead, String reason) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE credentials SET refresh_failure_count = refresh_failure_count + 1,
                               refresh_lease = NULL, refresh_lease_until = NULL,
                               status = CASE WHEN :dead THEN 'INVALID' ELSE status END,
                               status_reason = CASE WHEN :dead THEN :reason ELSE status_reason END
                        WHERE id = :id AND (refresh_lease = :lease OR refresh_lease IS NULL)""")
                .bind("id", id).bind("lease", lease).bind("dead", credentialDead).bind("reason", reason).execute());
        byUser.invalidateAll();
    }

    public void bindCacheMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
        byUser.bindTo(meters, "accounts");
    }
}
