package dev.switchboard.store;

import dev.switchboard.crypto.SecretBox;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Where each project's trigger events are delivered, and the secret that signs them (sealed at rest). */
public final class TriggerWebhookRepository {
    /** @param secret {@code whsec_} and the key in base64 (Standard Webhooks' form) */
    public record TriggerWebhook(String url, String secret) {
        @Override
        public String toString() {
            return "TriggerWebhook[" + url + "]";
        }
    }

    private final Jdbi jdbi;
    private final SecretBox secretBox;
    private final ReadCache<String, Optional<TriggerWebhook>> byProject;

    public TriggerWebhookRepository(Jdbi jdbi, SecretBox secretBox, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.secretBox = secretBox;
        this.byProject = new ReadCache<>(cacheTtl, 10_000);
    }

    static String context(String projectId) {
        return "project/" + projectId + "/trigger_webhook_secret";
    }

    /** The project's webhook; empty when none is set (or there is no such project). */
    public Optional<TriggerWebhook> find(String projectId) {
        return byProject.get(projectId, id -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT trigger_webhook_url, trigger_webhook_secret_enc FROM projects WHERE id = :id AND trigger_webhook_url IS NOT NULL")
                .bind("id", id)
                .map((rs, ctx) -> new TriggerWebhook(rs.getString(1), secretBox.open(rs.getString(2), context(id)))).findOne()));
    }

    public void set(String projectId, TriggerWebhook webhook) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE projects SET trigger_webhook_url = :url, trigger_webhook_secret_enc = :secret WHERE id = :id")
                .bind("url", webhook.url()).bind("secret", secretBox.seal(webhook.secret(), context(projectId))).bind("id", projectId).execute());
        byProject.invalidateAll();
    }
}
