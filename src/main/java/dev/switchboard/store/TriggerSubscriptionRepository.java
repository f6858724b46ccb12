package dev.switchboard.store;

import dev.switchboard.json.Json;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import tools.jackson.databind.node.ObjectNode;

/** Users' subscriptions to trigger types, each on one of their accounts. */
public final class TriggerSubscriptionRepository {
    public static final String ACTIVE = "ACTIVE";
    public static final String PAUSED = "PAUSED";
    public static final String ERRORED = "ERRORED";

    /**
     * @param webhookOverride where this subscription's events go instead of the project's webhook ({@code url}, and
     *                        {@code headers} and {@code metadata}); null when none
     * @param status          {@link #ACTIVE}, {@link #PAUSED} or {@link #ERRORED} (with {@code error} saying why)
     */
    public record TriggerSubscription(String id, String projectId, String userId, String integration, String credentialId, String type,
                                      ObjectNode parameters, ObjectNode webhookOverride, String status, String error, long createdAt,
                                      long updatedAt, Long lastEventAt, String pollCursor) {}

    /** Why a subscription was stopped by Switchboard rather than its user: its account no longer works. */
    public static final String ACCOUNT_INVALID = "account_invalid";

    /** Which of a user's subscriptions to list; each field applies when set. */
    public record Filter(List<String> integrations, String status, String type, String credentialId) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public TriggerSubscriptionRepository(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** @param polled whether the trigger is polled: its first poll (the baseline) is then due at once */
    public TriggerSubscription create(String projectId, String userId, String integration, String credentialId, String type,
                                      ObjectNode parameters, ObjectNode webhookOverride, boolean polled) {
        long now = clock.millis();
        TriggerSubscription subscription = new TriggerSubscription(UUID.randomUUID().toString(), projectId, userId, integration, credentialId,
                type, parameters, webhookOverride, ACTIVE, null, now, now, null, null);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO trigger_subscriptions (id, project_id, user_id, integration, credential_id, trigger_type, parameters,
                            webhook_override, status, created_at, updated_at, next_poll_at)
                        VALUES (:id, :projectId, :userId, :integration, :credentialId, :type, :parameters, :override, :status, :now, :now, :nextPoll)""")
                .bind("nextPoll", polled ? now : null)
                .bind("id", subscription.id()).bind("projectId", projectId).bind("userId", userId).bind("integration", integration)
                .bind("credentialId", credentialId).bind("type", type).bind("parameters", Json.write(parameters))
                .bind("override", webhookOverride == null ? null : Json.write(webhookOverride)).bind("status", ACTIVE).bind("now", now)
                .execute());
        return subscription;
    }

    private static final String COLUMNS = """
            id, project_id, user_id, integration, credential_id, trigger_type, parameters, webhook_override, status, error,
            created_at, updated_at, last_event_at, poll_cursor""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM trigger_subscriptions";

    /** One of the user's subscriptions; empty when it is another user's, project's, or none. */
    public Optional<TriggerSubscription> find(String projectId, String userId, String id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE project_id = :projectId AND user_id = :userId AND id = :id")
                .bind("projectId", projectId).bind("userId", userId).bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<TriggerSubscription> find(String id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    /** The user's subscriptions, oldest first. */
    public List<TriggerSubscription> list(String projectId, String userId, Filter filter) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE project_id = :projectId AND user_id = :userId");
        if (filter.integrations() != null && !filter.integrations().isEmpty()) sql.append(" AND integration IN (<integrations>)");
        if (filter.status() != null) sql.append(" AND status = :status");
        if (filter.type() != null) sql.append(" AND trigger_type = :type");
        if (filter.credentialId() != null) sql.append(" AND credential_id = :credentialId");
        sql.append(" ORDER BY created_at, id");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("projectId", projectId).bind("userId", userId);
            if (filter.integrations() != null && !filter.integrations().isEmpty()) query.bindList("integrations", filter.integrations());
            if (filter.status() != null) query.bind("status", filter.status());
            if (filter.type() != null) query.bind("type", filter.type());
            if (filter.credentialId() != null) query.bind("credentialId", filter.credentialId());
            return query.map((rs, ctx) -> map(rs)).list();
        });
    }

    /**
     * The active subscriptions to these trigger types of the project's accounts known at the vendor by this id (a
     * Slack workspace's team id): where a vendor's webhook event goes.
     */
    public List<TriggerSubscription> activeForAccount(String projectId, String integration, List<String> types, String providerId) {
        if (types.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.id, s.project_id, s.user_id, s.integration, s.credential_id, s.trigger_type, s.parameters, s.webhook_override,
                               s.status, s.error, s.created_at, s.updated_at, s.last_event_at, s.poll_cursor
                        FROM trigger_subscriptions s JOIN credentials c ON c.id = s.credential_id
                        WHERE s.project_id = :projectId AND s.integration = :integration AND s.status = :active
                          AND s.trigger_type IN (<types>) AND c.provider_id = :providerId ORDER BY s.created_at, s.id""")
                .bind("projectId", projectId).bind("integration", integration).bind("active", ACTIVE).bindList("types", types)
                .bind("providerId", providerId).map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Saves the parameters, override and status (with its error) of a subscription; a polled one that is active is
     * polled at once (its parameters may have changed; its cursor is kept, so nothing seen before fires again).
     */
    public void update(TriggerSubscription subscription) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE trigger_subscriptions SET parameters = :parameters, webhook_override = :override, status = :status,
                            error = :error, error_kind = NULL, updated_at = :now,
                            next_poll_at = CASE WHEN next_poll_at IS NOT NULL AND :status = 'ACTIVE' THEN :now ELSE next_poll_at END
                        WHERE id = :id""")
                .bind("parameters", Json.write(subscription.parameters()))
                .bind("override", subscription.webhookOverride() == null ? null : Json.write(subscription.webhookOverride()))
                .bind("status", subscription.status()).bind("error", subscription.error()).bind("now", clock.millis())
                .bind("id", subscription.id()).execute());
    }

