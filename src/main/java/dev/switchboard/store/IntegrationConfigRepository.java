package dev.switchboard.store;

import dev.switchboard.crypto.SecretBox;
import dev.switchboard.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.core.type.TypeReference;

/** Each project's operator settings per integration: enabled, OAuth app, URL overrides. */
public final class IntegrationConfigRepository {
    /** @param signingSecret the secret the vendor signs its webhooks with (Slack's app Signing Secret); null when not set */
    public record IntegrationConfig(String projectId, String integration, boolean enabled, String clientId,
                                    String clientSecret, List<String> scopes, Map<String, String> urls, String signingSecret) {
        public IntegrationConfig(String projectId, String integration, boolean enabled, String clientId, String clientSecret,
                                 List<String> scopes, Map<String, String> urls) {
            this(projectId, integration, enabled, clientId, clientSecret, scopes, urls, null);
        }

        @Override
        public String toString() {
            return "IntegrationConfig[" + projectId + "/" + integration + ", enabled=" + enabled + ", clientId=" + clientId + "]";
        }
    }

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final SecretBox secretBox;
    private final Clock clock;
    private final ReadCache<List<String>, Optional<IntegrationConfig>> byIntegration;

    public IntegrationConfigRepository(Jdbi jdbi, SecretBox secretBox, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.secretBox = secretBox;
        this.clock = clock;
        this.byIntegration = new ReadCache<>(cacheTtl, 10_000);
    }

    static String secretContext(String projectId, String integration) {
        return "integration-config/" + projectId + "/" + integration + "/client_secret";
    }

    static String signingSecretContext(String projectId, String integration) {
        return "integration-config/" + projectId + "/" + integration + "/signing_secret";
    }

    public void upsert(IntegrationConfig config) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO integration_configs
                            (project_id, integration, enabled, client_id, client_secret_enc, scopes, urls, signing_secret_enc, updated_at)
                        VALUES (:projectId, :integration, :enabled, :clientId, :secret, :scopes, :urls, :signingSecret, :now)
                        ON CONFLICT (project_id, integration) DO UPDATE SET
                            enabled = excluded.enabled, client_id = excluded.client_id,
                            client_secret_enc = excluded.client_secret_enc, scopes = excluded.scopes,
                            urls = excluded.urls, signing_secret_enc = excluded.signing_secret_enc, updated_at = excluded.updated_at""")
                .bind("projectId", config.projectId())
                .bind("integration", config.integration())
                .bind("enabled", config.enabled())
                .bind("clientId", config.clientId())
                .bind("secret", secretBox.seal(config.clientSecret(), secretContext(config.projectId(), config.integration())))
                .bind("scopes", Json.write(config.scopes()))
                .bind("urls", Json.write(config.urls()))
                .bind("signingSecret", secretBox.seal(config.signingSecret(), signingSecretContext(config.projectId(), config.integration())))
                .bind("now", clock.millis())
                .execute());
        byIntegration.invalidateAll();
    }

    public Optional<IntegrationConfig> find(String projectId, String integration) {
        return byIntegration.get(List.of(projectId, integration), key -> jdbi.withHandle(h -> h.createQuery(
                        SELECT + " WHERE project_id = :projectId AND integration = :integration")
                .bind("projectId", projectId).bind("integration", integration)
                .map((rs, ctx) -> map(rs)).findOne()));
    }

    /** Every integration configured in the project, enabled or not. */
    public List<IntegrationConfig> list(String projectId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE project_id = :projectId ORDER BY integration")
                .bind("projectId", projectId).map((rs, ctx) -> map(rs)).list());
    }

    public List<IntegrationConfig> listEnabled(String projectId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE project_id = :projectId AND enabled = :enabled ORDER BY integration")
                .bind("projectId", projectId).bind("enabled", true)
                .map((rs, ctx) -> map(rs)).list());
    }

    private static final String SELECT =
            "SELECT project_id, integration, enabled, client_id, client_secret_enc, scopes, urls, signing_secret_enc FROM integration_configs";

    private IntegrationConfig map(java.sql.ResultSet rs) throws java.sql.SQLException {
        String projectId = rs.getString("project_id");
        String integration = rs.getString("integration");
        return new IntegrationConfig(projectId, integration, rs.getBoolean("enabled"), rs.getString("client_id"),
                secretBox.open(rs.getString("client_secret_enc"), secretContext(projectId, integration)),
                // read-only: the value is cached and shared by concurrent requests
                Collections.unmodifiableList(Json.MAPPER.readValue(rs.getString("scopes"), STRING_LIST)),
                Collections.unmodifiableMap(Json.MAPPER.readValue(rs.getString("urls"), STRING_MAP)),
                secretBox.open(rs.getString("signing_secret_enc"), signingSecretContext(projectId, integration)));
    }

    public void bindCacheMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
        byIntegration.bindTo(meters, "integration_settings");
    }
}
