package dev.switchboard.store;

import dev.switchboard.json.Json;
import dev.switchboard.crypto.SecretBox;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Authorizations under way, each usable once: taking a state removes it. */
public final class OAuthStates {
    /**
     * @param sdkSession   the Connect SDK's session id (its oauthMetaKeyId) when the SDK started it, else null
     * @param openerOrigin the SDK's page, told by postMessage when the authorization fails; null without an SDK session
     * @param authorizeUrl the vendor's authorize URL, for an SDK popup's first stop; null when the page redirects itself
     * @param connectValues the values the user gave for the integration's connect fields (Shopify's store), by name
     */
    public record PendingAuthorization(String state, String projectId, String userId, String integration, String browserHash,
                                       String codeVerifier, String redirectUri, long expiresAt, String sdkSession, String openerOrigin,
                                       String authorizeUrl, Map<String, String> connectValues) {
        @Override
        public String toString() {
            return "PendingAuthorization[" + projectId + "/" + integration + "]";
        }
    }

    private final Jdbi jdbi;
    private final SecretBox secretBox;
    private final Clock clock;

    public OAuthStates(Jdbi jdbi, SecretBox secretBox, Clock clock) {
        this.jdbi = jdbi;
        this.secretBox = secretBox;
        this.clock = clock;
    }

    public void save(PendingAuthorization p) {
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM oauth_states WHERE expires_at < :now").bind("now", clock.millis()).execute();
            h.createUpdate("""
                            INSERT INTO oauth_states (state, project_id, user_id, integration, browser_hash, code_verifier_enc, redirect_uri,
                                                      expires_at, sdk_session, opener_origin, authorize_url, connect_values)
                            VALUES (:state, :projectId, :userId, :integration, :browserHash, :verifier, :redirectUri, :expiresAt,
                                    :sdkSession, :openerOrigin, :authorizeUrl, :connectValues)""")
                    .bindMethods(p)
                    .bind("connectValues", p.connectValues().isEmpty() ? null : Json.write(Json.MAPPER.valueToTree(p.connectValues())))
                    .bind("verifier", secretBox.seal(p.codeVerifier(), context(p.state())))
                    .execute();
        });
    }

    /** Removes and returns the state, if it exists and has not expired. */
    public Optional<PendingAuthorization> take(String state) {
        return jdbi.withHandle(h -> h.createQuery("""
                        DELETE FROM oauth_states WHERE state = :state
                        RETURNING state, project_id, user_id, integration, browser_hash, code_verifier_enc, redirect_uri, expires_at,
                                  sdk_session, opener_origin, authorize_url, connect_values""")
                .bind("state", state)
                .map((rs, ctx) -> new PendingAuthorization(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), secretBox.open(rs.getString(6), context(rs.getString(1))), rs.getString(7), rs.getLong(8),
                        rs.getString(9), rs.getString(10), rs.getString(11), connectValues(rs.getString(12))))
                .findOne())
                .filter(p -> p.expiresAt() >= clock.millis());
    }

    /**
     * The vendor's authorize URL of an SDK authorization under way, without taking it: the popup's first stop reads it
     * once the browser proves it holds the secret whose hash the state keeps.
     */
    public Optional<String> authorizeUrl(String state, String browserHash) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT authorize_url FROM oauth_states
                        WHERE state = :state AND browser_hash = :browserHash AND expires_at >= :now AND authorize_url IS NOT NULL""")
                .bind("state", state).bind("browserHash", browserHash).bind("now", clock.millis())
                .mapTo(String.class).findOne());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> connectValues(String json) {
        return json == null ? Map.of() : Map.copyOf(Json.MAPPER.readValue(json, Map.class));
    }

    static String context(String state) {
        return "oauth-state/" + state;
    }
}