    /**
     * Claims up to {@code limit} polled subscriptions due at {@code now} for this node until {@code leaseUntil}
     * (skipping rows another node is claiming, on PostgreSQL).
     */
    public List<TriggerSubscription> claimDuePolls(String node, long now, long leaseUntil, int limit, boolean postgres) {
        String sql = """
                UPDATE trigger_subscriptions SET claimed_by = :node, claimed_until = :leaseUntil
                WHERE id IN (
                    SELECT id FROM trigger_subscriptions
                    WHERE status = :active AND next_poll_at IS NOT NULL AND next_poll_at <= :now AND (claimed_until IS NULL OR claimed_until < :now)
                    ORDER BY next_poll_at LIMIT :limit %s)
                RETURNING %s""".formatted(postgres ? "FOR UPDATE SKIP LOCKED" : "", COLUMNS);
        return jdbi.inTransaction(h -> h.createQuery(sql).bind("node", node).bind("leaseUntil", leaseUntil).bind("active", ACTIVE)
                .bind("now", now).bind("limit", limit).map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Records a poll in one transaction: the events of the records it found new, the cursor that now says what was seen,
     * and when to poll next; only by the node holding the claim (one whose lease ran out and was taken over changes
     * nothing). Returns how many events were new.
     */
    public int recordPoll(String id, String node, String cursor, long nextPollAt, List<TriggerEventRepository.NewEvent> events) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE trigger_subscriptions SET poll_cursor = :cursor, next_poll_at = :next, claimed_by = NULL, claimed_until = NULL
                            WHERE id = :id AND claimed_by = :node""")
                    .bind("cursor", cursor).bind("next", nextPollAt).bind("id", id).bind("node", node).execute();
            if (updated == 0) {
                return 0;
            }
            int added = 0;
            for (TriggerEventRepository.NewEvent event : events) {
                added += TriggerEventRepository.insert(h, event, now);
            }
            return added;
        });
    }

    /** Leaves a poll that found nothing to record (a vendor error): polled again at {@code nextPollAt}. */
    public void releasePoll(String id, String node, long nextPollAt) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE trigger_subscriptions SET next_poll_at = :next, claimed_by = NULL, claimed_until = NULL
                        WHERE id = :id AND claimed_by = :node""")
                .bind("next", nextPollAt).bind("id", id).bind("node", node).execute());
    }

    /** Stops a subscription whose account no longer works, saying why; it resumes when the account is reconnected. */
    public void stopForAccount(String id, String reason) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE trigger_subscriptions SET status = :errored, error = :error, error_kind = :kind, claimed_by = NULL,
                            claimed_until = NULL, updated_at = :now WHERE id = :id""")
                .bind("errored", ERRORED).bind("error", reason).bind("kind", ACCOUNT_INVALID).bind("now", clock.millis()).bind("id", id).execute());
    }

    /**
     * Resumes the subscriptions stopped for an invalid account once the user holds a working one for the same vendor
     * account (a reconnect makes a new credential: the subscription moves to it). Their cursors are kept, so records
     * seen before are not sent again. Returns how many resumed.
     */
    public int resumeReconnected() {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            List<String[]> moves = h.createQuery("""
                            SELECT s.id, (SELECT n.id FROM credentials n
                                          WHERE n.project_id = s.project_id AND n.user_id = s.user_id AND n.integration = s.integration
                                            AND n.status = 'VALID' AND (n.id = s.credential_id OR n.provider_id = old.provider_id)
                                          ORDER BY n.created_at DESC LIMIT 1)
                            FROM trigger_subscriptions s LEFT JOIN credentials old ON old.id = s.credential_id
                            WHERE s.status = :errored AND s.error_kind = :kind""")
                    .bind("errored", ERRORED).bind("kind", ACCOUNT_INVALID)
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list();
            int resumed = 0;
            for (String[] move : moves) {
                if (move[1] != null) {
                    resumed += h.createUpdate("""
                                    UPDATE trigger_subscriptions SET status = :active, error = NULL, error_kind = NULL, credential_id = :credential,
                                        next_poll_at = CASE WHEN next_poll_at IS NOT NULL THEN :now ELSE NULL END, updated_at = :now
                                    WHERE id = :id""")
                            .bind("active", ACTIVE).bind("credential", move[1]).bind("now", now).bind("id", move[0]).execute();
                }
            }
            return resumed;
        });
    }

    /** Marks a subscription as failed for good (its receiver is gone, say), with why. */
    public void markErrored(String id, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE trigger_subscriptions SET status = :status, error = :error, updated_at = :now WHERE id = :id")
                .bind("status", ERRORED).bind("error", error).bind("now", clock.millis()).bind("id", id).execute());
    }

    /** Deletes the subscription and its events, delivered or not, in one transaction. */
    public boolean delete(String projectId, String userId, String id) {
        return jdbi.inTransaction(h -> {
            int deleted = h.createUpdate("DELETE FROM trigger_subscriptions WHERE project_id = :projectId AND user_id = :userId AND id = :id")
                    .bind("projectId", projectId).bind("userId", userId).bind("id", id).execute();
            if (deleted == 1) {
                h.createUpdate("DELETE FROM trigger_deliveries WHERE event_id IN (SELECT id FROM trigger_events WHERE subscription_id = :id)")
                        .bind("id", id).execute();
                h.createUpdate("DELETE FROM trigger_events WHERE subscription_id = :id").bind("id", id).execute();
            }
            return deleted == 1;
        });
    }

    private static TriggerSubscription map(java.sql.ResultSet rs) throws java.sql.SQLException {
        String override = rs.getString("webhook_override");
        long lastEvent = rs.getLong("last_event_at");
        Long lastEventAt = rs.wasNull() ? null : lastEvent;
        return new TriggerSubscription(rs.getString("id"), rs.getString("project_id"), rs.getString("user_id"), rs.getString("integration"),
                rs.getString("credential_id"), rs.getString("trigger_type"), (ObjectNode) Json.parse(rs.getString("parameters")),
                override == null ? null : (ObjectNode) Json.parse(override), rs.getString("status"), rs.getString("error"),
                rs.getLong("created_at"), rs.getLong("updated_at"), lastEventAt, rs.getString("poll_cursor"));
    }
}
